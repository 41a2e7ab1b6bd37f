"""Read-only panels for the Roster page: which requirements a solve uses, the status of a saved
version, its flags, hire advice, broken rules and the infeasibility explanation. They show
what the domain worked out and compute none of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from data.models import RosterPublic
from data.planning import RosterInputs
from scheduling.languages import language_list
from scheduling.roster.hire_verdict import HireVerdict
from scheduling.roster.quality import hard_rules_broken
from scheduling.roster.schema import (
    Flag,
    HireAdvice,
    InfeasibilityExplanation,
    RosterSolution,
    RuleBreak,
)
from ui.components.staffing_form import settings_summary

STATUS_WORDS = {
    "OPTIMAL": "Optimal: proven the best roster under the rules and weights",
    "FEASIBLE": "Feasible: a good roster, not proven the best in the time allowed",
    "INFEASIBLE": "The hard rules cannot all be kept: the best roster breaking as few as it can",
    "UNKNOWN": "No roster found in the time allowed",
    "MODEL_INVALID": "The solver refused the model (a bug: please report it)",
}
METHOD_WORDS = {"full": "one model", "decomposed": "decomposed: cover, assign, place"}
SEVERITY_BADGE = {"critical": "red", "warning": "orange", "info": "blue"}
VERSION_STATUS_BADGE = {"draft": "gray", "published": "green", "superseded": "violet"}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def when(value: datetime, tz: ZoneInfo) -> str:
    return f"{_aware(value).astimezone(tz):%a %d %b %Y %H:%M}"


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def version_label(roster: RosterPublic, tz: ZoneInfo) -> str:
    return (
        f"Version {roster.version} · {roster.status} · {when(roster.created_at, tz)} by "
        f"{roster.created_by} · {roster.solver_status.lower()} · "
        f"{roster.shortfall_hours:g} h short"
        + (f" · {roster.hard_rules_broken} hard rule(s) broken" if roster.hard_rules_broken else "")
    )


def requirements_panel(inputs: RosterInputs, tz: ZoneInfo) -> None:
    """Which requirement the solve will roster against, and what comes with it."""
    run = inputs.forecast_run
    if run is None or inputs.requirements is None:
        return
    totals = f"{inputs.required_hours:g} counsellor-hours on the line, at most "
    totals += f"{inputs.peak_required} at once"
    method = run.inputs.get("method_note") or run.method
    st.markdown(
        f"**Requirements:** forecast run {run.id}, saved {when(run.created_at, tz)} by "
        f"{run.created_by}: {totals}."
    )
    skills = Counter(s.skill.value.replace("_", " ") for s in inputs.skill_requirements)
    notes = [
        "Staffing settings as saved with the forecast"
        if inputs.settings_from_forecast
        else "The site's current staffing settings (the forecast did not record its own)",
        f"{len(inputs.staff)} active staff",
    ]
    if skills:
        notes.append(
            "cover on shift: " + ", ".join(f"{skill} ({n} windows)" for skill, n in skills.items())
        )
    if inputs.settings.floors.languages_required:
        notes.append(
            "on the line, someone speaking "
            + language_list(inputs.settings.floors.languages_required)
        )
    st.caption(" · ".join(notes) + f". {method}")
    st.caption(f"Targets this forecast used: {settings_summary(inputs.settings)}.")


def status_panel(roster: RosterPublic, solution: RosterSolution, tz: ZoneInfo) -> None:
    s = solution.stats
    badge = VERSION_STATUS_BADGE.get(roster.status, "gray")
    published = (
        f" on {when(roster.published_at, tz)} by {roster.published_by}"
        if roster.published_at and roster.published_by
        else ""
    )
    st.markdown(
        f":{badge}-badge[{roster.status.capitalize()}{published}] "
        f"**{STATUS_WORDS.get(s.status, s.status)}**"
    )
    gap = (
        "—"
        if s.objective is None or s.best_bound is None
        else f"the best possible roster is at most {points(max(0.0, s.objective - s.best_bound))} "
        "points better"
    )
    st.caption(
        f"Solver status {s.status} · objective {points(s.objective)} points · bound "
        f"{points(s.best_bound)} · {gap} · {s.wall_time_seconds:.1f} s of "
        f"{s.time_limit_seconds:g} s · {METHOD_WORDS.get(s.method, s.method)}, "
        f"{s.workers} workers"
        + (
            f" · first roster after {s.first_solution_seconds:.1f} s"
            if s.first_solution_seconds is not None
            else ""
        )
    )
    staff = [p for p in solution.people if not p.hire_template and p.shifts]
    if not staff and not solution.hires:
        return
    hired = sum(h.count for h in solution.hires)
    hard = hard_rules_broken(solution.broken_rules)
    cols = st.columns(5)
    cols[0].metric(
        "Shortfall",
        f"{solution.shortfall_hours():g} h",
        help="Counsellor-hours required on the line that nobody covers.",
    )
    cols[1].metric(
        "On the line",
        f"{sum(p.line_minutes for p in solution.people) / 60:g} h",
        help="Counsellor-hours rostered on the line (proposed hires included).",
    )
    cols[2].metric("Staff rostered", len(staff))
    cols[3].metric("Hires advised", hired)
    cols[4].metric(
        "Hard rules broken",
        hard,
        help="Rules that must hold (rest, days off, contract hours...): a roster breaking one "
        "should not be published without a reason.",
    )


def flags_panel(flags: Sequence[Flag], names: dict[str, str], tz: ZoneInfo) -> None:
    if not flags:
        st.success("No flags: nothing short, nothing broken.", icon=":material/check_circle:")
        return
    order = {"critical": 0, "warning": 1, "info": 2}

    def key(f: Flag) -> tuple[int, float]:
        return (order.get(f.severity, 3), f.start.timestamp() if f.start else 0.0)

    ordered = sorted(flags, key=key)
    counts = Counter(f.severity for f in flags)
    st.caption(" · ".join(f"{counts[k]} {k}" for k in ("critical", "warning", "info") if counts[k]))
    lines = []
    for flag in ordered:
        name = names.get(flag.staff_id or "")
        who = f" ({name})" if name and name not in flag.message else ""
        colour = SEVERITY_BADGE.get(flag.severity, "gray")
        lines.append(f"- :{colour}-badge[{flag.severity}] {flag.message}{who}")
    shown, rest = lines[:25], lines[25:]
    st.markdown("\n".join(shown))
    if rest:
        with st.expander(f"{len(rest)} more"):
            st.markdown("\n".join(rest))


def hires_panel(hires: Sequence[HireAdvice], verdict: HireVerdict, tz: ZoneInfo) -> None:
    """The hire advice, under the sentence that squares it with the shortfall."""
    if hires:
        st.caption(verdict.message)
    elif verdict.would_close is None:
        st.caption(verdict.message)
        return
    else:
        st.info(verdict.message, icon=":material/person_add:")
        return
    for advice in hires:
        box = st.container(border=True)
        box.markdown(f"**{advice.count} × {advice.name}** · cost {advice.cost:,} points")
        box.write(advice.message)
        box.markdown(
            f"They would work **{advice.line_hours_covered:g} h** on the line. Shortfall "
            f"**{advice.shortfall_hours_with:g} h** with them, "
            f"**{advice.shortfall_hours_without:g} h** without."
        )
        if advice.shifts:
            table = pd.DataFrame(
                {
                    "Day": [f"{s.start.astimezone(tz):%a %d %b}" for s in advice.shifts],
                    "Hours": [
                        f"{s.start.astimezone(tz):%H:%M}-{s.end.astimezone(tz):%H:%M}"
                        for s in advice.shifts
                    ],
                    "On the line": [f"{s.line_minutes / 60:g} h" for s in advice.shifts],
                }
            )
            box.dataframe(table, hide_index=True, width="stretch")


def broken_rules_frame(
    breaks: Sequence[RuleBreak], names: dict[str, str], tz: ZoneInfo
) -> pd.DataFrame:
    rows = [
        {
            "Rule": b.title,
            "Kind": "hard" if b.hard else "soft",
            "Who": names.get(b.staff_id or "", b.staff_id or ""),
            "Day": f"{b.day:%a %d %b}" if b.day else "",
            "What happened": b.message,
            "Penalty (points)": round(b.penalty, 1),
        }
        for b in sorted(breaks, key=lambda b: (not b.hard, -b.penalty, b.title))
    ]
    # The long text goes last, so a narrow screen cuts prose, never a figure.
    columns = ["Rule", "Kind", "Who", "Day", "Penalty (points)", "What happened"]
    return pd.DataFrame(rows, columns=columns)


def hard_rules_alert(breaks: Sequence[RuleBreak], names: dict[str, str]) -> None:
    """Hard rules broken, at the top of the version: they must hold."""
    hard = [b for b in breaks if b.hard]
    if not hard:
        return
    st.error(
        f"**{len(hard)} hard rule(s) broken.** These must hold; publish only with a reason.\n\n"
        + "\n".join(
            f"- **{b.title}**: {b.message}"
            + (f" ({names.get(b.staff_id, b.staff_id)})" if b.staff_id else "")
            for b in hard
        ),
        icon=":material/gpp_bad:",
    )


def broken_rules_panel(breaks: Sequence[RuleBreak], names: dict[str, str], tz: ZoneInfo) -> None:
    """Every broken rule in a table, hard ones first, named as the manager reads them."""
    if not breaks:
        st.success("Every rule is kept, hard and soft.", icon=":material/check_circle:")
        return
    soft = Counter(b.title for b in breaks if not b.hard)
    if soft:
        st.caption(
            "Soft rules bent (they cost points; the solver weighed them against each other): "
            + " · ".join(f"{title} ×{n}" for title, n in soft.most_common())
        )
    st.dataframe(
        broken_rules_frame(breaks, names, tz),
        hide_index=True,
        width="stretch",
        column_config={
            "Rule": st.column_config.TextColumn(width=260),
            "Kind": st.column_config.TextColumn(width=50),
            "Who": st.column_config.TextColumn(width=130),
            "Day": st.column_config.TextColumn(width=90),
            "Penalty (points)": st.column_config.NumberColumn("Points", width=60, format="%.1f"),
            "What happened": st.column_config.TextColumn(
                help="The whole text shows on hover, and in the Excel file."
            ),
        },
    )


def infeasibility_panel(info: InfeasibilityExplanation | None) -> None:
    if info is None:
        return
    st.warning(f"**Why the week cannot keep every rule.** {info.message}", icon=":material/block:")
    if info.conflicts:
        st.markdown(
            "**Rules that cannot all hold together:**\n"
            + "\n".join(f"- {c.title}: {c.message}" for c in info.conflicts)
        )
    if info.relaxed:
        st.markdown(
            "**Broken in the roster shown:**\n"
            + "\n".join(f"- {c.title}: {c.message}" for c in info.relaxed)
        )
