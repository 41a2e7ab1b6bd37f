"""Hire advice that agrees with the shortfall: when the staff leave counsellor-hours uncovered
and the solve proposed no hire, say which hire would close them and why the solve did not
take it (the cost against the shortfall's, hires not allowed), next to why the staff cannot
(the reasons the roster records for its short intervals: rest, days off, caps)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from scheduling.domain import WEEKDAY_NAMES, Skill
from scheduling.roster.rules.days_off import most_working_days
from scheduling.roster.schema import CoverageRow, HireTemplate, RosterInstance, RosterSolution


def counsellor_hours(hours: float) -> str:
    """'1 counsellor-hour', '2.5 counsellor-hours'."""
    return f"{hours:g} counsellor-hour" + ("" if hours == 1 else "s")


def stays_uncovered(hours: float) -> str:
    """'1 counsellor-hour stays uncovered', '2 counsellor-hours stay uncovered'."""
    return f"{counsellor_hours(hours)} {'stays' if hours == 1 else 'stay'} uncovered"


class HireVerdict(BaseModel):
    """The one sentence above the hire advice, and the hire that would close a shortfall the
    solve left (None when there is none, or hires were proposed)."""

    model_config = ConfigDict(frozen=True)

    message: str
    would_close: HireTemplate | None = None
    would_close_count: int = 0


def _short_windows(rows: list[CoverageRow]) -> dict[date, tuple[datetime, datetime, int]]:
    """Per local day: from the first short interval to the end of the last, and the most
    counsellors short at once."""
    by_day: dict[date, list[CoverageRow]] = defaultdict(list)
    for row in rows:
        by_day[row.start.date()].append(row)
    return {
        day: (
            min(r.start for r in day_rows),
            max(r.end for r in day_rows),
            max(r.shortfall for r in day_rows),
        )
        for day, day_rows in sorted(by_day.items())
    }


def _staff_reasons(solution: RosterSolution) -> list[str]:
    """Why the staff cannot take the short intervals, in time order, from the reasons the
    roster records with its coverage (the words its shortfall flags use)."""
    reasons: list[str] = []
    for row in sorted(solution.coverage, key=lambda r: r.start):
        if row.shortfall and row.short_reason is not None and row.short_reason not in reasons:
            reasons.append(row.short_reason.value)
    return reasons


def hire_verdict(instance: RosterInstance, solution: RosterSolution) -> HireVerdict:
    """What to say about hiring, consistent with the roster's shortfall."""
    short_h = solution.shortfall_hours()
    tz = instance.tz
    rows = [
        r.model_copy(update={"start": r.start.astimezone(tz), "end": r.end.astimezone(tz)})
        for r in solution.coverage
        if r.shortfall > 0
    ]
    if solution.hires:
        if not short_h:
            return HireVerdict(message="The hires below close the shortfall.")
        return HireVerdict(message=f"Even with the hires below, {stays_uncovered(short_h)}.")
    if not short_h:
        return HireVerdict(message="No hire advised: the staff cover every open interval.")

    reasons = _staff_reasons(solution)
    staff_words = "The staff cannot take it" + (f": {'; '.join(reasons)}." if reasons else ".")
    lead = f"No hire proposed, though {stays_uncovered(short_h)}. {staff_words}"
    templates = [
        t
        for t in instance.hire_templates
        if Skill.COUNSELLOR in t.skills and t.line_cap_minutes_week > 0 and t.max_count > 0
    ]
    if not instance.options.allow_hires or not templates:
        why = (
            "hires were not allowed in this solve"
            if not instance.options.allow_hires
            else "this site offers no counsellor to hire"
        )
        return HireVerdict(
            message=f"{lead} No hire was weighed: {why}. Allow hires and solve again to see "
            "which would close it."
        )

    windows = _short_windows(rows)
    rules = instance.rules
    work_days = most_working_days(rules)
    most_at_once = max(w[2] for w in windows.values())
    # One hire per counsellor short at once, more when the short days exceed a working week.
    count = most_at_once * -(-len(windows) // max(work_days, 1))
    template = min(templates, key=lambda t: t.cost)
    count = min(count, template.max_count)
    pattern = ", ".join(
        f"{WEEKDAY_NAMES[day.weekday()][:3]} "
        f"{_shift_around(start, end, rules.shift_min_minutes):%H:%M}-{end:%H:%M}"
        for day, (start, end, _) in windows.items()
    )
    cost = template.cost * count
    short_cost = short_h * instance.weights.shortfall_per_hour
    name = template.name.lower() + ("" if count == 1 else "s")
    minimum = (
        f", at least {template.contract_minutes_min / 60:g} h a week"
        if template.contract_minutes_min
        else ""
    )
    return HireVerdict(
        message=f"{lead} {count} {name} ({pattern}{minimum}) would close it, but would cost "
        f"{cost:,} points against the {short_cost:,.0f} the shortfall costs, so the solve left "
        "it short. Raise the shortfall's weight or lower the hire's cost to have it proposed.",
        would_close=template,
        would_close_count=count,
    )


def _shift_around(start: datetime, end: datetime, shortest_minutes: int) -> datetime:
    """The start of the shortest allowed shift that ends at `end` and covers from `start`."""
    return min(start, end - timedelta(minutes=shortest_minutes))
