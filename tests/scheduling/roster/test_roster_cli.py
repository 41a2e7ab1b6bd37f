"""`python -m scheduling plan | validate | demo-instance`: files written, exit codes, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from scheduling.cli import main
from scheduling.roster.cli import SAMPLES
from scheduling.roster.schema import RosterInstance, RosterSolution, SolveOptions
from tests.scheduling.roster.rosterkit import instance, member


@pytest.fixture
def instance_file(tmp_path: Path) -> Path:
    inst = instance(
        [member("a"), member("b"), member("c")],
        days=(0, 1),
        required=1,
        min_on_duty=1,
        options=SolveOptions(time_limit_seconds=5, workers=2),
    )
    path = tmp_path / "instance.json"
    path.write_text(inst.model_dump_json(), encoding="utf-8")
    return path


def test_plan_writes_roster_and_coverage_files(instance_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        main(["plan", str(instance_file), "--out", str(out), "--time-limit", "5", "--workers", "1"])
        == 0
    )
    sol = RosterSolution.model_validate_json((out / "roster.json").read_text())
    assert sol.stats.workers == 1 and sol.stats.time_limit_seconds == 5
    rows = list(csv.DictReader((out / "roster.csv").open()))
    assert rows and set(rows[0]) == {"staff_id", "date", "start", "end", "activity", "shift_date"}
    assert all(r["shift_date"] <= r["date"] for r in rows)
    assert {r["activity"] for r in rows} <= {"line", "meal", "offline", "decompression", "debrief"}
    assert rows[0]["start"].endswith("+05:00")
    cov = list(csv.DictReader((out / "coverage.csv").open()))
    assert len(cov) == 32 and set(cov[0]) == {"interval_start", "required", "on_line", "shortfall"}
    assert "OPTIMAL" in capsys.readouterr().out

    assert main(["validate", str(instance_file), str(out / "roster.json")]) == 0
    assert "0 hard" in capsys.readouterr().out


def test_validate_exits_1_on_a_broken_hard_rule(instance_file, tmp_path, capsys):
    out = tmp_path / "out"
    main(["plan", str(instance_file), "--out", str(out)])
    raw = json.loads((out / "roster.json").read_text())
    shift = next(p for p in raw["people"] if p["shifts"])["shifts"][0]
    shift["end"] = shift["start"]  # a zero-length shift: far too short
    shift["activities"] = []
    (out / "bad.json").write_text(json.dumps(raw))
    capsys.readouterr()
    assert main(["validate", str(instance_file), str(out / "bad.json")]) == 1
    text = capsys.readouterr().out
    assert "HARD shift_length" in text


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["plan", "missing.json", "--out", "x"], "cannot read instance file missing.json"),
        (["plan", "{bad}", "--out", "x"], "not valid JSON"),
        (["plan", "{field}", "--out", "x"], "week_start"),
        (["plan", "{ok}", "--out", "x", "--time-limit", "0"], "seconds"),
        (["plan", "{ok}", "--out", "x", "--workers", "two"], "workers"),
        (["demo-instance", "--week", "2026-11-24", "--out", "x.json"], "weeks start on a Monday"),
        (["validate", "{ok}", "missing.json"], "cannot read roster file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, needle, instance_file, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    field = tmp_path / "field.json"
    raw = json.loads(instance_file.read_text())
    raw["week_start"] = "2025-03-04"
    field.write_text(json.dumps(raw))
    files = {"{bad}": str(bad), "{field}": str(field), "{ok}": str(instance_file)}
    argv = [files.get(a, a) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and err.startswith("error: ")


@pytest.mark.skipif(not (SAMPLES / "demo_site.json").exists(), reason="no demo sample files")
def test_demo_instance_for_a_week(tmp_path, capsys):
    out = tmp_path / "demo.json"
    assert main(["demo-instance", "--week", "2026-11-23", "--out", str(out)]) == 0
    inst = RosterInstance.model_validate_json(out.read_text())
    assert str(inst.week_start) == "2026-11-23" and len(inst.staff) >= 5
    assert len(inst.intervals) == 7 * 16  # 09:00-17:00 every day, 30-minute intervals
    assert any(c.skill == "supervisor" for c in inst.skill_covers)
    assert {t.key for t in inst.hire_templates} >= {"full_time_counsellor", "part_time_counsellor"}
