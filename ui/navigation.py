"""Which pages each role sees. A page also checks the role itself (ui.session.require_role)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from scheduling.domain import Role

PAGES_DIR = Path(__file__).resolve().parent / "pages"
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    roles: frozenset[Role]
    section: str = "Planner"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home.py", "Home", ":material/home:", ALL_ROLES),
    PageSpec(
        "call_history.py",
        "Call history",
        ":material/call:",
        frozenset({Role.MANAGER, Role.ADMIN, Role.LEADERSHIP}),
    ),
    PageSpec(
        "forecast_staffing.py",
        "Forecast & staffing",
        ":material/query_stats:",
        frozenset({Role.MANAGER}),
    ),
    PageSpec("roster.py", "Roster", ":material/calendar_month:", frozenset({Role.MANAGER})),
    PageSpec(
        "scenarios.py",
        "Scenarios",
        ":material/compare_arrows:",
        frozenset({Role.LEADERSHIP, Role.MANAGER}),
    ),
    PageSpec("network.py", "Network", ":material/hub:", frozenset({Role.LEADERSHIP})),
    PageSpec("today.py", "Today", ":material/monitor_heart:", frozenset({Role.MANAGER})),
    PageSpec(
        "my_shift.py",
        "My shift",
        ":material/headset_mic:",
        frozenset({Role.STAFF, Role.SUPERVISOR}),
        section="Wellbeing",
    ),
    PageSpec(
        "debriefs.py",
        "Debriefs",
        ":material/forum:",
        frozenset({Role.SUPERVISOR}),
        section="Wellbeing",
    ),
    PageSpec(
        "team_wellbeing.py",
        "Team wellbeing",
        ":material/diversity_3:",
        frozenset({Role.LEADERSHIP}),
        section="Wellbeing",
    ),
    PageSpec("staff.py", "Staff", ":material/groups:", frozenset({Role.MANAGER, Role.ADMIN})),
    PageSpec("requests.py", "Requests", ":material/inbox:", frozenset({Role.MANAGER, Role.ADMIN})),
    PageSpec("admin.py", "Admin", ":material/admin_panel_settings:", frozenset({Role.ADMIN})),
    PageSpec("account.py", "My account", ":material/person:", ALL_ROLES, section="Account"),
)


def page_files_for(role: Role | None) -> list[str]:
    if role is None:
        return ["login.py"]
    return [p.file for p in PAGES if role in p.roles and (PAGES_DIR / p.file).exists()]


def build_navigation(role: Role | None) -> dict[str, list[st.Page]]:
    if role is None:
        return {"": [st.Page(PAGES_DIR / "login.py", title="Sign in", icon=":material/login:")]}
    sections: dict[str, list[st.Page]] = {}
    allowed = set(page_files_for(role))
    for spec in PAGES:
        if spec.file in allowed:
            page = st.Page(PAGES_DIR / spec.file, title=spec.title, icon=spec.icon)
            sections.setdefault(spec.section, []).append(page)
    return sections
