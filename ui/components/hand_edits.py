"""Hand edits on the Roster page: a form to move, add or remove a shift or change an activity,
the list of edits each undoable, what the edits break (the validator's rules, in the manager's
words), and "Save as draft" / "Re-optimise around my edits". The edits are made and scored by
scheduling.roster.hand_edits; this component only lays them out and keeps the list in the
session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from data.errors import ConflictError, NotFoundError
from data.models import RosterPublic
from data.services.roster import save_edited_roster
from scheduling.roster.hand_edits import (
    ACTIVITY_WORDS,
    AddShift,
    ChangeActivity,
    EditedRoster,
    EditError,
    HandEdit,
    MoveShift,
    RemoveShift,
    apply_edit,
    apply_edits,
    break_lines,
    describe,
    hand_pins,
    new_breaks,
    reoptimise_instance,
    staff_names,
)
from scheduling.roster.quality import hard_rules_broken
from scheduling.roster.schema import (
    Activity,
    RosteredShift,
    RosterInstance,
    RosterSolution,
    SolveOptions,
)
from ui.state import engine

KINDS = {
    "move": "Move a shift",
    "add": "Add a shift",
    "remove": "Remove a shift",
    "activity": "Change an activity",
}


def edits_key(roster_id: int) -> str:
    return f"hand_edits_{roster_id}"


def _edited(roster_id: int, inst: RosterInstance, sol: RosterSolution) -> EditedRoster:
    """The version with the session's edits made, worked out once per list of edits."""
    edits = tuple(st.session_state.get(edits_key(roster_id), ()))
    memo_key = f"hand_edits_result_{roster_id}"
    memo = st.session_state.get(memo_key)
    if memo is not None and memo[0] == edits:
        return memo[1]
    done = apply_edits(inst, sol, edits)
    st.session_state[memo_key] = (edits, done)
    return done


def _shift_label(shift: RosteredShift, tz: ZoneInfo) -> str:
    a, b = shift.start.astimezone(tz), shift.end.astimezone(tz)
    return f"{a:%a %d %b %H:%M}-{b:%H:%M}"


def _times(
    prefix: str, week: date, step: int, default_day: date, default: tuple[time, time]
) -> tuple[date, time, time, bool]:
    cols = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    day = cols[0].date_input(
        "Day",
        value=default_day,
        min_value=week,
        max_value=week + timedelta(days=6),
        key=f"{prefix}_day",
    )
    start = cols[1].time_input(
        "Start", value=default[0], step=timedelta(minutes=step), key=f"{prefix}_start"
    )
    end = cols[2].time_input(
        "End", value=default[1], step=timedelta(minutes=step), key=f"{prefix}_end"
    )
    next_day = cols[3].checkbox("Ends next day", key=f"{prefix}_next_day")
    return (day if isinstance(day, date) else default_day), start, end, next_day


def _span(day: date, start: time, end: time, next_day: bool, tz: ZoneInfo) -> tuple:
    begin = datetime.combine(day, start, tz)
    finish = datetime.combine(day + timedelta(days=1 if next_day else 0), end, tz)
    return begin, finish


def _form(
    roster_id: int, inst: RosterInstance, current: RosterSolution, tz: ZoneInfo
) -> HandEdit | None:
    """The edit the manager asks for, or None until they press Apply."""
    key = f"hand_edit_{roster_id}"
    kind = st.radio(
        "Edit",
        options=list(KINDS),
        format_func=KINDS.__getitem__,
        horizontal=True,
        key=f"{key}_kind",
        label_visibility="collapsed",
    )
    names = staff_names(inst, current)
    people = {p.staff_id: p for p in current.people}
    choices = (
        sorted(names, key=names.__getitem__)
        if kind == "add"
        else sorted((i for i, p in people.items() if p.shifts), key=names.__getitem__)
    )
    if not choices:
        st.caption("No one has a shift to change.")
        return None
    who = st.selectbox("Who", options=choices, format_func=names.__getitem__, key=f"{key}_who")
    shifts = people[who].shifts if who in people else ()
    shift: RosteredShift | None = None
    if kind != "add":
        n = st.selectbox(
            "Shift",
            options=list(range(len(shifts))),
            format_func=lambda i: _shift_label(shifts[i], tz),
            key=f"{key}_shift_{who}",
        )
        shift = shifts[n or 0]
    step = inst.interval_minutes
    edit: HandEdit | None = None
    if kind in ("move", "add"):
        base = (
            shift.start.astimezone(tz) if shift else datetime.combine(inst.week_start, time(9), tz)
        )
        until = shift.end.astimezone(tz) if shift else base + timedelta(hours=8)
        day, start, end, next_day = _times(
            f"{key}_{kind}", inst.week_start, step, base.date(), (base.time(), until.time())
        )
        begin, finish = _span(day, start, end, next_day, tz)
        if kind == "move" and shift is not None:
            edit = MoveShift(staff_id=who, shift_start=shift.start, start=begin, end=finish)
        else:
            edit = AddShift(staff_id=who, start=begin, end=finish)
    elif kind == "remove" and shift is not None:
        edit = RemoveShift(staff_id=who, shift_start=shift.start)
    elif shift is not None:
        bounds = []
        t = shift.start
        while t <= shift.end:
            bounds.append(t)
            t += timedelta(minutes=step)
        cols = st.columns([1, 1, 2], vertical_alignment="bottom")
        label = lambda d: f"{d.astimezone(tz):%H:%M}"  # noqa: E731
        at = f"{key}_{who}_{shift.start:%Y%m%d%H%M}"
        a = cols[0].selectbox("From", bounds[:-1], format_func=label, key=f"{at}_from")
        b = cols[1].selectbox(
            "To", bounds[1:], format_func=label, index=min(1, len(bounds) - 2), key=f"{at}_to"
        )
        activity = cols[2].selectbox(
            "Becomes",
            options=list(Activity),
            format_func=ACTIVITY_WORDS.__getitem__,
            key=f"{key}_activity",
        )
        if a is not None and b is not None and activity is not None:
            edit = ChangeActivity(
                staff_id=who, shift_start=shift.start, start=a, end=b, activity=activity
            )
    if st.button("Apply edit", icon=":material/edit:", key=f"{key}_apply") and edit is not None:
        return edit
    return None


def show(
    *,
    roster: RosterPublic,
    instance: RosterInstance,
    solution: RosterSolution,
    tz: ZoneInfo,
    actor: str,
    options: SolveOptions,
    resolve: Callable[[RosterInstance], None],
    solving: bool = False,
) -> RosterSolution:
    """The hand-edit panel for a saved version; returns the roster to draw (the version with
    the session's edits made, or the version itself when there are none)."""
    key = edits_key(roster.id)
    done = _edited(roster.id, instance, solution)
    if done.refused:  # an undo left them without the edit they built on: said once, dropped
        st.session_state[key] = list(done.applied)
    edits: list[HandEdit] = st.session_state.setdefault(key, [])
    current = done.solution
    names = staff_names(instance, current)
    box = st.container(border=True, key="roster_hand_edits")
    with box:
        st.markdown("#### Adjust by hand")
        st.caption(
            "Each edit is checked against every rule at once; the charts and reports below "
            "show the roster as edited. Nothing is saved until you save it as a draft"
            + (" (the published version stays as it is)." if roster.status == "published" else ".")
        )
        asked = _form(roster.id, instance, current, tz)
        if asked is not None:
            try:
                after = apply_edit(instance, current, asked)
            except EditError as exc:
                st.error(
                    f"{describe(asked, instance, current)}: not made, {exc}.",
                    icon=":material/block:",
                )
            else:
                edits.append(asked)
                st.session_state[f"hand_edits_result_{roster.id}"] = (
                    tuple(edits),
                    EditedRoster(solution=after, applied=(*done.applied, asked)),
                )
                done, current = st.session_state[f"hand_edits_result_{roster.id}"][1], after
                broke = new_breaks(solution.broken_rules, after.broken_rules)
                if not [b for b in broke if b.hard]:
                    st.success(
                        f"{describe(asked, instance, solution)}: done, no hard rule broken.",
                        icon=":material/check:",
                    )
        for edit, why in done.refused:
            st.warning(
                f"{describe(edit, instance, solution)}: dropped, it no longer applies ({why}).",
                icon=":material/undo:",
            )
        if not edits:
            return solution
        _summary(solution, current, names)
        st.markdown(f"**Your edits ({len(edits)})**")
        for n, edit in enumerate(list(edits)):
            row = st.container(horizontal=True, vertical_alignment="center")
            row.markdown(f"{n + 1}. {describe(edit, instance, solution)}")
            if row.button("Undo", icon=":material/undo:", key=f"hand_edit_undo_{roster.id}_{n}"):
                edits.pop(n)
                st.rerun()
        _actions(roster, instance, solution, done, edits, actor, options, resolve, solving)
    return current


def _summary(before: RosterSolution, after: RosterSolution, names: dict[str, str]) -> None:
    broke = new_breaks(before.broken_rules, after.broken_rules)
    mended = new_breaks(after.broken_rules, before.broken_rules)
    cols = st.columns(3)
    short_before, short_after = before.shortfall_hours(), after.shortfall_hours()
    cols[0].metric(
        "Shortfall",
        f"{short_after:g} h",
        delta=f"{short_after - short_before:+g} h" if short_after != short_before else None,
        delta_color="inverse",
    )
    hard_before = hard_rules_broken(before.broken_rules)
    hard_after = hard_rules_broken(after.broken_rules)
    cols[1].metric(
        "Hard rules broken",
        str(hard_after),
        delta=f"{hard_after - hard_before:+d}" if hard_after != hard_before else None,
        delta_color="inverse",
    )
    if after.stats.objective is not None:
        cols[2].metric("Points", f"{after.stats.objective:,.0f}")
    with st.container(key="roster_hand_edit_breaks"):
        hard = [b for b in broke if b.hard]
        soft = [b for b in broke if not b.hard]
        sections = (
            (hard, "Your edits break:", st.error, ":material/gpp_bad:"),
            (soft, "Your edits bend (they cost points):", st.warning, ":material/warning:"),
            (mended, "No longer broken:", st.info, ":material/healing:"),
        )
        for found, heading, show_as, icon in sections:
            if found:
                lines = "\n".join(f"- {line}" for line in break_lines(found, names))
                show_as(f"**{heading}**\n{lines}", icon=icon)
        if not broke:
            st.caption("Your edits break no rule the version kept.")


def _actions(
    roster: RosterPublic,
    instance: RosterInstance,
    solution: RosterSolution,
    done: EditedRoster,
    edits: list[HandEdit],
    actor: str,
    options: SolveOptions,
    resolve: Callable[[RosterInstance], None],
    solving: bool,
) -> None:
    bar = st.container(horizontal=True, vertical_alignment="center")
    if bar.button(
        "Save as draft",
        type="primary",
        icon=":material/save:",
        key=f"hand_edit_save_{roster.id}",
        help="Saves the roster as edited as the week's next draft version.",
    ):
        try:
            saved = save_edited_roster(
                engine=engine(), roster_id=roster.id, edits=done.applied, actor=actor
            )
        except (EditError, ValueError, ConflictError, NotFoundError) as exc:
            st.error(f"Not saved: {exc}.", icon=":material/error:")
        else:
            edits.clear()
            st.session_state[f"roster_show_{saved.site_id}_{saved.week_start}"] = saved.id
            st.toast(f"Version {saved.version} saved as a draft.", icon=":material/check:")
            st.rerun()
    if bar.button(
        "Re-optimise around my edits",
        icon=":material/auto_fix_high:",
        key=f"hand_edit_resolve_{roster.id}",
        disabled=solving,
        help="Solves the week again keeping the shifts you placed or changed exactly as they "
        "are and no shift where you removed one; the result is saved as a new draft.",
    ):
        pins = hand_pins(instance, solution, done)
        for note in pins.notes:
            st.toast(f"Not kept: {note}.", icon=":material/info:")
        resolve(reoptimise_instance(instance, pins, options))
        st.rerun()
    if bar.button("Discard all edits", icon=":material/delete:", key=f"hand_edit_drop_{roster.id}"):
        edits.clear()
        st.rerun()
