"""python -m scheduling scenario | simulate | sweep: outputs, and one line + exit 2 on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scheduling.cli import main
from scheduling.roster.schema import IntervalSlot
from tests.scheduling.roster.rosterkit import handmade, instance, member
from tests.scheduling.test_scenarios import make_baseline


@pytest.fixture
def baseline_file(tmp_path: Path) -> Path:
    path = tmp_path / "baseline.json"
    path.write_text(make_baseline().model_dump_json(), encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_scenario_compares_a_preset_with_the_baseline(tmp_path, baseline_file, capsys):
    toml = write(
        tmp_path,
        "compare.toml",
        """
[baseline]
file = "baseline.json"

[options]
roster = false
replications = 20

[[scenarios]]
preset = "Baseline"

[[scenarios]]
preset = "Second centre, pooled queue"
months = 18
""",
    )
    assert main(["scenario", str(toml), "--out", str(tmp_path / "out")]) == 0
    summary = rows(tmp_path / "out" / "summary.csv")
    assert [r["scenario"] for r in summary] == ["Baseline", "Second centre, pooled queue"]
    monthly = rows(tmp_path / "out" / "monthly.csv")
    assert len(monthly) == 12 + 18
    assert {"on_board", "start_recruiting", "emotional_budget", "total_cost"} <= monthly[0].keys()
    assert "answered" in capsys.readouterr().out


def test_scenario_with_a_roster_writes_the_busiest_week(tmp_path, baseline_file):
    toml = write(
        tmp_path,
        "one.toml",
        """
[baseline]
file = "baseline.json"
[options]
roster_time_limit = 3
replications = 10
[scenario]
name = "Two months"
months = 2
""",
    )
    assert main(["scenario", str(toml), "--out", str(tmp_path / "out")]) == 0
    roster = json.loads((tmp_path / "out" / "roster.json").read_text())
    assert roster["people"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[baseline]\nfile = 'baseline.json'\n[scenario]\nmonths = 40\n", "scenarios[0].months"),
        ("[baseline]\nfile = 'baseline.json'\n[scenario]\npreset = 'Nope'\n", "preset"),
        ("[baseline]\nfile = 'baseline.json'\n[scenario]\ncolour = 1\n", "scenarios[0].colour"),
        ("[baseline]\ndemo_week = 2026-11-24\n", "baseline.demo_week"),
        (
            "[baseline]\nfile = 'baseline.json'\n[options]\nreplications = 1\n",
            "options.replications",
        ),
        (
            "[baseline]\nfile = 'baseline.json'\n[scenario]\n[[scenario.centres]]\nname = 'x'\n"
            "volume_share = 2\n",
            "centres.0.volume_share",
        ),
        ("[baseline\n", "not valid TOML"),
        ("[baseline]\nfile = 'missing.json'\n", "cannot read baseline file"),
    ],
)
def test_a_bad_scenario_file_is_one_line_naming_the_field(
    tmp_path, baseline_file, capsys, text, words
):
    toml = write(tmp_path, "bad.toml", text)
    assert main(["scenario", str(toml), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def small_week(tmp_path: Path) -> tuple[Path, Path]:
    inst = instance([member("a"), member("b")], hours=("09:00", "13:00"))
    slots = tuple(
        IntervalSlot(start=s.start, required=s.required, forecast_calls=1.0) for s in inst.intervals
    )
    inst = inst.model_copy(update={"intervals": slots})
    sol = handmade(inst, {"a": [(0, "09:00", "13:00", [])], "b": [(0, "09:00", "13:00", [])]})
    i_path, r_path = tmp_path / "instance.json", tmp_path / "roster.json"
    i_path.write_text(inst.model_dump_json(), encoding="utf-8")
    r_path.write_text(sol.model_dump_json(), encoding="utf-8")
    return i_path, r_path


def test_simulate_writes_intervals_and_totals_with_intervals(tmp_path, capsys):
    i_path, r_path = small_week(tmp_path)
    out = tmp_path / "sim.csv"
    args = ["simulate", str(i_path), str(r_path), "--replications", "30", "--seed", "4"]
    assert main([*args, "--out", str(out)]) == 0
    per_interval = rows(out)
    assert len(per_interval) == 7 * 48
    assert float(per_interval[18]["offered"]) > 0  # Monday 09:00
    totals = {r["metric"]: r for r in rows(tmp_path / "sim-totals.csv")}
    share = totals["answered_share"]
    assert float(share["low"]) <= float(share["mean"]) <= float(share["high"])
    first = out.read_text()
    assert main([*args, "--out", str(out)]) == 0
    assert out.read_text() == first  # the same seed, the same figures


def test_simulate_replays_a_calls_file_and_names_a_bad_row(tmp_path, capsys):
    i_path, r_path = small_week(tmp_path)
    calls = write(
        tmp_path,
        "calls.csv",
        "interval_start,calls\n2025-03-03T09:00:00+05:00,3\n2025-03-03T09:30:00+05:00,x\n",
    )
    code = main(
        [
            "simulate",
            str(i_path),
            str(r_path),
            "--calls",
            str(calls),
            "--out",
            str(tmp_path / "s.csv"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "row 3" in err and err.count("\n") == 1
    calls.write_text("interval_start,calls\n2025-03-03T09:00:00+05:00,3\n", encoding="utf-8")
    assert (
        main(
            [
                "simulate",
                str(i_path),
                str(r_path),
                "--calls",
                str(calls),
                "--replications",
                "5",
                "--out",
                str(tmp_path / "s.csv"),
            ]
        )
        == 0
    )
    assert sum(float(r["offered"]) for r in rows(tmp_path / "s.csv")) == 3


def test_sweep_writes_one_row_a_scenario(tmp_path, baseline_file, monkeypatch):
    monkeypatch.delenv("PLANNER_DASK_SCHEDULER", raising=False)
    toml = write(
        tmp_path,
        "grid.toml",
        """
[baseline]
file = "baseline.json"
[options]
replications = 10
[base]
months = 3
[grid]
volume_factor = [1.0, 1.6]
hours = ["09-17 x5", "24 x7"]
""",
    )
    out = tmp_path / "sweep.csv"
    assert (
        main(
            [
                "sweep",
                str(toml),
                "--out",
                str(out),
                "--workers",
                "1",
                "--cache",
                str(tmp_path / "cache"),
            ]
        )
        == 0
    )
    table = rows(out)
    assert len(table) == 4
    assert table[0]["scenario"] == "volume_factor=1.0, hours=09-17 x5"


def test_sweep_names_a_bad_axis(tmp_path, baseline_file, capsys):
    toml = write(tmp_path, "g.toml", "[baseline]\nfile = 'baseline.json'\n[grid]\nhours = ['x']\n")
    assert main(["sweep", str(toml), "--out", str(tmp_path / "s.csv")]) == 2
    assert "grid.hours" in capsys.readouterr().err


DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_documented_examples_are_valid_files():
    from scheduling.scenario_cli import load_options, load_scenario, read_toml
    from scheduling.sweep import grid_scenarios

    compare = read_toml(DOCS / "examples" / "compare.toml")
    for i, table in enumerate(compare["scenarios"]):
        load_scenario(table, f"scenarios[{i}]")
    load_options(compare["options"], "options")
    grid = read_toml(DOCS / "examples" / "grid.toml")
    base = load_scenario(grid["base"], "base")
    assert len(grid_scenarios(base, grid["grid"])) == 48


def test_committed_scenario_schemas_are_current():
    from scheduling.scenarios import json_schema_texts

    for name, text in json_schema_texts().items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, f"regenerate docs/{name}"


def test_sweep_goes_to_the_dask_scheduler_named_by_the_environment(
    tmp_path, baseline_file, monkeypatch, capsys
):
    from dask.distributed import LocalCluster

    from scheduling.__main__ import main as entry_point

    toml = write(
        tmp_path,
        "grid.toml",
        "[baseline]\nfile = 'baseline.json'\n[options]\nreplications = 10\n[base]\nmonths = 2\n"
        "[grid]\nvolume_factor = [1.0, 2.0]\n",
    )
    local, remote = tmp_path / "local.csv", tmp_path / "remote.csv"
    monkeypatch.delenv("PLANNER_DASK_SCHEDULER", raising=False)
    assert main(["sweep", str(toml), "--out", str(local), "--workers", "1"]) == 0
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("PLANNER_DASK_SCHEDULER", cluster.scheduler_address)
        assert entry_point(["sweep", str(toml), "--out", str(remote)]) == 0
    assert f"on Dask scheduler {cluster.scheduler_address}" in capsys.readouterr().out
    assert local.read_text() == remote.read_text()
