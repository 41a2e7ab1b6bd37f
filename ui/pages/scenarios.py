"""Scenarios: start from a preset or the baseline, change it, run, compare up to four side by
side, save (leadership) and export. Managers may read and run; only leadership saves."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import streamlit as st
from pydantic import ValidationError

from data.errors import ConflictError, NotFoundError
from data.models import MAX_COMPARED
from data.services.jobs import cancel_job
from data.services.scenarios import (
    latest_saved_comparison,
    save_comparison_and_scenarios,
    saved_scenarios,
    scenario_baseline,
)
from scheduling.domain import Role
from scheduling.scenarios import Baseline, EvaluateOptions, Scenario, presets
from scheduling.sweep import HOURS
from ui.components.scenario_views import (
    answered_figure,
    comparison_table,
    cost_figure,
    export_csv,
    export_excel,
    load_figure,
    monthly_frame,
    staff_figure,
)
from ui.scenario_job import (
    ScenarioJob,
    read_scenario_job,
    running_scenario_job,
    start_scenario_job,
)
from ui.session import require_role
from ui.state import engine, require_site_id

LIST_KEY = "scenario_list"
RESULTS_KEY = "scenario_results"
CACHE_KEY = "scenario_cache"
JOB_KEY = "scenario_job"
OPTIONS_KEY = "scenario_options"

user = require_role(Role.LEADERSHIP, Role.MANAGER)
site_id = require_site_id()
can_save = user.role is Role.LEADERSHIP
st.title("Scenarios")
st.caption(
    "What a choice buys before you commit: staff and hires by month, cost with the emotional "
    "budget, simulated service with its 95% interval, and the load on counsellors."
)


@st.cache_data(show_spinner="Reading the baseline (forecast of next week)...", ttl=3600)
def _baseline_json(site_id: int, username: str) -> str:
    return scenario_baseline(
        engine=engine(), site_id=site_id, actor=username, seats=6
    ).model_dump_json()


try:
    baseline = Baseline.model_validate_json(_baseline_json(site_id, user.username))
except NotFoundError as exc:
    st.info(str(exc))
    st.stop()

st.caption(
    f"Baseline: the week of {baseline.week_start:%d %B %Y}, "
    f"{sum(baseline.week_calls):.0f} calls expected, {len(baseline.staff)} staff, "
    f"{baseline.seats} seats; projection from {baseline.first_month:%B %Y}."
)

scenarios: list[dict[str, Any]] = st.session_state.setdefault(LIST_KEY, [])
PRESETS = presets()

# ------------------------------------------------------------------ choose


with st.container(border=True):
    st.markdown(f"**Scenarios to compare** ({len(scenarios)} of {MAX_COMPARED})")
    left, right = st.columns(2)
    preset = left.selectbox("Preset", list(PRESETS), key="preset_choice")
    if left.button("Add preset", disabled=len(scenarios) >= MAX_COMPARED, key="add_preset"):
        scenarios.append(PRESETS[preset].model_dump(mode="json"))
        st.session_state.pop(RESULTS_KEY, None)
        st.rerun()
    saved = saved_scenarios(engine=engine(), site_id=site_id, actor=user.username)
    saved_by_title = {s.title: s for s in saved}
    pick = right.selectbox(
        "Saved scenario", list(saved_by_title) or ["(none saved yet)"], key="saved_choice"
    )
    if right.button(
        "Add saved",
        disabled=not saved or len(scenarios) >= MAX_COMPARED,
        key="add_saved",
    ):
        scenarios.append(saved_by_title[pick].inputs)
        st.session_state.pop(RESULTS_KEY, None)
        st.rerun()


def _hours_name(value: Any) -> str:
    if value is None:
        return "as the baseline"
    windows = Scenario.model_validate({"opening_hours": value}).opening_hours
    return next((name for name, hours in HOURS.items() if hours == windows), "custom")


def _edit(k: int, data: dict[str, Any]) -> None:
    sc = Scenario.model_validate(data)
    with st.form(f"scenario_form_{k}"):
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Name", sc.name, key=f"name_{k}")
        months = c2.number_input("Months", 1, 24, sc.months, key=f"months_{k}")
        lead = c3.number_input(
            "Recruitment lead time, months",
            0,
            12,
            sc.recruitment_lead_months
            if sc.recruitment_lead_months is not None
            else baseline.recruitment_lead_months,
            key=f"lead_{k}",
        )
        c1, c2, c3 = st.columns(3)
        volume = c1.number_input(
            "Volume x", 0.1, 20.0, float(sc.volume_factor), 0.1, key=f"vol_{k}"
        )
        growth = c2.number_input(
            "Growth per month, %", -50.0, 100.0, 100 * sc.growth_per_month, 1.0, key=f"gr_{k}"
        )
        hours_options = ["as the baseline", *HOURS]
        current = _hours_name(data.get("opening_hours"))
        hours = c3.selectbox(
            "Opening hours",
            hours_options,
            hours_options.index(current) if current in hours_options else 0,
            key=f"hours_{k}",
        )
        c1, c2, c3 = st.columns(3)
        surge = sc.surge
        surge_factor = c1.number_input(
            "Surge x (1 = none)", 1.0, 10.0, surge.factor if surge else 1.0, 0.1, key=f"sf_{k}"
        )
        surge_first = c2.number_input(
            "Surge from month", 1, 24, surge.first_month if surge else 1, key=f"s1_{k}"
        )
        surge_months = c3.number_input(
            "Surge months", 1, 24, surge.months if surge else 1, key=f"sm_{k}"
        )
        centre = sc.centres[0] if sc.centres else None
        c1, c2, c3, c4 = st.columns(4)
        centre_mode = c1.selectbox(
            "Second centre",
            ["none", "pooled", "separate"],
            ["none", "pooled", "separate"].index(centre.queue if centre else "none"),
            key=f"cm_{k}",
        )
        share = c2.number_input(
            "its share of calls, %",
            0.0,
            100.0,
            100 * (centre.volume_share if centre else 1 / 3),
            key=f"cs_{k}",
        )
        centre_seats = c3.number_input(
            "its seats", 1, 200, (centre.seats or 4) if centre else 4, key=f"cse_{k}"
        )
        launch = c4.text_input(
            "launch calls a month (no history)",
            ", ".join(f"{v:g}" for v in centre.launch_monthly_calls) if centre else "",
            key=f"cl_{k}",
            help="e.g. 100, 160: assumed volumes; the last repeats",
        )
        c1, c2, c3, c4 = st.columns(4)
        seats = c1.number_input(
            "Seats, main centre", 1, 500, sc.seats or baseline.seats or 6, key=f"seats_{k}"
        )
        handle = sc.handle or baseline.settings.handle
        talk = c2.number_input("Talk, minutes", 1.0, 120.0, handle.talk_minutes, key=f"talk_{k}")
        difficult = c3.number_input(
            "Difficult calls, %", 0.0, 100.0, 100 * handle.difficult_share, key=f"diff_{k}"
        )
        shrink = c4.number_input(
            "Shrinkage, %",
            0.0,
            90.0,
            100 * (sc.shrinkage if sc.shrinkage is not None else baseline.settings.shrinkage),
            key=f"shr_{k}",
        )
        pay = sc.pay or baseline.pay
        emo = sc.emotional_budget or baseline.emotional_budget
        c1, c2, c3, c4 = st.columns(4)
        wage = c1.number_input(
            f"Counsellor pay a month, {pay.currency}",
            0.0,
            1e9,
            pay.of("counsellor"),
            key=f"pay_{k}",
        )
        debrief = c2.number_input(
            "Debrief h / counsellor / month", 0.0, 40.0, emo.debrief_hours_per_month, key=f"db_{k}"
        )
        supervision = c3.number_input(
            "1:1 supervision h / month", 0.0, 40.0, emo.supervision_hours_per_month, key=f"sv_{k}"
        )
        external = c4.number_input(
            "External counselling h / month",
            0.0,
            40.0,
            emo.external_counselling_hours_per_month,
            key=f"ex_{k}",
        )
        if st.form_submit_button("Apply changes"):
            try:
                launch_calls = [float(x) for x in launch.replace(";", ",").split(",") if x.strip()]
            except ValueError:
                st.error("launch calls a month: expected numbers separated by commas")
                return
            new = dict(data)
            new.update(
                name=name,
                months=int(months),
                recruitment_lead_months=int(lead),
                volume_factor=volume,
                growth_per_month=growth / 100,
                opening_hours=(
                    None if hours == "as the baseline" else [w.model_dump() for w in HOURS[hours]]
                ),
                surge=(
                    None
                    if surge_factor == 1.0
                    else {
                        "factor": surge_factor,
                        "first_month": surge_first,
                        "months": surge_months,
                    }
                ),
                seats=int(seats),
                handle=handle.model_copy(
                    update={"talk_minutes": talk, "difficult_share": difficult / 100}
                ).model_dump(),
                shrinkage=shrink / 100,
                pay=pay.model_copy(
                    update={"monthly": pay.monthly | {"counsellor": wage}}
                ).model_dump(),
                emotional_budget={
                    "debrief_hours_per_month": debrief,
                    "supervision_hours_per_month": supervision,
                    "external_counselling_hours_per_month": external,
                },
            )
            rest = [c.model_dump() for c in sc.centres[1:]]
            if centre_mode == "none":
                new["centres"] = rest
            else:
                first = {
                    "name": centre.name if centre else "Second centre",
                    "seats": int(centre_seats),
                    "staff": centre.staff if centre else 0,
                    "volume_share": share / 100,
                    "launch_monthly_calls": launch_calls,
                    "queue": centre_mode,
                }
                new["centres"] = [first, *rest]
            try:
                checked = Scenario.model_validate(new)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                st.error(f"{where}: {err['msg']}")
                return
            scenarios[k] = checked.model_dump(mode="json")
            st.session_state.pop(RESULTS_KEY, None)
            st.rerun()


for k, data in enumerate(list(scenarios)):
    with st.expander(f"{k + 1}. {data['name']}", expanded=False):
        if data.get("description"):
            st.caption(data["description"])
        _edit(k, data)
        if st.button("Remove", key=f"remove_{k}"):
            scenarios.pop(k)
            st.session_state.pop(RESULTS_KEY, None)
            st.rerun()

# ------------------------------------------------------------------ run

with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    use_roster = c1.toggle("Roster the busiest week", value=True, key="use_roster")
    limit = c2.number_input("Roster time limit, s", 2, 60, 5, key="roster_limit")
    reps = c3.number_input("Simulation replications", 20, 2000, 200, 20, key="replications")
    run = st.button("Run comparison", type="primary", disabled=not scenarios, key="run_comparison")

# The run is a job in the database, read again on every run of the page; a page opened
# again finds this person's running job.
job_id = st.session_state.get(JOB_KEY)
job: ScenarioJob | None = None
if isinstance(job_id, int):
    job = read_scenario_job(engine=engine(), job_id=job_id, username=user.username)
else:
    job = running_scenario_job(engine=engine(), site_id=site_id, username=user.username)
    if job is not None:
        st.session_state[JOB_KEY] = job.id
if job is not None and not job.running:
    st.session_state.pop(JOB_KEY)
    if job.row.status == "failed":
        st.error(f"The evaluation failed: {job.row.error}")
    elif job.row.status == "cancelled":
        st.info(f"The run was {job.row.error or 'cancelled'}.")
    else:
        cache: dict[str, dict[str, Any]] = st.session_state.setdefault(CACHE_KEY, {})
        cache.update(job.results)
        done = [job.results[k] for k in job.keys]
        st.session_state[RESULTS_KEY] = {
            "rows": [d["summary"] for d in done],
            "monthly": [m for d in done for m in d["monthly"]],
            "notes": {d["summary"]["scenario"]: d["notes"] for d in done},
            "options": st.session_state.pop(OPTIONS_KEY, {}),
        }
    job = None

if run and job is None:
    options = EvaluateOptions(
        roster=use_roster, roster_time_limit=float(limit), replications=int(reps)
    )
    st.session_state[OPTIONS_KEY] = options.model_dump(mode="json")
    st.session_state.pop(RESULTS_KEY, None)
    try:
        job = start_scenario_job(
            engine=engine(),
            site_id=site_id,
            username=user.username,
            baseline=baseline,
            scenarios=[Scenario.model_validate(d) for d in scenarios],
            options=options,
            known=st.session_state.get(CACHE_KEY, {}),
        )
    except ConflictError as exc:
        st.error(str(exc))
    else:
        st.session_state[JOB_KEY] = job.id

# ------------------------------------------------------------------ compare

results = st.session_state.get(RESULTS_KEY)
if results is None and job is None:
    latest = latest_saved_comparison(engine=engine(), site_id=site_id, actor=user.username)
    if latest is not None:
        st.subheader(f"Latest saved comparison: {latest.title}")
        st.caption(f"Saved by {latest.author} on {latest.created_at:%d %B %Y}")
        results = {"rows": latest.rows, "monthly": latest.monthly, "notes": {}, "saved": True}
    elif not scenarios:
        st.info(
            "Add a preset (for instance the baseline and “Second centre, pooled queue”) to begin."
        )

if results is not None:
    with st.container(key="scenario_results"):
        rows, monthly = results["rows"], results["monthly"]
        currency = str(rows[0].get("currency", "")) if rows else ""
        st.subheader("Side by side")
        st.dataframe(comparison_table(rows), width="stretch", key="comparison_table")
        for name, items in results.get("notes", {}).items():
            for note in items:
                st.caption(f"{name}: {note}")
        frame = monthly_frame(monthly)
        if not frame.empty:
            st.plotly_chart(staff_figure(frame), width="stretch", key="chart_staff")
            st.plotly_chart(cost_figure(frame, currency), width="stretch", key="chart_cost")
        c1, c2 = st.columns(2)
        c1.plotly_chart(answered_figure(rows), width="stretch", key="chart_answered")
        c2.plotly_chart(load_figure(rows), width="stretch", key="chart_load")

        c1, c2, c3 = st.columns(3)
        c1.download_button(
            "Export CSV",
            partial(export_csv, rows, monthly),
            file_name="scenario-comparison.csv",
            mime="text/csv",
            key="export_csv",
        )
        c2.download_button(
            "Export Excel",
            partial(export_excel, rows, monthly),
            file_name="scenario-comparison.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="export_xlsx",
        )
        if can_save and not results.get("saved"):
            title = c3.text_input(
                "Title", " vs ".join(str(r["scenario"]) for r in rows), key="comparison_title"
            )
            if c3.button("Save scenarios and comparison", key="save_comparison"):
                try:
                    save_comparison_and_scenarios(
                        engine=engine(),
                        site_id=site_id,
                        author=user.username,
                        title=title,
                        rows=rows,
                        monthly=monthly,
                        options=results.get("options", {}),
                        evaluated=st.session_state.get(CACHE_KEY, {}).values(),
                    )
                except (ValidationError, PermissionError) as exc:
                    st.error(str(exc))
                else:
                    st.success(f"Saved “{title}”: it shows on leadership's Home.")


# ------------------------------------------------------------------ a running evaluation

if job is not None and job.running:
    if st.button("Cancel the run", key="cancel_comparison", icon=":material/stop:"):
        cancel_job(engine=engine(), job_id=job.id, username=user.username)
        st.rerun()
    bar = st.progress(0.0, text="Starting")
    while job.running:
        share, text = job.progress()
        bar.progress(share, text=text)
        time.sleep(0.3)
        job = read_scenario_job(engine=engine(), job_id=job.id, username=user.username)
    st.rerun()
