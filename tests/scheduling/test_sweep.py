"""Sweeps: a grid as one table, cached, and the same table from a Dask cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from scheduling.scenarios import EvaluateOptions, Scenario
from scheduling.sweep import SweepError, grid_scenarios, run_sweep
from tests.scheduling.test_scenarios import make_baseline

OPTIONS = EvaluateOptions(roster=False, replications=10, seed=3)
GRID = {"volume_factor": [1.0, 2.0], "centres": ["pooled", "separate"]}


def test_grid_expands_every_combination_with_a_name_each():
    scenarios = grid_scenarios(Scenario(months=3), GRID)
    assert len(scenarios) == 4
    assert scenarios[0].name == "volume_factor=1.0, centres=pooled"
    assert scenarios[3].volume_factor == 2.0 and scenarios[3].centres[0].queue == "separate"
    assert all(s.months == 3 for s in scenarios)


@pytest.mark.parametrize(
    ("grid", "words"),
    [
        ({"colour": [1]}, "grid.colour: unknown axis"),
        ({"hours": ["all night"]}, "grid.hours: unknown value 'all night'"),
        ({"volume_factor": []}, "grid.volume_factor: expected a non-empty list"),
        ({"volume_factor": [-1.0]}, "grid: volume_factor=-1.0"),
    ],
)
def test_a_bad_grid_names_the_axis(grid, words):
    with pytest.raises(SweepError, match=words):
        grid_scenarios(Scenario(), grid)


def test_sweep_is_one_row_a_scenario_and_reuses_its_cache(tmp_path):
    baseline = make_baseline()
    scenarios = grid_scenarios(Scenario(months=3), GRID)
    calls: list[int] = []
    table = run_sweep(
        baseline,
        scenarios,
        options=OPTIONS,
        cache_dir=tmp_path,
        progress=lambda done, total: calls.append(done),
    )
    assert list(table["scenario"]) == [s.name for s in scenarios]
    assert calls == [1, 2, 3, 4]
    assert len(list(tmp_path.glob("*.json"))) == 4
    # pooled never needs more than separate, in the same table
    assert (
        table.loc[[0, 2], "peak_fte_needed"].to_numpy()
        <= table.loc[[1, 3], "peak_fte_needed"].to_numpy()
    ).all()
    calls.clear()
    again = run_sweep(
        baseline,
        scenarios,
        options=OPTIONS,
        cache_dir=tmp_path,
        progress=lambda done, total: calls.append(done),
    )
    assert calls == []  # nothing evaluated again
    pd.testing.assert_frame_equal(table, again)


def test_a_dask_local_cluster_gives_the_same_table_as_the_local_run():
    from dask.distributed import LocalCluster

    baseline = make_baseline()
    scenarios = grid_scenarios(Scenario(months=3), GRID)
    local = run_sweep(baseline, scenarios, options=OPTIONS)
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        remote = run_sweep(
            baseline, scenarios, options=OPTIONS, scheduler=cluster.scheduler_address
        )
    pd.testing.assert_frame_equal(local, remote)
