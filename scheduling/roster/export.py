"""A roster's files for people who do not open the planner: roster and coverage CSV, an Excel
workbook, and an iCalendar file per person. Pure functions of a RosterSolution.

Times are the site's local times: ISO 8601 with the UTC offset in the CSV files, local
wall-clock times in the workbook (Excel has no time zones; the About sheet names the zone),
and TZID-tagged times with a VTIMEZONE in the calendars.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Calendar, Event

from scheduling.cells import inert_frame
from scheduling.roster.quality import hard_rules_broken
from scheduling.roster.schema import Activity, PersonRoster, RosteredShift, RosterSolution

# date: the day the segment starts; shift_date: the day its shift starts (a night shift's
# segments after midnight carry the evening before).
ROSTER_COLUMNS = ("staff_id", "display_name", "date", "start", "end", "activity", "shift_date")
COVERAGE_COLUMNS = ("interval_start", "required", "on_line", "shortfall")
SHEETS = ("Roster", "Coverage", "Flags", "Hires", "Broken rules", "About")

ACTIVITY_WORDS = {
    Activity.LINE: "on the line",
    Activity.MEAL: "meal break",
    Activity.OFFLINE: "off-line work",
    Activity.DECOMPRESSION: "decompression",
    Activity.DEBRIEF: "debrief with a supervisor",
}
PRODID = "-//Helpline planner//Roster//EN"
# UIDs are uuid5 names under this namespace, so the same person's shift on the same day keeps
# its UID across re-plans and a calendar app updates the event instead of adding a second one.
UID_NAMESPACE = uuid.UUID("6f1d2c8e-6a4b-5d3e-9c51-2b7f0e4a9d13")


def _tz(solution: RosterSolution) -> ZoneInfo:
    return ZoneInfo(solution.timezone)


def _people(solution: RosterSolution) -> Iterable[PersonRoster]:
    """In the solution's order, proposed hires last."""
    return sorted(solution.people, key=lambda p: p.hire_template is not None)


# ---------------------------------------------------------------- roster and coverage


def roster_frame(solution: RosterSolution, *, include_names: bool = True) -> pd.DataFrame:
    """One row per activity segment, in time order per person: staff_id, display_name, date,
    start, end, activity, shift_date; dates and times are local ISO strings (start and end
    with offset). `date` is the day the segment starts, `shift_date` the day its shift starts.
    Proposed hires are included under their generated ids (e.g. hire:full_time_counsellor:1)."""
    tz = _tz(solution)
    rows = []
    for person in _people(solution):
        for shift in sorted(person.shifts, key=lambda s: s.start):
            for seg in sorted(shift.activities, key=lambda a: a.start):
                start, end = seg.start.astimezone(tz), seg.end.astimezone(tz)
                rows.append(
                    {
                        "staff_id": person.staff_id,
                        "display_name": person.display_name,
                        "date": start.date().isoformat(),
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "activity": Activity(seg.activity).value,
                        "shift_date": shift.start.astimezone(tz).date().isoformat(),
                    }
                )
    columns = [c for c in ROSTER_COLUMNS if include_names or c != "display_name"]
    return pd.DataFrame(rows, columns=list(ROSTER_COLUMNS))[columns]


def roster_csv(solution: RosterSolution, *, include_names: bool = True) -> str:
    """roster_frame as CSV text (with include_names=False: the columns of roster.csv in
    docs/roster.md, staff_id,date,start,end,activity,shift_date)."""
    return inert_frame(roster_frame(solution, include_names=include_names)).to_csv(
        index=False, lineterminator="\n"
    )


def coverage_frame(solution: RosterSolution) -> pd.DataFrame:
    """One row per open interval: interval_start (local ISO), required, on_line, shortfall."""
    tz = _tz(solution)
    rows = [
        {
            "interval_start": row.start.astimezone(tz).isoformat(),
            "required": row.required,
            "on_line": row.on_line,
            "shortfall": row.shortfall,
        }
        for row in sorted(solution.coverage, key=lambda r: r.start)
    ]
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def coverage_csv(solution: RosterSolution) -> str:
    return inert_frame(coverage_frame(solution)).to_csv(index=False, lineterminator="\n")


# ---------------------------------------------------------------- Excel


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else value.astimezone(tz).replace(tzinfo=None)


def _names(solution: RosterSolution) -> dict[str, str]:
    return {p.staff_id: p.display_name for p in solution.people}


def _workbook_frames(solution: RosterSolution) -> dict[str, pd.DataFrame]:
    tz = _tz(solution)
    names = _names(solution)
    roster = [
        {
            "staff_id": person.staff_id,
            "display_name": person.display_name,
            "date": seg.start.astimezone(tz).date(),
            "start": _local(seg.start, tz),
            "end": _local(seg.end, tz),
            "activity": Activity(seg.activity).value,
            "shift_date": shift.start.astimezone(tz).date(),
            "hours": (seg.end - seg.start).total_seconds() / 3600,
            "proposed_hire": person.hire_template or "",
        }
        for person in _people(solution)
        for shift in sorted(person.shifts, key=lambda s: s.start)
        for seg in sorted(shift.activities, key=lambda a: a.start)
    ]
    coverage = [
        {
            "interval_start": _local(r.start, tz),
            "required": r.required,
            "on_line": r.on_line,
            "on_duty": r.on_duty,
            "shortfall": r.shortfall,
        }
        for r in sorted(solution.coverage, key=lambda r: r.start)
    ]
    flags = [
        {
            "severity": f.severity,
            "kind": f.kind,
            "message": f.message,
            "start": _local(f.start, tz),
            "end": _local(f.end, tz),
            "who": names.get(f.staff_id or "", f.staff_id or ""),
        }
        for f in solution.flags
    ]
    hires = [
        {
            "template": h.template,
            "name": h.name,
            "count": h.count,
            "cost_points": h.cost,
            "line_hours_covered": h.line_hours_covered,
            "shortfall_hours_with": h.shortfall_hours_with,
            "shortfall_hours_without": h.shortfall_hours_without,
            "shifts": "; ".join(
                f"{s.start.astimezone(tz):%a %d %b %H:%M}-{s.end.astimezone(tz):%H:%M}"
                for s in h.shifts
            ),
            "message": h.message,
        }
        for h in solution.hires
    ]
    broken = [
        {
            "rule": b.title,
            "hard": "hard" if b.hard else "soft",
            "who": names.get(b.staff_id or "", b.staff_id or ""),
            "day": b.day,
            "start": _local(b.start, tz),
            "amount": b.amount,
            "unit": b.unit,
            "penalty_points": b.penalty,
            "message": b.message,
            "rule_key": b.rule,
        }
        for b in sorted(solution.broken_rules, key=lambda b: (not b.hard, b.rule))
    ]
    s = solution.stats
    about = [
        ("Site", solution.site_name),
        ("Week starting", solution.week_start.isoformat()),
        ("Times are local to", solution.timezone),
        ("Interval (minutes)", solution.interval_minutes),
        ("Solver status", s.status),
        ("Objective (points)", s.objective),
        ("Best bound (points)", s.best_bound),
        ("Gap", s.gap),
        ("Solve time (s)", s.wall_time_seconds),
        ("Method", s.method),
        ("Shortfall (counsellor-hours)", solution.shortfall_hours()),
        ("Hard rules broken", hard_rules_broken(solution.broken_rules)),
    ]
    if solution.infeasibility is not None:
        about.append(("Why the week cannot keep every rule", solution.infeasibility.message))
    columns = {
        "Roster": [*ROSTER_COLUMNS, "hours", "proposed_hire"],
        "Coverage": ["interval_start", "required", "on_line", "on_duty", "shortfall"],
        "Flags": ["severity", "kind", "message", "start", "end", "who"],
        "Hires": [
            "template",
            "name",
            "count",
            "cost_points",
            "line_hours_covered",
            "shortfall_hours_with",
            "shortfall_hours_without",
            "shifts",
            "message",
        ],
        "Broken rules": [
            "rule",
            "hard",
            "who",
            "day",
            "start",
            "amount",
            "unit",
            "penalty_points",
            "message",
            "rule_key",
        ],
    }
    frames = {
        sheet: pd.DataFrame(rows, columns=columns[sheet])
        for sheet, rows in (
            ("Roster", roster),
            ("Coverage", coverage),
            ("Flags", flags),
            ("Hires", hires),
            ("Broken rules", broken),
        )
    }
    frames["About"] = pd.DataFrame(about, columns=["what", "value"])
    return frames


def excel_workbook(solution: RosterSolution) -> bytes:
    """An .xlsx with the sheets Roster, Coverage, Flags, Hires, Broken rules and About."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", datetime_format="yyyy-mm-dd hh:mm") as writer:
        for sheet, raw in _workbook_frames(solution).items():
            frame = inert_frame(raw)
            frame.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for column, name in zip(ws.columns, frame.columns, strict=False):
                longest = max(
                    [len(str(name)), *(len(str(v)) for v in frame[name].head(200).tolist())]
                )
                ws.column_dimensions[column[0].column_letter].width = min(max(10, longest + 2), 80)
    return buffer.getvalue()


# ---------------------------------------------------------------- iCalendar


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "person"


def shift_uid(solution: RosterSolution, staff_id: str, day: date) -> str:
    """Stable per site, person and day (one shift a day is a hard rule)."""
    name = f"{solution.site_name}|{staff_id}|{day.isoformat()}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@helpline-planner"


def _description(shift: RosteredShift, tz: ZoneInfo) -> str:
    lines = [
        f"{seg.start.astimezone(tz):%H:%M}-{seg.end.astimezone(tz):%H:%M} "
        f"{ACTIVITY_WORDS.get(Activity(seg.activity), seg.activity)}"
        for seg in sorted(shift.activities, key=lambda a: a.start)
    ]
    return "\n".join(lines)


def person_calendar(
    solution: RosterSolution, staff_id: str, *, stamp: datetime | None = None
) -> bytes:
    """One VEVENT per shift of the person, the activities in its description, times with the
    site's TZID (and its VTIMEZONE). `stamp` is the DTSTAMP (default: now)."""
    person = next((p for p in solution.people if p.staff_id == staff_id), None)
    if person is None:
        raise ValueError(f"staff_id {staff_id!r} is not in this roster")
    tz = _tz(solution)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{person.display_name}: roster, week of {solution.week_start}")
    cal.add("x-wr-timezone", solution.timezone)
    for shift in sorted(person.shifts, key=lambda s: s.start):
        start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
        line = sum(
            (a.end - a.start for a in shift.activities if a.activity == Activity.LINE),
            timedelta(),
        )
        event = Event()
        event.add("uid", shift_uid(solution, staff_id, start.date()))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add(
            "summary",
            f"Helpline shift {start:%H:%M}-{end:%H:%M} "
            f"({line.total_seconds() / 3600:g} h on the line)",
        )
        event.add("description", _description(shift, tz))
        event.add("location", solution.site_name)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    cal.add_missing_timezones(
        first_date=solution.week_start - timedelta(days=7),
        last_date=solution.week_start + timedelta(days=14),
    )
    return cal.to_ical()


def calendar_file_name(solution: RosterSolution, staff_id: str) -> str:
    name = _names(solution).get(staff_id, staff_id)
    return f"roster_{solution.week_start.isoformat()}_{_slug(name)}.ics"


def all_calendars(solution: RosterSolution, *, stamp: datetime | None = None) -> bytes:
    """A .zip holding one .ics per person with a shift (proposed hires left out), named as
    calendar_file_name names them; a duplicate name gets the staff id added."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for person in _people(solution):
            if person.hire_template or not person.shifts:
                continue
            name = calendar_file_name(solution, person.staff_id)
            if name in used:
                name = name.removesuffix(".ics") + f"_{_slug(person.staff_id)}.ics"
            used.add(name)
            archive.writestr(name, person_calendar(solution, person.staff_id, stamp=stamp))
    return buffer.getvalue()


def calendars_zip_name(solution: RosterSolution) -> str:
    return f"calendars_{solution.week_start.isoformat()}.zip"
