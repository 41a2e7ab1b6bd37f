"""Every rule by key, with the name a manager reads. The model, the validator and the
explanations all use these keys, so a broken rule is named the same way everywhere."""

from __future__ import annotations

from scheduling.roster.schema import RosterInstance

HARD = {
    "availability": True,
    "one_shift_per_day": True,
    "shift_length": True,
    "rest_between_shifts": True,
    "consecutive_days": True,
    "days_off": True,
    "contract_hours": True,
    "line_hours": True,
    "meal_break": True,
    "decompression": True,
    "activities": True,
    "skill_cover": True,
    "language_cover": False,
    "pinned": True,
    "coverage": False,
    "seats": True,
    "min_on_duty": False,
    "debrief": False,
    "debrief_request": False,
    "offline_day": False,
    "off_queue": True,
    "line_stability": False,
    "fair_weekends": False,
    "fair_late_shifts": False,
    "fair_peaks": False,
    "line_blocks": False,
    "preferences": False,
    "stability": False,
    "rostered_hours": False,
    "hire_cost": False,
}


def _h(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h}" if not m else f"{h}:{m:02d}" if h else f"{m} minutes"


def title(key: str, inst: RosterInstance) -> str:
    r = inst.rules
    names = {
        "availability": "Only when available and not on leave",
        "one_shift_per_day": "At most one shift a day",
        "shift_length": f"Shifts of {_h(r.shift_min_minutes)} to {_h(r.shift_max_minutes)} hours, "
        f"starting on the {'half ' if r.shift_start_step_minutes == 30 else ''}hour",
        "rest_between_shifts": f"At least {_h(r.min_rest_minutes)} hours between two shifts",
        "consecutive_days": f"At most {r.max_consecutive_days} working days in a row",
        "days_off": f"At least {r.min_days_off_week} days off in the week",
        "contract_hours": "Contract hours within the agreed minimum and maximum",
        "line_hours": f"At most {_h(r.line_max_minutes_day)} hours a day on the line, "
        "and no more than the weekly line cap",
        "meal_break": f"A {r.meal_break_minutes}-minute meal break in any shift over "
        f"{_h(r.meal_break_if_shift_over_minutes)} hours, between hour "
        f"{_h(r.meal_break_earliest_minutes)} and hour {_h(r.meal_break_latest_end_minutes)}",
        "decompression": "Planned decompression time in every shift",
        "activities": "Every minute of a shift has one activity; only counsellors take calls",
        "skill_cover": "Supervisor and specialist cover",
        "language_cover": "Language speakers on the line",
        "pinned": "Published shifts before the pin moment stay as published",
        "coverage": "Enough counsellors on the line",
        "seats": f"No more counsellors on the line than the {inst.seats} seats"
        if inst.seats is not None
        else "No more counsellors on the line than the seats",
        "min_on_duty": f"Never fewer than {inst.min_on_duty} on duty while open",
        "debrief": "A debrief with a supervisor on shift",
        "debrief_request": "A requested debrief with a supervisor before its deadline",
        "offline_day": "An off-line day for someone wellbeing asks one for",
        "off_queue": "Nobody on the line while off the queue after a difficult call",
        "line_stability": "Keep published line time in a re-plan",
        "fair_weekends": "Weekend work spread fairly",
        "fair_late_shifts": "Late shifts spread fairly",
        "fair_peaks": "Peak hours on the line spread fairly",
        "line_blocks": "Line time in blocks, not switched back and forth",
        "preferences": "Wishes for days and shifts",
        "stability": "Keep the published roster where possible",
        "rostered_hours": "Paid hours kept to what is needed",
        "hire_cost": "Cost of hiring",
        "relaxed_hard_rule": "Hard rule dropped because the week is impossible otherwise",
    }
    return names.get(key, key)
