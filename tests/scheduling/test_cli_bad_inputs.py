"""Bad command-line input, whatever its shape, is one line on stderr and exit status 2;
`plan` without a roster exits 3, never 0 (and never 1, which is validate's hard-rule code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduling.cli import main
from scheduling.cli_support import MAX_DEPTH
from scheduling.roster.schema import SolveOptions
from tests.scheduling.roster.rosterkit import instance, member

HISTORY = Path(__file__).resolve().parents[2] / "data" / "samples" / "demo_call_history.csv"


def _good_instance() -> dict:
    inst = instance(
        [member("a"), member("b")],
        days=(0,),
        required=1,
        min_on_duty=1,
        options=SolveOptions(time_limit_seconds=2, workers=1),
    )
    return json.loads(inst.model_dump_json())


def _run(argv: list[str], capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


def _assert_one_line(code: int, err: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: ")


BAD_JSON = {
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "nested past the limit": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "a 5,000-digit integer": '{"schema_version": ' + "9" * 5000 + "}",
    "NaN": '{"schema_version": NaN}',
    "a huge exponent": '{"schema_version": 1e999}',
    "not JSON": "{",
    "not UTF-8": b"\xff\xfe{".decode("latin-1"),
    "a list": "[]",
}


@pytest.mark.parametrize("name", list(BAD_JSON))
@pytest.mark.parametrize("command", ["plan", "validate"])
def test_bad_json_files_are_one_line_and_exit_2(name, command, tmp_path, capsys) -> None:
    path = tmp_path / "bad.json"
    text = BAD_JSON[name]
    if name == "not UTF-8":
        path.write_bytes(b"\xff\xfe{")
    else:
        path.write_text(text, encoding="utf-8")
    argv = (
        ["plan", str(path), "--out", str(tmp_path / "out")]
        if command == "plan"
        else ["validate", str(path), str(path)]
    )
    _assert_one_line(*_run(argv, capsys))


@pytest.mark.parametrize("week_start", ["0001-01-01", "9999-12-27"])
def test_an_instance_for_a_week_out_of_range_is_refused(week_start, tmp_path, capsys) -> None:
    raw = _good_instance()
    raw["week_start"] = week_start
    path = tmp_path / "inst.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    code, err = _run(["plan", str(path), "--out", str(tmp_path / "out")], capsys)
    _assert_one_line(code, err)
    assert "week_start" in err


@pytest.mark.parametrize("week", ["9999-12-27", "0001-01-01", "2199-12-29"])
def test_requirements_for_a_week_out_of_reach_is_refused_at_once(week, tmp_path, capsys) -> None:
    argv = ["requirements", "--history", str(HISTORY), "--week", week, "--out"]
    code, err = _run([*argv, str(tmp_path / "r.csv")], capsys)
    _assert_one_line(code, err)
    assert "week" in err


def test_a_deep_site_file_is_refused(tmp_path, capsys) -> None:
    site = tmp_path / "site.json"
    site.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    argv = ["requirements", "--history", str(HISTORY), "--week", "2026-11-23", "--site"]
    _assert_one_line(*_run([*argv, str(site), "--out", str(tmp_path / "r.csv")], capsys))


def test_plan_without_a_roster_exits_3(tmp_path, capsys) -> None:
    raw = _good_instance()
    raw["staff"] = []
    raw["hire_templates"] = []
    path = tmp_path / "inst.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    code, err = _run(
        ["plan", str(path), "--out", str(tmp_path / "out"), "--time-limit", "2"], capsys
    )
    assert code == 3
    assert err.strip().startswith("error: no roster")
