"""Roster files for people outside the planner: CSV rows per activity, coverage per interval, an
Excel workbook with every report, and a calendar per person that re-imports cleanly."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from scheduling.cells import FORMULA_STARTS
from scheduling.roster.export import (
    COVERAGE_COLUMNS,
    ROSTER_COLUMNS,
    SHEETS,
    all_calendars,
    calendar_file_name,
    calendars_zip_name,
    coverage_csv,
    coverage_frame,
    excel_workbook,
    person_calendar,
    roster_csv,
    roster_frame,
    shift_uid,
)
from scheduling.roster.rota import printable_rota
from scheduling.roster.schema import (
    ActivitySegment,
    CoverageRow,
    Flag,
    HireAdvice,
    HireShift,
    PersonRoster,
    RosteredShift,
    RosterSolution,
    RuleBreak,
    SolveStats,
)

TZ = ZoneInfo("Asia/Karachi")
WEEK = date(2026, 11, 23)


def at(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=TZ)


def seg(activity: str, day: int, a: str, b: str) -> ActivitySegment:
    return ActivitySegment(activity=activity, start=at(day, a), end=at(day, b))


def solution(*, sana_tuesday: str = "09:00") -> RosterSolution:
    h, m = map(int, sana_tuesday.split(":"))
    tue = at(1, "00:00") + timedelta(hours=h, minutes=m)
    sana = PersonRoster(
        staff_id="7",
        display_name="Sana Iqbal",
        shifts=(
            RosteredShift(
                start=at(0, "09:00"),
                end=at(0, "15:00"),
                activities=(
                    seg("line", 0, "09:00", "11:30"),
                    seg("meal", 0, "11:30", "12:00"),
                    seg("offline", 0, "12:00", "12:30"),
                    seg("line", 0, "12:30", "15:00"),
                ),
            ),
            RosteredShift(
                start=tue,
                end=tue + timedelta(hours=4),
                activities=(
                    ActivitySegment(activity="line", start=tue, end=tue + timedelta(hours=3)),
                    ActivitySegment(
                        activity="debrief",
                        start=tue + timedelta(hours=3),
                        end=tue + timedelta(hours=4),
                    ),
                ),
            ),
        ),
        shift_minutes=600,
        line_minutes=480,
    )
    hire = PersonRoster(
        staff_id="hire:part_time_counsellor:1",
        display_name="Part-time counsellor (hire 1)",
        hire_template="part_time_counsellor",
        shifts=(
            RosteredShift(
                start=at(0, "13:00"),
                end=at(0, "17:00"),
                activities=(seg("line", 0, "13:00", "17:00"),),
            ),
        ),
        shift_minutes=240,
        line_minutes=240,
    )
    coverage = tuple(
        CoverageRow(
            start=at(0, "09:00") + timedelta(minutes=30 * i),
            end=at(0, "09:30") + timedelta(minutes=30 * i),
            required=2,
            on_line=1,
            on_duty=1,
            shortfall=1,
        )
        for i in range(3)
    )
    return RosterSolution(
        site_name="Demo helpline",
        timezone="Asia/Karachi",
        week_start=WEEK,
        interval_minutes=30,
        stats=SolveStats(
            status="FEASIBLE",
            objective=1500.0,
            best_bound=1400.0,
            gap=0.0667,
            wall_time_seconds=4.2,
            first_solution_seconds=0.5,
            method="full",
            workers=2,
            time_limit_seconds=10,
        ),
        people=(hire, sana),
        coverage=coverage,
        flags=(
            Flag(
                severity="critical",
                kind="shortfall",
                message="Monday 09:00-10:30: 1 counsellor short",
                start=at(0, "09:00"),
                end=at(0, "10:30"),
            ),
        ),
        broken_rules=(
            RuleBreak(
                rule="fair_weekends",
                title="Weekend work spread fairly",
                hard=False,
                staff_id="7",
                penalty=20,
                message="Sana Iqbal has 2 weekend days; someone else has 0",
            ),
            RuleBreak(
                rule="rest_between_shifts",
                title="At least 11 hours between two shifts",
                hard=True,
                staff_id="7",
                day=WEEK,
                message="Sana Iqbal: 9 h between Monday and Tuesday",
            ),
        ),
        hires=(
            HireAdvice(
                template="part_time_counsellor",
                name="Part-time counsellor",
                count=1,
                cost=7000,
                shifts=(
                    HireShift(day=WEEK, start=at(0, "13:00"), end=at(0, "17:00"), line_minutes=240),
                ),
                line_hours_covered=4.0,
                shortfall_hours_with=1.5,
                shortfall_hours_without=5.5,
                message="1 part-time counsellor would cover Monday 13:00-17:00",
            ),
        ),
    )


def test_roster_csv_has_one_row_per_activity_with_local_iso_times() -> None:
    sol = solution()
    frame = pd.read_csv(io.StringIO(roster_csv(sol)), dtype=str)
    assert tuple(frame.columns) == ROSTER_COLUMNS
    assert len(frame) == sum(len(s.activities) for p in sol.people for s in p.shifts) == 7
    first = frame.iloc[0].to_dict()
    assert first == {
        "staff_id": "7",
        "display_name": "Sana Iqbal",
        "date": "2026-11-23",
        "start": "2026-11-23T09:00:00+05:00",
        "end": "2026-11-23T11:30:00+05:00",
        "activity": "line",
        "shift_date": "2026-11-23",
    }
    # Staff first, proposed hires after; each person's rows in time order.
    assert frame["staff_id"].tolist()[-1] == "hire:part_time_counsellor:1"
    sana = frame[frame.staff_id == "7"]
    assert sana["start"].tolist() == sorted(sana["start"].tolist())
    assert set(frame["activity"]) == {"line", "meal", "offline", "debrief"}


def test_times_are_shown_in_the_site_zone_even_when_given_in_utc() -> None:
    sol = solution()
    utc_people = tuple(
        p.model_copy(
            update={
                "shifts": tuple(
                    s.model_copy(
                        update={
                            "activities": tuple(
                                a.model_copy(
                                    update={
                                        "start": a.start.astimezone(UTC),
                                        "end": a.end.astimezone(UTC),
                                    }
                                )
                                for a in s.activities
                            )
                        }
                    )
                    for s in p.shifts
                )
            }
        )
        for p in sol.people
    )
    utc = sol.model_copy(update={"people": utc_people})
    assert roster_csv(utc) == roster_csv(sol)


def test_cli_columns_are_available_without_names() -> None:
    frame = roster_frame(solution(), include_names=False)
    assert list(frame.columns) == ["staff_id", "date", "start", "end", "activity", "shift_date"]
    assert roster_csv(solution(), include_names=False).startswith(
        "staff_id,date,start,end,activity,shift_date\n"
    )


def test_coverage_csv_has_one_row_per_open_interval() -> None:
    text = coverage_csv(solution())
    assert text.splitlines() == [
        ",".join(COVERAGE_COLUMNS),
        "2026-11-23T09:00:00+05:00,2,1,1",
        "2026-11-23T09:30:00+05:00,2,1,1",
        "2026-11-23T10:00:00+05:00,2,1,1",
    ]
    assert coverage_frame(solution())["shortfall"].sum() == 3


def test_an_empty_roster_still_gives_files_with_headers() -> None:
    empty = solution().model_copy(update={"people": (), "coverage": ()})
    assert roster_csv(empty) == ",".join(ROSTER_COLUMNS) + "\n"
    assert coverage_csv(empty) == ",".join(COVERAGE_COLUMNS) + "\n"
    book = openpyxl.load_workbook(io.BytesIO(excel_workbook(empty)))
    assert book.sheetnames == list(SHEETS)


def test_workbook_has_every_report_as_a_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(excel_workbook(solution())))
    assert book.sheetnames == list(SHEETS)

    roster = list(book["Roster"].values)
    assert roster[0][:7] == ROSTER_COLUMNS
    assert len(roster) == 1 + 7
    # Local wall-clock times (Excel has no zones; the About sheet names it).
    assert roster[1][3] == datetime(2026, 11, 23, 9, 0)
    about = dict(list(book["About"].values)[1:])
    assert about["Times are local to"] == "Asia/Karachi"
    assert about["Solver status"] == "FEASIBLE"
    assert about["Hard rules broken"] == 1

    coverage = list(book["Coverage"].values)
    assert coverage[0] == ("interval_start", "required", "on_line", "on_duty", "shortfall")
    assert len(coverage) == 4

    flags = list(book["Flags"].values)
    assert flags[1][:3] == ("critical", "shortfall", "Monday 09:00-10:30: 1 counsellor short")

    hires = pd.read_excel(io.BytesIO(excel_workbook(solution())), sheet_name="Hires")
    assert hires.loc[0, "count"] == 1
    assert hires.loc[0, "shortfall_hours_without"] == 5.5
    assert hires.loc[0, "shifts"] == "Mon 23 Nov 13:00-17:00"

    broken = pd.read_excel(io.BytesIO(excel_workbook(solution())), sheet_name="Broken rules")
    # Hard rules first, named as the manager reads them, with the person's name.
    assert broken["rule"].tolist() == [
        "At least 11 hours between two shifts",
        "Weekend work spread fairly",
    ]
    assert broken["hard"].tolist() == ["hard", "soft"]
    assert broken["who"].tolist() == ["Sana Iqbal", "Sana Iqbal"]


def _events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def test_calendar_has_one_event_per_shift_in_the_site_zone() -> None:
    stamp = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    data = person_calendar(solution(), "7", stamp=stamp)
    text = data.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Asia/Karachi" in text
    assert "DTSTART;TZID=Asia/Karachi:20261123T090000" in text
    events = _events(data)
    assert len(events) == 2
    monday = events[0]
    assert monday.decoded("dtstart") == at(0, "09:00")
    assert monday.decoded("dtend") == at(0, "15:00")
    assert str(monday["summary"]) == "Helpline shift 09:00-15:00 (5 h on the line)"
    assert str(monday["description"]).splitlines() == [
        "09:00-11:30 on the line",
        "11:30-12:00 meal break",
        "12:00-12:30 off-line work",
        "12:30-15:00 on the line",
    ]
    assert "debrief with a supervisor" in str(events[1]["description"])
    assert monday.decoded("dtstamp") == stamp


def test_calendar_uids_are_stable_across_re_plans_of_the_same_day() -> None:
    before = _events(person_calendar(solution(), "7"))
    moved = _events(person_calendar(solution(sana_tuesday="11:00"), "7"))
    assert [str(e["uid"]) for e in before] == [str(e["uid"]) for e in moved]
    assert len({str(e["uid"]) for e in before}) == 2
    assert moved[1].decoded("dtstart") == at(1, "11:00")
    assert str(before[0]["uid"]) == shift_uid(solution(), "7", WEEK)
    assert shift_uid(solution(), "7", WEEK) != shift_uid(solution(), "8", WEEK)


def test_calendar_for_someone_not_rostered_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'99' is not in this roster"):
        person_calendar(solution(), "99")


def test_calendar_file_name_names_the_week_and_person() -> None:
    assert calendar_file_name(solution(), "7") == "roster_2026-11-23_sana-iqbal.ics"


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_a_name_a_spreadsheet_would_run_is_written_inert(name: str) -> None:
    sol = solution()
    people = tuple(
        p.model_copy(update={"display_name": name}) if p.display_name == "Sana Iqbal" else p
        for p in sol.people
    )
    sol = sol.model_copy(update={"people": people})
    text = roster_csv(sol)
    if "\r" not in name:  # a bare CR splits a CSV line whatever is done to it
        written = {r["display_name"] for r in csv.DictReader(io.StringIO(text, newline=""))}
        assert "'" + name in written
        fields = text.replace(",", "\n").split("\n")
        assert not any(field.startswith(FORMULA_STARTS) for field in fields)
    book = openpyxl.load_workbook(io.BytesIO(excel_workbook(sol)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    cells = [c.value for row in book["Roster"].iter_rows() for c in row]
    # (openpyxl reads a stored CR back in its own escaped form)
    assert any(isinstance(c, str) and c[:1] == "'" and c.endswith(name[1:]) for c in cells)


# ---------------------------------------------------------------- shift_date, all calendars, rota


def test_a_night_shifts_segments_after_midnight_carry_the_day_the_shift_starts() -> None:
    frame = roster_frame(solution(sana_tuesday="22:00"))
    night = frame[(frame.staff_id == "7") & (frame.start >= "2026-11-24")]
    assert night["date"].tolist() == ["2026-11-24", "2026-11-25"]  # line, then debrief at 01:00
    assert night["shift_date"].tolist() == ["2026-11-24", "2026-11-24"]


def test_all_calendars_come_as_one_zip_of_an_ics_per_person() -> None:
    sol = solution()
    stamp = datetime(2026, 11, 20, tzinfo=UTC)
    data = all_calendars(sol, stamp=stamp)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        # Proposed hires are not people yet: no calendar for them.
        assert names == [calendar_file_name(sol, "7")]
        assert archive.read(names[0]) == person_calendar(sol, "7", stamp=stamp)
    assert calendars_zip_name(sol) == "calendars_2026-11-23.zip"


def test_the_printable_rota_is_a_page_a_week_with_a_row_per_person_and_a_column_per_day() -> None:
    sol = solution(sana_tuesday="22:00")
    later = sol.model_copy(update={"week_start": WEEK + timedelta(days=7)})
    html = printable_rota([sol, later], label="Version 2, published.")
    assert html.count('<section class="week">') == 2
    assert "page-break-after: always" in html and "@page" in html
    first = html.split('<section class="week">')[1]
    assert first.count("<tr") == 1 + 2  # the header, Sana, the proposed hire
    assert first.count("<th>") == 7 and "<th>Mon 23 Nov</th>" in first
    sana = next(row for row in first.split("<tr") if "Sana Iqbal" in row)
    cells = sana.split("<td")[1:]
    assert len(cells) == 7
    assert "09:00-15:00" in cells[0] and "5 h on the line" in cells[0]
    assert "22:00-02:00 next day" in cells[1]  # listed on the day it starts
    assert all("off" in c for c in cells[2:])
    assert "Part-time counsellor (hire 1) (proposed hire)" in first
    assert "Version 2, published." in first and "Asia/Karachi" in first


def test_the_rota_escapes_names() -> None:
    sol = solution()
    people = tuple(
        p.model_copy(update={"display_name": "<b>Sana</b>"}) if p.staff_id == "7" else p
        for p in sol.people
    )
    html = printable_rota([sol.model_copy(update={"people": people})])
    assert "&lt;b&gt;Sana&lt;/b&gt;" in html and "<b>Sana</b>" not in html
