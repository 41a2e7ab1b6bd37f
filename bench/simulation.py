"""Simulation and sweep benchmark.

  .venv/bin/python bench/simulation.py [--quick]

1. 1,000 replications of the demo week (its roster from the roster engine, 10 s, 2 workers),
   on 1 and on 2 processes.
2. 100 replications of a 24/7 week with 2,000 calls a day and 60 staff (built without the
   solver: three 8-hour rotations of 20, each person five days a week with a 30-minute meal;
   6-minute talk + 1-minute wrap-up, the default difficult share and decompression).
3. A 48-scenario sweep (docs/examples/grid.toml: volume x hours x centres, required staffing
   simulated, 100 replications each) on 1 and on 2 local worker processes.
4. The event loop against the same queue written in SimPy (M/M/n+M, one long interval), to
   show why the simulation does not use SimPy.

Prints the figures and writes bench/results/simulation.json. Wall-clock times on a shared
machine vary with what else runs; the load average is recorded with them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.domain import StaffingSettings
from scheduling.roster.cli import SAMPLES
from scheduling.roster.demo import demo_instance
from scheduling.roster.solve import solve
from scheduling.scenario_cli import read_toml
from scheduling.scenarios import EvaluateOptions, Scenario, demo_baseline
from scheduling.simulation import (
    CallModel,
    PersonPlan,
    ShiftPlan,
    SimulationPlan,
    plan_from_roster,
    replicate,
    simulate,
)
from scheduling.sweep import grid_scenarios, run_sweep

DEMO_WEEK = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[1]


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def demo_week(replications: int) -> dict:
    inst = demo_instance(DEMO_WEEK, SAMPLES)
    sol = solve(inst, time_limit=10, workers=2)
    raw = json.loads((SAMPLES / "demo_site.json").read_text(encoding="utf-8"))
    model = CallModel.from_settings(StaffingSettings.model_validate(raw["staffing"]))
    plan = plan_from_roster(inst, sol)
    out: dict = {
        "case": "demo week",
        "replications": replications,
        "expected_calls": sum(plan.calls),
        "on_staff": len(plan.people),
    }
    for workers in (1, 2):
        seconds, result = timed(
            lambda w=workers: simulate(plan, model, replications=replications, seed=1, workers=w)
        )
        out[f"seconds_{workers}_worker"] = round(seconds, 3)
    out["answered_share"] = result.totals["answered_share"].model_dump()
    out["decompression_cut_short"] = result.totals["decompression_cut_short"].model_dump()
    return out


def big_week(replications: int) -> dict:
    start = datetime(2026, 11, 23, tzinfo=UTC)
    people = []
    for n in range(60):
        rotation, offset = divmod(n, 20)
        first = rotation * 480
        days_off = {(offset + k) % 7 for k in (0, 1)}
        shifts = []
        for day in range(7):
            if day in days_off:
                continue
            a = day * 1440 + first
            meal = a + 240
            shifts.append(ShiftPlan(a, a + 480, ((a, meal), (meal + 30, a + 480))))
        people.append(PersonPlan(f"p{n}", tuple(shifts)))
    per_interval = 2000 / 48
    plan = SimulationPlan(
        start=start, interval_minutes=30, calls=(per_interval,) * (7 * 48), people=tuple(people)
    )
    model = CallModel(talk_minutes=6.0, wrapup_minutes=1.0)
    out: dict = {"case": "24/7, 2,000 calls a day, 60 staff", "replications": replications}
    for workers in (1, 2):
        seconds, result = timed(
            lambda w=workers: simulate(plan, model, replications=replications, seed=1, workers=w)
        )
        out[f"seconds_{workers}_worker"] = round(seconds, 3)
    out["calls_per_replication"] = result.totals["offered"].mean
    out["answered_share"] = result.totals["answered_share"].model_dump()
    out["occupancy"] = result.totals["occupancy"].model_dump()
    return out


def sweep(replications: int) -> dict:
    grid = read_toml(REPO / "docs" / "examples" / "grid.toml")
    baseline = demo_baseline(SAMPLES, DEMO_WEEK)
    scenarios = grid_scenarios(Scenario.model_validate(grid["base"]), grid["grid"])
    options = EvaluateOptions(roster=False, replications=replications)
    out: dict = {"case": f"sweep of {len(scenarios)} scenarios", "replications": replications}
    tables = {}
    for workers in (1, 2):
        seconds, tables[workers] = timed(
            lambda w=workers: run_sweep(baseline, scenarios, options=options, workers=w)
        )
        out[f"seconds_{workers}_worker"] = round(seconds, 3)
    out["same_table"] = bool(tables[1].equals(tables[2]))
    return out


def simpy_comparison(calls: int = 20_000) -> dict:
    import simpy

    agents, aht, patience = 5, 10.0, 2.0
    rate = 0.36
    horizon = calls / rate

    def run_simpy(seed: int) -> int:
        rng = np.random.default_rng(seed)
        env = simpy.Environment()
        staff = simpy.Resource(env, capacity=agents)
        answered = [0]

        def caller(env):  # type: ignore[no-untyped-def]
            with staff.request() as req:
                got = yield req | env.timeout(rng.exponential(patience))
                if req in got:
                    answered[0] += 1
                    yield env.timeout(rng.exponential(aht))

        def source(env):  # type: ignore[no-untyped-def]
            while env.now < horizon:
                yield env.timeout(rng.exponential(1 / rate))
                env.process(caller(env))

        env.process(source(env))
        env.run(until=horizon + 200)
        return answered[0]

    plan = SimulationPlan(
        start=datetime(2026, 1, 5, tzinfo=UTC),
        interval_minutes=int(horizon) + 1,
        calls=(float(calls),),
        people=tuple(
            PersonPlan(f"p{i}", (ShiftPlan(0, horizon + 200, ((0, horizon + 200),)),))
            for i in range(agents)
        ),
        replay=True,
    )
    model = CallModel(
        talk_minutes=aht,
        talk_distribution="exponential",
        wrapup_minutes=0,
        difficult_share=0,
        patience_seconds=patience * 60,
    )
    t_simpy, answered_simpy = timed(lambda: run_simpy(1))
    t_lean, run = timed(lambda: replicate(plan, model, seed=1))
    return {
        "case": f"M/M/{agents}+M, {calls} calls, one run",
        "simpy_seconds": round(t_simpy, 3),
        "event_loop_seconds": round(t_lean, 3),
        "simpy_answered_share": answered_simpy / calls,
        "event_loop_answered_share": float(run.answered.sum() / run.offered.sum()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the replications")
    args = parser.parse_args()
    k = 10 if args.quick else 1
    machine = {
        "cpu_count": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
        "note": "a shared machine: 2 cores shared with other work",
    }
    results = [demo_week(1000 // k), big_week(100 // k), sweep(100 // k), simpy_comparison()]
    machine["load_average_1min_after"] = os.getloadavg()[0]
    for r in results:
        print(json.dumps(r))
    print(json.dumps(machine))
    out = Path(__file__).resolve().parent / "results" / "simulation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
