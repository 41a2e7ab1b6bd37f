"""Sweeps: a grid of scenarios evaluated in parallel, as one tidy table (one row a scenario).

The same code path runs on a local process pool (default) or a Dask cluster: both are
executors with `submit(fn, *args)` returning a future with `.result()`. The caller passes the
Dask scheduler's address in (this module reads no environment variable). Each scenario's row is
cached on disk under a key of the baseline, the scenario and the options, so a rerun only
evaluates what changed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from scheduling.domain import DailyWindow
from scheduling.scenarios import (
    Baseline,
    Centre,
    EvaluateOptions,
    Scenario,
    evaluate,
)

# Named values of the grid axes that are not plain numbers.
HOURS = {
    "09-17 x5": tuple(DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(5)),
    "09-17 x7": tuple(DailyWindow(weekday=d, start_minute=540, end_minute=1020) for d in range(7)),
    "08-22 x7": tuple(DailyWindow(weekday=d, start_minute=480, end_minute=1320) for d in range(7)),
    "24 x7": tuple(DailyWindow(weekday=d, start_minute=0, end_minute=1440) for d in range(7)),
}
CENTRES: dict[str, tuple[Centre, ...]] = {
    "one": (),
    "pooled": (Centre(name="Second centre", seats=4, volume_share=1 / 3),),
    "separate": (Centre(name="Second centre", seats=4, volume_share=1 / 3, queue="separate"),),
}
AXES = (
    "volume_factor",
    "growth_per_month",
    "hours",
    "centres",
    "shrinkage",
    "recruitment_lead_months",
    "seats",
)


class SweepError(ValueError):
    """A grid that cannot be expanded; the message names the axis."""


def grid_scenarios(base: Scenario, grid: Mapping[str, Sequence[Any]]) -> list[Scenario]:
    """Every combination of the axes' values applied to `base`, named by its values."""
    for axis, values in grid.items():
        if axis not in AXES:
            raise SweepError(f"grid.{axis}: unknown axis; expected one of {', '.join(AXES)}")
        if not isinstance(values, list | tuple) or not values:
            raise SweepError(f"grid.{axis}: expected a non-empty list of values")
        named: Mapping[str, object] | None = None
        if axis == "hours":
            named = HOURS
        elif axis == "centres":
            named = CENTRES
        for v in values:
            if named is not None and v not in named:
                raise SweepError(f"grid.{axis}: unknown value {v!r}; expected one of {list(named)}")
    axes = list(grid)
    out = []
    for combo in itertools.product(*(grid[a] for a in axes)):
        update: dict[str, Any] = {}
        label = []
        for axis, value in zip(axes, combo, strict=True):
            label.append(f"{axis}={value}")
            if axis == "hours":
                update["opening_hours"] = HOURS[value]
            elif axis == "centres":
                update["centres"] = CENTRES[value]
            else:
                update[axis] = value
        data = base.model_dump() | update | {"name": ", ".join(label) or base.name}
        try:
            out.append(Scenario.model_validate(data))
        except ValueError as exc:
            raise SweepError(f"grid: {', '.join(label)}: {exc}") from None
    return out


def cache_key(baseline_json: str, scenario_json: str, options_json: str) -> str:
    digest = hashlib.sha256()
    for part in (baseline_json, scenario_json, options_json):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def evaluate_row(baseline_json: str, scenario_json: str, options_json: str) -> dict[str, Any]:
    """One scenario's summary row, from JSON (what crosses to a worker process or machine)."""
    baseline = Baseline.model_validate_json(baseline_json)
    scenario = Scenario.model_validate_json(scenario_json)
    options = EvaluateOptions.model_validate_json(options_json)
    return evaluate(baseline, scenario, options=options).summary()


class _InProcess:
    """An executor that runs each job when submitted (one worker, no processes)."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # handed to the caller by .result(), as a pool would
            future.set_exception(exc)
        return future


@contextmanager
def executor(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client for `scheduler` (an address such as tcp://host:8786), else a local pool."""
    if scheduler:
        from dask.distributed import Client

        client = Client(scheduler, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
    elif workers <= 1:
        yield _InProcess()
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool


def run_sweep(
    baseline: Baseline,
    scenarios: Sequence[Scenario],
    *,
    options: EvaluateOptions | None = None,
    scheduler: str | None = None,
    workers: int = 1,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Evaluate every scenario (cached rows reused) and return one row a scenario, in order."""
    opts = options or EvaluateOptions(roster=False)
    b_json, o_json = baseline.model_dump_json(), opts.model_dump_json()
    keys = [cache_key(b_json, s.model_dump_json(), o_json) for s in scenarios]
    rows: dict[int, dict[str, Any]] = {}
    if cache_dir is not None:
        for i, key in enumerate(keys):
            path = cache_dir / f"{key}.json"
            if path.exists():
                rows[i] = json.loads(path.read_text(encoding="utf-8"))
    todo = [i for i in range(len(scenarios)) if i not in rows]
    done = len(rows)
    if todo:
        with executor(scheduler, workers) as ex:
            futures = {
                i: ex.submit(evaluate_row, b_json, scenarios[i].model_dump_json(), o_json)
                for i in todo
            }
            for i, fut in futures.items():
                rows[i] = fut.result()
                done += 1
                if progress is not None:
                    progress(done, len(scenarios))
                if cache_dir is not None:
                    cache_dir.mkdir(parents=True, exist_ok=True)
                    (cache_dir / f"{keys[i]}.json").write_text(
                        json.dumps(rows[i]), encoding="utf-8"
                    )
    table = pd.DataFrame([rows[i] for i in range(len(scenarios))])
    table.insert(1, "key", keys)
    return table
