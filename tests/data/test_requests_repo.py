"""Staff requests in the database (SQLite and PostgreSQL): who may make, answer, withdraw and
decide them, what approval writes, and two managers deciding at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from data.audit import list_audit
from data.db import session_scope
from data.errors import ConflictError
from data.models import SiteCreate, StaffCreate, StaffLeaveCreate
from data.planning import instance_for_week, roster_inputs_for_week
from data.requests_repo import (
    answer_swap,
    create_availability_request,
    create_leave_request,
    decide_request,
    my_requests,
    offer_swap,
    offers_to_me,
    request_effect,
    site_requests,
    staff_for_week,
    withdraw_request,
)
from data.rosters import list_rosters, publish_roster, published_roster, save_roster
from data.sites import create_site
from data.staff_repo import add_leave, create_staff, get_staff
from scheduling.domain import DailyWindow, Role
from scheduling.roster.result import coverage_rows
from scheduling.roster.schema import (
    ActivitySegment,
    IntervalSlot,
    PersonRoster,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveStats,
    StaffEntry,
)
from scheduling.roster.week import Week
from scheduling.staffing.requirement_types import IntervalRequirement
from tests.data.conftest import member_of
from wellbeing.privacy import Actor

TZ = ZoneInfo("Asia/Karachi")
WEEK = date(2026, 12, 7)
NOW = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def _at(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 12, 7 + day, hour, minute, tzinfo=TZ)


class People:
    def __init__(self, engine: Engine, site_id: int) -> None:
        self.site_id = site_id
        with session_scope(engine) as session:
            ids = [
                create_staff(
                    session=session,
                    staff_in=StaffCreate(site_id=site_id, display_name=name),
                    actor="test",
                ).id
                for name in ("Amina", "Bilal", "Chand")
            ]
            other = create_site(
                session=session,
                site_in=SiteCreate(name="Other helpline", timezone="Asia/Karachi"),
                actor="test",
            )
            elsewhere = create_staff(
                session=session,
                staff_in=StaffCreate(site_id=other.id, display_name="Elsewhere"),
                actor="test",
            ).id
        self.a, self.b, self.c = ids
        self.amina = Actor("amina", Role.STAFF, self.a)
        self.bilal = Actor("bilal", Role.STAFF, self.b)
        self.chand = Actor("chand", Role.SUPERVISOR, self.c)
        self.manager = Actor("manager", Role.MANAGER)
        self.manager2 = Actor("manager2", Role.MANAGER)
        self.admin = Actor("admin", Role.ADMIN)
        self.other_manager = Actor("other", Role.MANAGER, elsewhere)
        # Each actor is an account of this installation, a member of its own centre: the
        # manager of the other helpline belongs to that one only.
        for actor in (self.amina, self.bilal, self.chand, self.manager, self.manager2, self.admin):
            member_of(engine, site_id, actor.username, actor.role.value, staff_id=actor.staff_id)
        member_of(engine, other.id, "other", Role.MANAGER.value, staff_id=elsewhere)


@pytest.fixture
def people(engine: Engine, site_id: int) -> People:
    return People(engine, site_id)


def _publish_week(engine: Engine, people: People) -> int:
    """Monday 09:00-13:00, two needed on the line: Amina and Bilal work it, Chand is free."""
    with session_scope(engine) as session:
        members = {
            str(s): get_staff(session=session, staff_id=s).member()
            for s in (people.a, people.b, people.c)
        }
        inst = RosterInstance(
            site_name="Test helpline",
            timezone="Asia/Karachi",
            week_start=WEEK,
            intervals=tuple(
                IntervalSlot(start=_at(0, "09:00") + timedelta(minutes=30 * i), required=2)
                for i in range(8)
            ),
            min_on_duty=2,
            staff=tuple(StaffEntry(member=m) for m in members.values()),
        )
        shifts = {
            str(people.a): RosteredShift(
                start=_at(0, "09:00"),
                end=_at(0, "13:00"),
                activities=(
                    ActivitySegment(activity="line", start=_at(0, "09:00"), end=_at(0, "13:00")),
                ),
            ),
            str(people.b): RosteredShift(
                start=_at(0, "09:00"),
                end=_at(0, "13:00"),
                activities=(
                    ActivitySegment(activity="line", start=_at(0, "09:00"), end=_at(0, "13:00")),
                ),
            ),
        }
        persons = [
            PersonRoster(
                staff_id=key,
                display_name=members[key].display_name,
                shifts=(shift,),
                shift_minutes=240,
                line_minutes=240,
            )
            for key, shift in shifts.items()
        ]
        sol = RosterSolution(
            site_name="Test helpline",
            timezone="Asia/Karachi",
            week_start=WEEK,
            interval_minutes=30,
            stats=SolveStats(
                status="FEASIBLE",
                objective=0.0,
                best_bound=0.0,
                gap=0.0,
                wall_time_seconds=0.1,
                first_solution_seconds=0.1,
                method="full",
                workers=1,
                time_limit_seconds=5,
            ),
            people=tuple(persons),
            coverage=tuple(coverage_rows(Week(inst), persons)),
        )
        roster = save_roster(
            session=session, site_id=people.site_id, instance=inst, solution=sol, actor="manager"
        )
        publish_roster(session=session, roster_id=roster.id, actor="manager")
        return roster.id


def _leave(engine: Engine, actor: Actor, first: date, last: date, kind: str = "leave") -> int:
    with session_scope(engine) as session:
        return create_leave_request(
            session=session,
            actor=actor,
            first_day=first,
            last_day=last,
            leave_kind=kind,
            note="",
            today=TODAY,
        ).id


def _decide(engine: Engine, actor: Actor, request_id: int, approve: bool = True, reason: str = ""):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return decide_request(
            session=session,
            actor=actor,
            request_id=request_id,
            approve=approve,
            reason=reason,
            now=NOW,
        )


# ------------------------------------------------------------------------------ leave


def test_bad_leave_requests_name_the_field_and_save_nothing(engine: Engine, people: People) -> None:
    with session_scope(engine) as session:
        add_leave(
            session=session,
            leave_in=StaffLeaveCreate(
                staff_id=people.a, first_day=WEEK, last_day=WEEK + timedelta(days=2)
            ),
            actor="manager",
        )
    with pytest.raises(ValidationError, match="last_day: the last day"):
        _leave(engine, people.amina, WEEK + timedelta(days=10), WEEK + timedelta(days=9))
    with pytest.raises(ValidationError, match="overlaps your leave"):
        _leave(engine, people.amina, WEEK + timedelta(days=1), WEEK + timedelta(days=4))
    with pytest.raises(ValueError, match=r"first_day: .* is past"):
        _leave(engine, people.amina, TODAY - timedelta(days=1), TODAY)
    _leave(engine, people.amina, WEEK + timedelta(days=5), WEEK + timedelta(days=6))
    with pytest.raises(ValidationError, match="overlaps your leave"):  # a pending request too
        _leave(engine, people.amina, WEEK + timedelta(days=6), WEEK + timedelta(days=8))
    with pytest.raises(PermissionError):
        _leave(engine, people.manager, WEEK, WEEK)
    with session_scope(engine) as session:
        assert len(my_requests(session=session, actor=people.amina)) == 1


def test_approved_leave_reaches_the_calendar_and_the_next_solve_leaves_the_day_free(
    engine: Engine, people: People
) -> None:
    day = WEEK + timedelta(days=2)
    request_id = _leave(engine, people.amina, day, day, kind="sick")
    with session_scope(engine) as session:
        waiting = site_requests(session=session, actor=people.manager, site_id=people.site_id)
        assert [(r.id, r.leave_kind, r.requester) for r in waiting] == [
            (request_id, "leave", "Amina")
        ]
        assert my_requests(session=session, actor=people.amina)[0].leave_kind == "sick"
    decided = _decide(engine, people.manager, request_id)
    assert decided.status == "approved" and decided.decided_by == "manager"

    with session_scope(engine) as session:
        leave = get_staff(session=session, staff_id=people.a).leave
        assert [(p.first_day, p.last_day, p.reason) for p in leave] == [(day, day, "leave")]
        assert site_requests(session=session, actor=people.manager, site_id=people.site_id) == []
        inputs = roster_inputs_for_week(
            session=session, site_id=people.site_id, week_start=WEEK, now=NOW
        )
    requirements = tuple(
        IntervalRequirement(
            start=_at(d, "09:00") + timedelta(minutes=30 * i),
            end=_at(d, "09:30") + timedelta(minutes=30 * i),
            forecast_calls=1,
            band_low=0,
            band_high=2,
            required=1,
            queue_required=1,
            workload_erlangs=0.5,
            binding="test",
        )
        for d in range(7)
        for i in range(16)
    )
    inst = instance_for_week(inputs=inputs.model_copy(update={"requirements": requirements}))
    week = Week(inst)
    amina = week.person(str(people.a))
    assert amina is not None
    assert week.candidates(amina, 2) == []  # the day of leave: no shift to give her
    assert week.candidates(amina, 1) != []
    with session_scope(engine) as session:
        assert [a.actor for a in list_audit(session=session, action="request.approve")] == [
            "manager"
        ]


def test_the_leave_effect_lists_the_shift_lost_and_the_cover_that_falls(
    engine: Engine, people: People
) -> None:
    _publish_week(engine, people)
    request_id = _leave(engine, people.amina, WEEK, WEEK + timedelta(days=8))
    with session_scope(engine) as session:
        weeks = request_effect(session=session, actor=people.manager, request_id=request_id)
        with pytest.raises(PermissionError):
            request_effect(session=session, actor=people.bilal, request_id=request_id)
    assert [w.week_start for w in weeks] == [WEEK, WEEK + timedelta(days=7)]
    first, second = weeks
    assert first.roster_label == "published version 1"
    assert first.effect is not None
    assert [s.start for s in first.effect.lost_shifts] == [_at(0, "09:00")]
    assert {d.below for d in first.effect.coverage_drops} == {"requirement", "floor"}
    assert second.roster_label is None and second.effect is None


# ------------------------------------------------------------------------------ deciding


def test_only_the_requester_withdraws_and_only_managers_of_the_site_decide(
    engine: Engine, people: People
) -> None:
    request_id = _leave(engine, people.amina, WEEK, WEEK)
    with session_scope(engine) as session, pytest.raises(PermissionError):
        withdraw_request(session=session, actor=people.bilal, request_id=request_id)
    for outsider in (people.bilal, people.chand, people.other_manager):
        with pytest.raises(PermissionError):
            _decide(engine, outsider, request_id)
    with pytest.raises(ValidationError, match="reason: say why"):
        _decide(engine, people.manager, request_id, approve=False, reason="  ")
    with session_scope(engine) as session:
        assert my_requests(session=session, actor=people.amina)[0].status == "pending"
        withdrawn = withdraw_request(session=session, actor=people.amina, request_id=request_id)
    assert withdrawn.status == "withdrawn"
    with pytest.raises(ConflictError, match="withdrawn"):
        _decide(engine, people.admin, request_id)


def test_a_decided_request_cannot_be_decided_again(engine: Engine, people: People) -> None:
    request_id = _leave(engine, people.amina, WEEK, WEEK)
    _decide(engine, people.manager, request_id, approve=False, reason="Short that week")
    with pytest.raises(ConflictError, match="already declined by manager"):
        _decide(engine, people.manager2, request_id, approve=True)
    with session_scope(engine) as session:
        mine = my_requests(session=session, actor=people.amina)[0]
        assert (mine.status, mine.decision_reason) == ("declined", "Short that week")
        assert get_staff(session=session, staff_id=people.a).leave == []
    with session_scope(engine) as session, pytest.raises(ConflictError):
        withdraw_request(session=session, actor=people.amina, request_id=request_id)


def test_two_managers_deciding_at_once_one_wins_the_other_is_told(
    engine: Engine, people: People
) -> None:
    request_id = _leave(engine, people.amina, WEEK, WEEK)
    barrier = threading.Barrier(2)

    def act(actor: Actor, approve: bool) -> str:
        barrier.wait()
        try:
            _decide(engine, actor, request_id, approve=approve, reason="No cover")
        except ConflictError as exc:
            return str(exc)
        return "done"

    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda a: act(*a), [(people.manager, True), (people.manager2, False)])
        )
    assert results.count("done") == 1
    message = next(r for r in results if r != "done")
    assert "already" in message and ("by manager" in message)
    with session_scope(engine) as session:
        status = my_requests(session=session, actor=people.amina)[0].status
        leave = get_staff(session=session, staff_id=people.a).leave
    # Whoever won, the calendar agrees with the request.
    assert (status == "approved") == (len(leave) == 1)


# ------------------------------------------------------------------------------ swaps


def test_a_swap_accepted_and_approved_is_a_new_published_version(
    engine: Engine, people: People
) -> None:
    first_id = _publish_week(engine, people)
    start = _at(0, "09:00")
    with session_scope(engine) as session:
        with pytest.raises(ValueError, match="not one of your shifts"):
            offer_swap(
                session=session,
                actor=people.chand,
                shift_start=start,
                colleague_staff_id=people.a,
                note="",
                now=NOW,
            )
        with pytest.raises(ValueError, match="already started"):
            offer_swap(
                session=session,
                actor=people.amina,
                shift_start=start,
                colleague_staff_id=people.c,
                note="",
                now=start + timedelta(minutes=1),
            )
        with pytest.raises(ValueError, match="colleague"):
            offer_swap(
                session=session,
                actor=people.amina,
                shift_start=start,
                colleague_staff_id=people.a,
                note="",
                now=NOW,
            )
        offer = offer_swap(
            session=session,
            actor=people.amina,
            shift_start=start,
            colleague_staff_id=people.c,
            note="family visit",
            now=NOW,
        )
        with pytest.raises(ConflictError, match="already offered"):
            offer_swap(
                session=session,
                actor=people.amina,
                shift_start=start,
                colleague_staff_id=people.b,
                note="",
                now=NOW,
            )
    assert offer.colleague == "Chand" and offer.status == "pending"
    with pytest.raises(ConflictError, match="not accepted"):
        _decide(engine, people.manager, offer.id)
    with session_scope(engine) as session:
        assert [o.id for o in offers_to_me(session=session, actor=people.chand)] == [offer.id]
        assert site_requests(session=session, actor=people.manager, site_id=people.site_id) == []
        with pytest.raises(PermissionError):
            answer_swap(
                session=session, actor=people.bilal, request_id=offer.id, accept=True, now=NOW
            )
        answer_swap(session=session, actor=people.chand, request_id=offer.id, accept=True, now=NOW)
        effect = request_effect(session=session, actor=people.manager, request_id=offer.id)
    assert effect[0].effect is not None and effect[0].effect.harmless

    approved = _decide(engine, people.manager, offer.id)
    assert approved.new_roster_id is not None and approved.new_roster_id != first_id
    with session_scope(engine) as session:
        versions = {
            r.version: r.status
            for r in list_rosters(session=session, site_id=people.site_id, week_start=WEEK)
        }
        assert versions == {1: "superseded", 2: "published"}
        now_published = published_roster(session=session, site_id=people.site_id, week_start=WEEK)
    assert now_published is not None
    shifts = {p.staff_id: [s.start for s in p.shifts] for p in now_published.solution.people}
    assert shifts[str(people.c)] == [start]
    assert shifts.get(str(people.a), []) == []
    assert now_published.solution.shortfall_hours() == 0


def test_a_swap_to_someone_already_on_shift_shows_the_rule_it_breaks(
    engine: Engine, people: People
) -> None:
    _publish_week(engine, people)
    with session_scope(engine) as session:
        offer = offer_swap(
            session=session,
            actor=people.amina,
            shift_start=_at(0, "09:00"),
            colleague_staff_id=people.b,
            note="",
            now=NOW,
        )
        answer_swap(session=session, actor=people.bilal, request_id=offer.id, accept=True, now=NOW)
        [week] = request_effect(session=session, actor=people.manager, request_id=offer.id)
    assert week.effect is not None
    assert "one_shift_per_day" in {b.rule for b in week.effect.new_breaks}


def test_a_refused_swap_never_reaches_a_manager(engine: Engine, people: People) -> None:
    _publish_week(engine, people)
    with session_scope(engine) as session:
        offer = offer_swap(
            session=session,
            actor=people.amina,
            shift_start=_at(0, "09:00"),
            colleague_staff_id=people.c,
            note="",
            now=NOW,
        )
        refused = answer_swap(
            session=session, actor=people.chand, request_id=offer.id, accept=False, now=NOW
        )
        assert refused.status == "refused"
        with pytest.raises(ConflictError):
            answer_swap(
                session=session, actor=people.chand, request_id=offer.id, accept=True, now=NOW
            )
    with pytest.raises(ConflictError, match="declined this swap"):
        _decide(engine, people.manager, offer.id)


# ------------------------------------------------------------------------------ availability


def test_an_approved_availability_change_counts_from_its_date(
    engine: Engine, people: People
) -> None:
    wednesday = WEEK + timedelta(days=2)
    windows = [DailyWindow(weekday=d, start_minute=540, end_minute=780) for d in (2, 3)]
    with session_scope(engine) as session:
        with pytest.raises(ValidationError, match=r"closed|opening|outside"):
            create_availability_request(
                session=session,
                actor=people.amina,
                from_day=wednesday,
                windows=[DailyWindow(weekday=2, start_minute=420, end_minute=600)],
                note="",
                today=TODAY,
            )
        request = create_availability_request(
            session=session,
            actor=people.amina,
            from_day=wednesday,
            windows=windows,
            note="",
            today=TODAY,
        )
    _decide(engine, people.manager, request.id)
    with session_scope(engine) as session:
        assert get_staff(session=session, staff_id=people.a).availability == windows
        this_week = {
            m.id: m
            for m in staff_for_week(session=session, site_id=people.site_id, week_start=WEEK)
        }
        next_week = {
            m.id: m
            for m in staff_for_week(
                session=session, site_id=people.site_id, week_start=WEEK + timedelta(days=7)
            )
        }
    amina = this_week[str(people.a)]
    days = sorted({w.weekday for w in amina.availability})
    assert days == [0, 1, 2, 3]  # Monday and Tuesday as before (any open hour), then the new
    assert next_week[str(people.a)].availability == tuple(windows)
