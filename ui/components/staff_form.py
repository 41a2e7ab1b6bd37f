"""The staff member form and the availability editor. They collect values; StaffCreate and
StaffUpdate validate them, and describe_staff_errors words each problem by the label the
manager sees."""

from __future__ import annotations

from datetime import time
from typing import Any

import streamlit as st
from pydantic import ValidationError

from data.models import StaffPublic
from scheduling.domain import WEEKDAY_NAMES, Employment, Skill
from scheduling.languages import language_name
from scheduling.staff_rules import clock

LABELS = {
    "display_name": "Name",
    "employment": "Employment",
    "skills": "Skills",
    "languages": "Languages",
    "contract_minutes_min": "Contract minimum (h a week)",
    "contract_minutes_max": "Contract maximum (h a week)",
    "line_cap_minutes_week": "Line cap (h a week)",
    "availability": "Weekly availability",
    "first_day": "First day",
    "last_day": "Last day",
    "first_day/last_day": "Dates",
    "leave": "Dates",
}
EMPLOYMENT_WORDS = {
    Employment.FULL_TIME: "Full-time",
    Employment.PART_TIME: "Part-time",
    Employment.VOLUNTEER: "Volunteer",
}


def describe_staff_errors(exc: ValidationError) -> list[str]:
    """One line per problem, led by the form label of the field it names."""
    lines = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        field = str(error["loc"][0]) if error["loc"] else ""
        if not field and ": " in message:
            field, message = message.split(": ", 1)
        label = LABELS.get(field, field.replace("_", " ").capitalize() or "Form")
        lines.append(f"{label}: {message}")
    return lines


def availability_text(member: StaffPublic | None) -> str:
    return "\n".join(
        f"{WEEKDAY_NAMES[w.weekday]} {clock(w.start_minute)}-{clock(w.end_minute)}"
        for w in (member.availability if member else [])
    )


def _minute(raw: str) -> int | None:
    raw = raw.strip()
    if raw == "24:00":
        return 1440
    try:
        parsed = time.fromisoformat(raw)
    except ValueError:
        return None
    return parsed.hour * 60 + parsed.minute


def _weekday(word: str) -> int | None:
    word = word.strip().lower()
    matches = [
        i
        for i, name in enumerate(WEEKDAY_NAMES)
        if len(word) >= 2 and name.lower().startswith(word)
    ]
    return matches[0] if len(matches) == 1 else None


def parse_availability(text: str) -> tuple[list[dict[str, int]], list[str]]:
    """Lines such as "Monday 09:00-17:00" (or "Mon 9:00-13:00") as availability windows, and
    a message per line that cannot be read, naming its line number."""
    windows: list[dict[str, int]] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day_word, _, span = line.strip().partition(" ")
        day = _weekday(day_word)
        start_text, dash, end_text = span.partition("-")
        start, end = _minute(start_text), _minute(end_text)
        if day is None or not dash or start is None or end is None:
            problems.append(
                f"{LABELS['availability']}: line {n} ({line.strip()!r}): expected a weekday and "
                "two times, such as Monday 09:00-17:00"
            )
        elif end <= start:
            problems.append(f"{LABELS['availability']}: line {n}: the end must be after the start")
        else:
            windows.append({"weekday": day, "start_minute": start, "end_minute": end})
    return windows, problems


def staff_form(key: str, member: StaffPublic | None) -> tuple[dict[str, Any], list[str]] | None:
    """The form for a new (member None) or existing member: on submit, the values for
    StaffCreate/StaffUpdate and the problems found while reading them; None before that."""
    with st.form(key, border=True):
        name = st.text_input(
            LABELS["display_name"], value=member.display_name if member else "", key=f"{key}_name"
        )
        cols = st.columns(2)
        employment = cols[0].selectbox(
            LABELS["employment"],
            options=list(Employment),
            index=list(Employment).index(member.employment) if member else 0,
            format_func=EMPLOYMENT_WORDS.__getitem__,
            key=f"{key}_employment",
        )
        skills = cols[1].multiselect(
            LABELS["skills"],
            options=list(Skill),
            default=list(member.skills) if member else [Skill.COUNSELLOR],
            format_func=lambda s: s.value.replace("_", " "),
            key=f"{key}_skills",
        )
        languages = st.text_input(
            LABELS["languages"],
            value=", ".join(member.languages) if member else "",
            help="Language codes, comma-separated: ur for Urdu, pa for Punjabi, en for English.",
            key=f"{key}_languages",
        )
        hours = st.columns(3)
        cmin = hours[0].number_input(
            LABELS["contract_minutes_min"],
            min_value=0.0,
            max_value=168.0,
            step=0.5,
            value=(member.contract_minutes_min / 60) if member else 0.0,
            key=f"{key}_cmin",
        )
        cmax = hours[1].number_input(
            LABELS["contract_minutes_max"],
            min_value=0.0,
            max_value=168.0,
            step=0.5,
            value=(member.contract_minutes_max / 60) if member else 40.0,
            key=f"{key}_cmax",
        )
        cap = hours[2].number_input(
            LABELS["line_cap_minutes_week"],
            min_value=0.0,
            max_value=168.0,
            step=0.5,
            value=(member.line_cap_minutes_week / 60) if member else 30.0,
            key=f"{key}_cap",
        )
        availability = st.text_area(
            LABELS["availability"],
            value=availability_text(member),
            help="One window per line, such as Monday 09:00-17:00, inside the opening hours. "
            "Empty: any time the helpline is open.",
            key=f"{key}_availability",
        )
        submitted = st.form_submit_button(
            "Add staff member" if member is None else "Save changes", type="primary"
        )
    if not submitted:
        return None
    windows, problems = parse_availability(availability)
    values: dict[str, Any] = {
        "display_name": name.strip(),
        "employment": employment,
        "skills": skills,
        "languages": [c.strip() for c in languages.split(",") if c.strip()],
        "contract_minutes_min": round(cmin * 60),
        "contract_minutes_max": round(cmax * 60),
        "line_cap_minutes_week": round(cap * 60),
        "availability": windows,
    }
    return values, problems


def languages_words(codes: list[str]) -> str:
    return ", ".join(language_name(c) for c in codes) or "—"
