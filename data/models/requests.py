"""Staff requests: leave, an availability change from a date, a shift swap with a colleague.

One table for the three kinds; the columns a kind does not use stay empty. The kind of leave
is kept for the requester, and everyone else reads sickness as "leave"
(scheduling.requests.leave_kind_for_manager). The requester's note may carry health detail
("surgery on Tuesday"), so the table holds it encrypted (`note_token`, as debrief notes); the
Create and Public schemas carry the plaintext `note`.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ValidationInfo, field_validator, model_validator
from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from data.db import utcnow
from data.models.base import json_column, require_aware
from data.models.staff import OTHER_LEAVE, windows_inside_opening_hours
from scheduling.domain import DailyWindow, LeavePeriod
from scheduling.requests import LeaveKind, RequestKind, RequestStatus
from scheduling.staff_rules import overlapping_leave

NOTE_MAX = 500


class StaffRequestBase(SQLModel):
    kind: str = Field(max_length=20)
    status: str = Field(default=RequestStatus.PENDING.value, max_length=20)
    created_by: str = Field(max_length=64)
    # leave: the days asked for; availability: the date the new windows start (first_day);
    # swap: the local day of the shift.
    first_day: date
    last_day: date | None = None
    leave_kind: str | None = Field(default=None, max_length=20)


class StaffRequest(StaffRequestBase, table=True):
    __tablename__ = "staff_request"
    __table_args__ = (
        CheckConstraint("kind IN ('leave', 'availability', 'swap')", name="kind"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'refused', 'approved', 'declined', 'withdrawn')",
            name="status",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True, ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    windows: list[dict[str, int]] = Field(default_factory=list, sa_column=json_column())
    previous_windows: list[dict[str, int]] = Field(default_factory=list, sa_column=json_column())
    roster_id: int | None = Field(default=None, foreign_key="roster.id", ondelete="SET NULL")
    shift_start_utc: datetime | None = None
    shift_end_utc: datetime | None = None
    colleague_staff_id: int | None = Field(
        default=None, foreign_key="staff.id", index=True, ondelete="CASCADE"
    )
    colleague_answered_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = None
    decision_reason: str = Field(default="", max_length=NOTE_MAX)
    new_roster_id: int | None = Field(default=None, foreign_key="roster.id", ondelete="SET NULL")
    # A Fernet token (MultiFernet, data.crypto) of the requester's note, None when there is
    # none: the plaintext never reaches the database.
    note_token: str | None = Field(default=None, sa_type=Text)


def _note(value: str) -> str:
    return value.strip()


class LeaveRequestCreate(StaffRequestBase):
    site_id: int
    staff_id: int
    note: str = Field(default="", max_length=NOTE_MAX)
    kind: str = RequestKind.LEAVE.value
    last_day: date
    leave_kind: LeaveKind = "leave"

    _clean_note = field_validator("note")(_note)

    @model_validator(mode="after")
    def _ordered(self, info: ValidationInfo) -> LeaveRequestCreate:
        if self.last_day < self.first_day:
            raise ValueError(
                f"last_day: the last day ({self.last_day:%d %b %Y}) is before the first day "
                f"({self.first_day:%d %b %Y})"
            )
        others = (info.context or {}).get(OTHER_LEAVE)
        if others:
            asked = LeavePeriod(first_day=self.first_day, last_day=self.last_day)
            clash = overlapping_leave(asked, others)
            if clash is not None:
                raise ValueError(
                    f"first_day/last_day: {self.first_day:%d %b %Y} to {self.last_day:%d %b %Y} "
                    f"overlaps your leave from {clash.first_day:%d %b %Y} to "
                    f"{clash.last_day:%d %b %Y}"
                )
        return self


class AvailabilityRequestCreate(StaffRequestBase):
    site_id: int
    staff_id: int
    note: str = Field(default="", max_length=NOTE_MAX)
    kind: str = RequestKind.AVAILABILITY.value
    windows: list[DailyWindow] = Field(min_length=1)

    _clean_note = field_validator("note")(_note)

    @field_validator("windows")
    @classmethod
    def _inside_opening_hours(
        cls, value: list[DailyWindow], info: ValidationInfo
    ) -> list[DailyWindow]:
        windows_inside_opening_hours(value, info)
        days = [w.weekday for w in value]
        if len(days) != len(set(days)):
            raise ValueError("windows: at most one window per weekday")
        return value


class SwapOfferCreate(StaffRequestBase):
    site_id: int
    staff_id: int
    note: str = Field(default="", max_length=NOTE_MAX)
    kind: str = RequestKind.SWAP.value
    roster_id: int
    shift_start_utc: datetime
    shift_end_utc: datetime
    colleague_staff_id: int

    _clean_note = field_validator("note")(_note)

    @field_validator("shift_start_utc", "shift_end_utc")
    @classmethod
    def _aware(cls, value: datetime, info: ValidationInfo) -> datetime:
        return require_aware(value, info.field_name or "time")

    @model_validator(mode="after")
    def _someone_else(self) -> SwapOfferCreate:
        if self.colleague_staff_id == self.staff_id:
            raise ValueError("colleague: choose someone other than yourself")
        if self.shift_end_utc <= self.shift_start_utc:
            raise ValueError("shift: its end must be after its start")
        return self


class StaffRequestUpdate(SQLModel):
    """A change of state: the colleague's answer, the requester's withdrawal, a decision."""

    status: RequestStatus
    colleague_answered_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, max_length=NOTE_MAX)
    previous_windows: list[DailyWindow] | None = None
    new_roster_id: int | None = None

    @model_validator(mode="after")
    def _reason_on_decline(self) -> StaffRequestUpdate:
        if self.status is RequestStatus.DECLINED and not (self.decision_reason or "").strip():
            raise ValueError("reason: say why the request is declined")
        return self


class StaffRequestPublic(StaffRequestBase):
    """A request as its reader may see it; `requester` and `colleague` are display names."""

    id: int
    site_id: int
    staff_id: int
    kind: RequestKind
    status: RequestStatus
    created_at: datetime
    requester: str = ""
    # The note in plaintext, for its readers only (the requester, the colleague of a swap, a
    # manager of the site); "" for anyone else and when there is none.
    note: str = ""
    windows: list[DailyWindow] = Field(default_factory=list)
    roster_id: int | None = None
    shift_start_utc: datetime | None = None
    shift_end_utc: datetime | None = None
    colleague_staff_id: int | None = None
    colleague: str | None = None
    colleague_answered_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    new_roster_id: int | None = None
