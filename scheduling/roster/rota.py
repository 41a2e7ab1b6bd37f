"""A printable weekly rota for the wall: one page per week, a row per person and a column per
day, each cell the shift's hours (and its time on the line). Print-friendly HTML that any
browser prints to paper or PDF; a pure function of RosterSolutions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from html import escape
from zoneinfo import ZoneInfo

from scheduling.roster.schema import Activity, PersonRoster, RosteredShift, RosterSolution

STYLE = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: system-ui, sans-serif; color: #000; margin: 0; }
section.week { page-break-after: always; break-after: page; }
section.week:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
p.about { font-size: 9pt; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 10pt; }
th, td { border: 1px solid #444; padding: 2mm; vertical-align: top; text-align: left; }
th.person { width: 18%; }
td.off { color: #777; }
tr.hire th, tr.hire td { font-style: italic; }
small { display: block; font-size: 8pt; }
"""


def _line_hours(shift: RosteredShift) -> float:
    line = sum(
        (a.end - a.start for a in shift.activities if a.activity == Activity.LINE), timedelta()
    )
    return line.total_seconds() / 3600


def _cell(shifts: Sequence[RosteredShift], tz: ZoneInfo) -> str:
    if not shifts:
        return '<td class="off">off</td>'
    parts = []
    for shift in shifts:
        start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
        if end.date() > start.date():
            until = "24:00" if end.hour == end.minute == 0 else f"{end:%H:%M} next day"
        else:
            until = f"{end:%H:%M}"
        parts.append(f"{start:%H:%M}-{until}<small>{_line_hours(shift):g} h on the line</small>")
    return "<td>" + "".join(parts) + "</td>"


def _row(person: PersonRoster, solution: RosterSolution, tz: ZoneInfo) -> str:
    days = [solution.week_start + timedelta(days=i) for i in range(7)]
    by_day = {d: [s for s in person.shifts if s.start.astimezone(tz).date() == d] for d in days}
    hire = person.hire_template is not None
    name = escape(person.display_name) + (" (proposed hire)" if hire else "")
    hours = person.shift_minutes / 60
    cells = "".join(_cell(sorted(by_day[d], key=lambda s: s.start), tz) for d in days)
    row_class = ' class="hire"' if hire else ""
    return (
        f'<tr{row_class}><th class="person">{name}'
        f"<small>{hours:g} h this week</small></th>{cells}</tr>"
    )


def _week(solution: RosterSolution, label: str) -> str:
    tz = ZoneInfo(solution.timezone)
    days = [solution.week_start + timedelta(days=i) for i in range(7)]
    people = sorted(
        (p for p in solution.people if p.shifts),
        key=lambda p: (p.hire_template is not None, p.display_name),
    )
    head = "".join(f"<th>{d:%a %d %b}</th>" for d in days)
    rows = "".join(_row(p, solution, tz) for p in people) or (
        '<tr><td colspan="8">Nobody is rostered this week.</td></tr>'
    )
    return (
        '<section class="week">'
        f"<h1>{escape(solution.site_name)}: rota for the week of "
        f"{solution.week_start:%A %d %B %Y}</h1>"
        f'<p class="about">{escape(label)} Times in {escape(solution.timezone)}; a shift is '
        "listed on the day it starts.</p>"
        f'<table><thead><tr><th class="person">Who</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def printable_rota(solutions: Sequence[RosterSolution], *, label: str = "") -> str:
    """One HTML document, a page per week (the weeks in the order given)."""
    if not solutions:
        raise ValueError("no roster to print")
    title = escape(solutions[0].site_name) + " rota"
    pages = "".join(_week(s, label) for s in solutions)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>{pages}</body></html>"
    )


def rota_file_name(solution: RosterSolution) -> str:
    return f"rota_{solution.week_start.isoformat()}.html"
