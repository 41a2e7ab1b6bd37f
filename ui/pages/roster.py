"""Roster: plan a week from its saved requirements, watch the solver improve it, read what it
could not do, publish a version and hand out the files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from data.db import database_url
from data.errors import ConflictError
from data.models import RosterPublic
from data.planning import instance_for_week
from data.services.jobs import cancel_job
from data.services.roster import (
    compute_week_forecast,
    open_roster_version,
    open_roster_week,
    publish_roster_version,
    roster_overview,
)
from scheduling.domain import Role, StaffingSettings, coming_monday, monday_of
from scheduling.roster.export import (
    all_calendars,
    calendar_file_name,
    calendars_zip_name,
    coverage_csv,
    excel_workbook,
    person_calendar,
    roster_csv,
)
from scheduling.roster.hire_verdict import counsellor_hours, hire_verdict
from scheduling.roster.pinning import pinned_shifts, week_bounds
from scheduling.roster.quality import hard_rules_broken
from scheduling.roster.rota import printable_rota, rota_file_name
from scheduling.roster.schema import RosterInstance, RosterSolution, SolveOptions
from ui.components import hand_edits, solve_progress, week_picker
from ui.components.downloads import audited
from ui.components.roster_charts import (
    coverage_figure,
    gantt_figure,
    shortfall_heatmap,
)
from ui.components.roster_panels import (
    broken_rules_panel,
    flags_panel,
    hard_rules_alert,
    hires_panel,
    infeasibility_panel,
    requirements_panel,
    status_panel,
    version_label,
    when,
)
from ui.components.staffing_form import settings_summary
from ui.session import require_role
from ui.solve_job import SolveJob, read_solve_job, running_solve_job, start_solve_job
from ui.state import engine, require_site_id, tuned_settings

WORKERS = 2  # the machine is shared; CP-SAT never gets more
JOB_KEY = "roster_job"

user = require_role(Role.MANAGER)
st.title("Roster")

site_id = require_site_id()
overview = roster_overview(engine=engine(), site_id=site_id, actor=user.username)
site = overview.site
tz: ZoneInfo = site.tz
today = datetime.now(tz).date()


# --- the week ----------------------------------------------------------------------------

picked = week_picker.show(
    f"roster_week_{site_id}",
    default=coming_monday(today),
    shared_key=week_picker.planning_week_key(site_id),
    saved_weeks=overview.saved_weeks,
)
if picked is None:
    st.info("Pick the first day of the week.")
    st.stop()
week = monday_of(picked)

# The solve is a job in the database: read it again on every run (any app server may have
# started it, any worker may run it). Whether it has finished is read before the versions, so
# a just-saved one is listed. A page opened again finds the week's running solve.
job_id = st.session_state.get(JOB_KEY)
job: SolveJob | None = None
if isinstance(job_id, int):
    job = read_solve_job(engine=engine(), job_id=job_id, username=user.username)
else:
    job = running_solve_job(
        engine=engine(), site_id=site_id, week_start=week, username=user.username
    )
    if job is not None:
        st.session_state[JOB_KEY] = job.id
finished = job is not None and not job.running
opened = open_roster_week(
    engine=engine(),
    site_id=site_id,
    week_start=week,
    actor_username=user.username,
    now=datetime.now(UTC),
)
inputs, versions = opened.inputs, opened.versions

st.subheader(f"Week of Monday {week:%d %B %Y}")
if picked != week:
    st.caption(f"Weeks start on Monday: showing the week of Monday {week:%d %B %Y}.")
if inputs.wellbeing or inputs.debrief_requests:
    names = {m.id: m.display_name for m in inputs.staff}
    capped = [
        f"{names.get(w.staff_id, w.staff_id)}: line hours capped at "
        f"{w.line_cap_minutes_week / 60:g} h a week"
        + (", an off-line day asked" if w.offline_day_wanted else "")
        + " (wellbeing)"
        for w in inputs.wellbeing
    ]
    debriefs = [
        f"{names.get(r.staff_id, r.staff_id)}: a debrief slot by "
        f"{r.deadline.astimezone(tz):%a %d %b %H:%M}"
        for r in inputs.debrief_requests
    ]
    st.info("\n".join(f"- {line}" for line in capped + debriefs), icon=":material/favorite:")


# --- a finished solve (picked up before the version list is drawn) -----------------------

if job is not None and finished:
    st.session_state.pop(JOB_KEY)
    row = job.row
    if row.status == "failed":
        st.error(f"The solve failed: {row.error}", icon=":material/error:")
    elif row.status == "cancelled":
        st.info(f"The solve was {row.error or 'cancelled'}.", icon=":material/cancel:")
    elif row.result.get("nothing_found"):
        st.warning(row.summary, icon=":material/hourglass_disabled:")
    else:
        st.success(row.summary, icon=":material/check_circle:")
        if job.week_start == week and row.roster_id is not None:
            st.session_state[f"roster_show_{site_id}_{week}"] = row.roster_id
    job = None


# --- what goes in ------------------------------------------------------------------------


def _compute_forecast(button_key: str, label: str, settings: StaffingSettings | None) -> None:
    if not st.button(label, icon=":material/query_stats:", key=button_key):
        return
    try:
        with st.spinner("Forecasting the week from the call history..."):
            saved = compute_week_forecast(
                engine=engine(),
                site_id=site_id,
                week_start=week,
                actor=user.username,
                settings=settings,
            )
    except ValueError as exc:
        st.error(f"No forecast for the week of {week:%d %B %Y}: {exc}.")
    else:
        st.toast(f"Saved forecast run {saved.run.id}.", icon=":material/check:")
        st.rerun()


# The targets a new forecast would use: those tuned on Forecast & staffing this session, else
# the site's saved ones.
tuned = tuned_settings(site_id)
current_settings = tuned if tuned is not None else inputs.site_settings
current_words = (
    "the targets tuned on Forecast & staffing" if tuned is not None else "the site's saved targets"
)
inputs_box = st.container(border=True)
with inputs_box:
    if inputs.requirements is None:
        st.warning(
            f"No forecast is saved for the week of {week:%d %B %Y}, so there is nothing to "
            "roster against yet. First save one on the Forecast & staffing page (with your "
            f"own adjustments), or compute one here with {current_words} and no adjustments.",
            icon=":material/warning:",
        )
        _compute_forecast("roster_compute_forecast", "Compute and save a forecast", tuned)
    else:
        requirements_panel(inputs, tz)
        if current_settings is not None and current_settings != inputs.settings:
            st.info(
                f"This forecast's targets differ from {current_words}: "
                f"{settings_summary(current_settings)}.",
                icon=":material/tune:",
            )
            _compute_forecast(
                "roster_recompute_forecast", "Recompute with the current targets", tuned
            )

    pin_before: datetime | None = None
    if inputs.published is not None:
        published = inputs.published
        st.markdown(
            f"**Version {published.version} is published** "
            f"({when(published.published_at or published.created_at, tz)}, "
            f"by {published.published_by}). Solving again re-plans it: published shifts that "
            "start before the moment below stay exactly as they are; the rest changes as "
            "little as it can."
        )
        default_pin = inputs.default_pin_before or week_bounds(site, week)[0]
        pin_cols = st.columns([1, 1, 2], vertical_alignment="bottom")
        pin_day = pin_cols[0].date_input(
            "Pin shifts starting before",
            value=default_pin.date(),
            min_value=week,
            max_value=week + timedelta(days=7),
            key=f"roster_pin_day_{site_id}_{week}",
            help="Default: now, when the week is under way.",
        )
        pin_time = pin_cols[1].time_input(
            "at",
            value=default_pin.timetz().replace(tzinfo=None),
            step=timedelta(minutes=site.interval_minutes),
            key=f"roster_pin_time_{site_id}_{week}",
        )
        if isinstance(pin_day, date):
            pin_before = datetime.combine(pin_day, pin_time, tz)
        pinned = pinned_shifts(inputs.published_shifts, pin_before)
        names = {m.id: m.display_name for m in inputs.staff}
        who = sorted({names.get(s.staff_id, s.staff_id) for s in pinned})
        when_words = f"{pin_before:%a %d %b %H:%M}" if pin_before else "the pin moment"
        pin_words = (
            f"{len(pinned)} of {len(inputs.published_shifts)} published shifts are pinned: "
            f"they start before {when_words} and stay as published ({', '.join(who)})."
            if pinned
            else f"No published shift starts before {when_words}: nothing is pinned, and the "
            "re-plan keeps as close to the published roster as it can."
        )
        pin_cols[2].caption(pin_words)
        for note in inputs.published_left_out:
            st.caption(f"Not pinned: {note}.")
    if inputs.carry_over:
        st.caption(
            "Rest between shifts and days in a row continue from the published roster of the "
            f"week before ({len(inputs.carry_over)} people worked it)."
        )


# --- solve -------------------------------------------------------------------------------

solve_box = st.container(border=True)
opt_cols = solve_box.columns([2, 1, 1], vertical_alignment="bottom")
time_limit = opt_cols[0].slider(
    "Time limit (seconds)",
    min_value=5,
    max_value=120,
    value=20,
    step=5,
    key="roster_time_limit",
    help="The solver stops at the limit with the best roster found; small weeks are often "
    "proven optimal well before it.",
)
allow_hires = opt_cols[1].toggle(
    "Allow hires",
    value=True,
    key="roster_allow_hires",
    help="Let the solver propose hires (full-time, part-time, specialist) where the staff "
    "cannot cover the week; they are shown hatched and never saved as staff.",
)
opt_cols[2].caption(f"{WORKERS} solver workers")
running = job is not None and job.running
clicked = solve_box.button(
    "Solve",
    type="primary",
    icon=":material/play_arrow:",
    key="roster_solve",
    disabled=inputs.requirements is None or running,
    help="Builds the week's roster and saves it as a new draft version.",
)


def _queue_solve(instance: RosterInstance, forecast_run_id: int | None) -> SolveJob | None:
    """Queue a solve of `instance` and remember it for this session; a week already being
    solved is said by the Solve button."""
    try:
        queued = start_solve_job(
            engine=engine(),
            site_id=site_id,
            instance=instance,
            actor=user.username,
            forecast_run_id=forecast_run_id,
        )
    except ConflictError as exc:
        solve_box.error(str(exc), icon=":material/block:")
        return None
    st.session_state[JOB_KEY] = queued.id
    return queued


indicator = solve_box.empty()
if clicked and not running:
    instance = instance_for_week(
        inputs=inputs,
        pin_before=pin_before,
        options=SolveOptions(
            time_limit_seconds=float(time_limit), workers=WORKERS, allow_hires=allow_hires
        ),
    )
    started = _queue_solve(instance, inputs.forecast_run_id)
    if started is not None:
        job, running = started, True
if (
    job is not None
    and running
    and solve_box.button(
        "Cancel the solve",
        icon=":material/stop:",
        key="roster_cancel",
        help="Stops the solver at its next report; nothing of this solve is saved.",
    )
):
    cancel_job(engine=engine(), job_id=job.id, username=user.username)
    st.rerun()  # a queued job has ended; a running one is followed until it stops


# --- the saved versions ------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def _load(url: str, roster_id: int, username: str) -> tuple[RosterInstance, RosterSolution]:
    """A saved version's instance and solution (immutable once saved; only status changes),
    cached per user: one manager's copy never skips the centre check for another."""
    saved = open_roster_version(engine=engine(), roster_id=roster_id, actor=username)
    return saved.instance, saved.solution


# The files below are offered on every run of the page; a version never changes once saved,
# so each is built once per version (database and roster id are the key; the solution, already
# loaded and checked for this user, is not hashed).
@st.cache_data(show_spinner=False, max_entries=8)
def _workbook(url: str, roster_id: int, _solution: RosterSolution) -> bytes:
    return excel_workbook(_solution)


@st.cache_data(show_spinner=False, max_entries=8)
def _rota(url: str, roster_id: int, label: str, _solution: RosterSolution) -> str:
    return printable_rota([_solution], label=label)


@st.cache_data(show_spinner=False, max_entries=8)
def _all_calendars(url: str, roster_id: int, stamp: datetime, _solution: RosterSolution) -> bytes:
    return all_calendars(_solution, stamp=stamp)


@st.cache_data(show_spinner=False, max_entries=64)
def _calendar(
    url: str, roster_id: int, staff_id: str, stamp: datetime, _solution: RosterSolution
) -> bytes:
    return person_calendar(_solution, staff_id, stamp=stamp)


def _publish_bar(roster: RosterPublic, solution: RosterSolution) -> None:
    hard = hard_rules_broken(solution.broken_rules)
    confirmed = True
    if roster.status == "draft":
        current = inputs.published
        if current is not None:
            st.caption(
                f"Publishing replaces version {current.version} (published "
                f"{when(current.published_at or current.created_at, tz)}), which becomes "
                "superseded."
            )
        if hard:
            confirmed = st.checkbox(
                f"Publish although {hard} hard rule(s) are broken",
                key=f"roster_confirm_{roster.id}",
            )
    elif roster.status == "published":
        st.caption(
            "This is the published roster. Solve again to re-plan it, then publish the new "
            "version to replace it."
        )
    else:
        newer = [v for v in versions if v.status == "published"]
        st.caption(
            "Superseded"
            + (f" by version {newer[0].version}." if newer else ": a newer version replaced it.")
        )
    bar = st.container(horizontal=True, vertical_alignment="center")
    if roster.status == "draft" and bar.button(
        f"Publish version {roster.version}",
        type="primary",
        icon=":material/publish:",
        key=f"roster_publish_{roster.id}",
        disabled=not confirmed,
    ):
        try:
            publish_roster_version(engine=engine(), roster_id=roster.id, actor=user.username)
        except ConflictError as exc:
            st.error(str(exc))
        else:
            st.toast(f"Version {roster.version} published.", icon=":material/check:")
            st.rerun()

    stem = f"roster_{solution.week_start.isoformat()}_v{roster.version}"
    bar.download_button(
        "Roster (CSV)",
        data=roster_csv(solution),
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click=audited(user.username, "roster_csv", f"roster {roster.id}"),
        key="roster_csv",
        help="One row per activity: staff_id, display_name, date (the day the activity "
        "starts), start, end, activity, shift_date (the day its shift starts).",
    )
    bar.download_button(
        "Coverage (CSV)",
        data=coverage_csv(solution),
        file_name=f"coverage_{solution.week_start.isoformat()}_v{roster.version}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click=audited(user.username, "roster_coverage_csv", f"roster {roster.id}"),
        key="roster_coverage_csv",
    )
    bar.download_button(
        "Excel",
        data=_workbook(database_url(), roster.id, solution),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click=audited(user.username, "roster_excel", f"roster {roster.id}"),
        key="roster_excel",
        help="Sheets: Roster, Coverage, Flags, Hires, Broken rules, About.",
    )
    bar.download_button(
        "Printable rota",
        data=_rota(
            database_url(),
            roster.id,
            f"Version {roster.version} ({roster.status}).",
            solution,
        ),
        file_name=rota_file_name(solution),
        mime="text/html",
        icon=":material/print:",
        on_click="ignore",
        key="roster_rota",
        help="A page for the wall: a row per person, a column per day. Open it in a browser "
        "and print (landscape).",
    )
    staff = [p for p in solution.people if not p.hire_template and p.shifts]
    if staff:
        bar.download_button(
            "Calendars for everyone (.zip)",
            data=_all_calendars(database_url(), roster.id, roster.created_at, solution),
            file_name=calendars_zip_name(solution),
            mime="application/zip",
            icon=":material/calendar_month:",
            on_click="ignore",
            key="roster_ical_all",
            help="One .ics file per person, to send to each of them.",
        )
        ical = st.container(horizontal=True, vertical_alignment="bottom")
        chosen = ical.selectbox(
            "Calendar file for",
            options=[p.staff_id for p in staff],
            format_func={p.staff_id: p.display_name for p in staff}.__getitem__,
            key="roster_ical_person",
            width=320,
        )
        if chosen is not None:
            ical.download_button(
                "Calendar (.ics)",
                data=_calendar(database_url(), roster.id, chosen, roster.created_at, solution),
                file_name=calendar_file_name(solution, chosen),
                mime="text/calendar",
                icon=":material/event:",
                on_click=audited(user.username, "roster_ical", f"roster {roster.id}"),
                key="roster_ical",
                help="One event per shift, the activities in its description; imports into "
                "Google Calendar, Outlook and phones.",
            )


if not versions:
    if not running:
        st.info(
            "No roster saved for this week yet: press Solve."
            if inputs.requirements is not None
            else "No roster saved for this week yet. First save a forecast for it (see above), "
            "then press Solve."
        )
else:
    by_id = {v.id: v for v in versions}
    # The labels carry each version's status; a new widget key whenever the published
    # version changes makes the list redraw with them (the choice is carried over).
    remembered_key = f"roster_selected_{site_id}_{week}"
    published_id = next((v.id for v in versions if v.status == "published"), 0)
    version_key = f"roster_version_{site_id}_{week}_{published_id}"
    just_solved = st.session_state.pop(f"roster_show_{site_id}_{week}", None)
    if just_solved in by_id:
        st.session_state[version_key] = just_solved
    elif st.session_state.get(version_key) not in by_id:
        st.session_state.pop(version_key, None)
        if st.session_state.get(remembered_key) in by_id:
            st.session_state[version_key] = st.session_state[remembered_key]
    selected_id = st.selectbox(
        f"Saved versions ({len(versions)})",
        options=list(by_id),
        format_func=lambda i: version_label(by_id[i], tz),
        key=version_key,
    )
    st.session_state[remembered_key] = selected_id
    roster = by_id[selected_id]
    instance, solution = _load(database_url(), roster.id, user.username)
    names = {p.staff_id: p.display_name for p in solution.people}

    status_panel(roster, solution, tz)
    if not any(p.shifts for p in solution.people):
        st.error(
            "This version holds no roster: the solver found none it could return. "
            "Read why below, change what it names (or allow more time), and solve again.",
            icon=":material/error:",
        )
        infeasibility_panel(solution.infeasibility)
        st.markdown("#### Flags")
        flags_panel(solution.flags, names, tz)
    else:
        hard_rules_alert(solution.broken_rules, names)
        infeasibility_panel(solution.infeasibility)
        _publish_bar(roster, solution)

        def _resolve(edited: RosterInstance) -> None:
            _queue_solve(edited, roster.forecast_run_id)

        # From here on the charts and reports show the roster with the session's hand edits.
        solution = hand_edits.show(
            roster=roster,
            instance=instance,
            solution=solution,
            tz=tz,
            actor=user.username,
            options=SolveOptions(
                time_limit_seconds=float(time_limit), workers=WORKERS, allow_hires=allow_hires
            ),
            resolve=_resolve,
            solving=running,
        )
        names = {p.staff_id: p.display_name for p in solution.people}

        st.markdown("#### Who works when")
        st.caption(
            "One row per person; hover a bar for the times. Proposed hires are hatched and "
            f"marked +. Times in {solution.timezone}; closed hours are left out."
        )
        with st.container(key="roster_gantt_box"):
            st.plotly_chart(gantt_figure(solution), width="stretch", key="roster_gantt")

        st.markdown("#### Coverage against requirement")
        st.plotly_chart(coverage_figure(solution), width="stretch", key="roster_coverage")
        st.markdown("#### Shortfall")
        short = solution.shortfall_hours()
        st.caption(
            f"{counsellor_hours(short)} short over the week; each cell is the counsellors "
            "short in that interval."
            if short
            else "Every open interval has the counsellors it needs on the line."
        )
        st.plotly_chart(shortfall_heatmap(solution), width="stretch", key="roster_heatmap")

        flag_col, hire_col = st.columns([3, 2])
        with flag_col:
            st.markdown("#### Flags")
            flags_panel(solution.flags, names, tz)
        with hire_col:
            st.markdown("#### Hire advice")
            hires_panel(solution.hires, hire_verdict(instance, solution), tz)

        st.markdown("#### Rules bent or broken")
        broken_rules_panel(solution.broken_rules, names, tz)


# --- the live indicator (last, so the page above stays readable while it polls) ----------

if job is not None and job.running:
    watched = job.id
    solve_progress.show(
        "roster_progress",
        lambda: read_solve_job(engine=engine(), job_id=watched, username=user.username),
        indicator,
    )
    st.rerun()
