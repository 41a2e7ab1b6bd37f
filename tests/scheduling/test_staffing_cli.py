"""`python -m scheduling erlang` and `requirements`: results, files, and one-line errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, date, timedelta
from pathlib import Path

import numpy as np
import pytest

from scheduling.cli import main
from scheduling.domain import CallIntervalRecord
from scheduling.forecast import week_slots
from scheduling.history import write_call_history_csv
from scheduling.staffing.cli import DEMO_SITE, REQUIREMENT_COLUMNS
from scheduling.staffing.queueing import Targets, fewest_agents, queue_metrics

REPO = Path(__file__).resolve().parents[2]
WEEK = date(2026, 11, 23)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0]


# --- erlang --------------------------------------------------------------------------------

ERLANG = (
    *("erlang", "--calls", "100", "--interval-min", "30"),
    *("--aht-sec", "180", "--target-sec", "20"),
)


def test_erlang_json_matches_the_library(capsys) -> None:
    code, out, _ = _run(capsys, *ERLANG, "--model", "c", "--json")
    assert code == 0
    got = json.loads(out)
    assert set(got) == {
        "agents",
        "traffic_erlangs",
        "waiting_probability",
        "service_level",
        "abandon_probability",
        "asa_seconds",
        "occupancy",
    }
    goal = Targets(service_level=0.8, target_seconds=20)
    n = int(fewest_agents(10.0, goal, handle_seconds=180, model="erlang_c"))
    assert got["agents"] == n == 14
    m = queue_metrics(n, 10.0, handle_seconds=180, target_seconds=20, model="erlang_c")
    assert got == pytest.approx(m.row())


def test_erlang_a_with_given_agents_and_fractional_calls(capsys) -> None:
    code, out, _ = _run(
        capsys, "erlang", "--calls", "1.7", "--interval-min", "30", "--aht-sec", "1680",
        "--target-sec", "60", "--agents", "3", "--patience-sec", "90", "--json",
    )  # fmt: skip
    assert code == 0
    got = json.loads(out)
    m = queue_metrics(
        3, 1.7 * 1680 / 1800, handle_seconds=1680, target_seconds=60, patience_seconds=90
    )
    assert got == pytest.approx(m.row())
    assert 0 < got["abandon_probability"] < 1


def test_erlang_without_enough_agents_reports_a_queue_that_never_clears(capsys) -> None:
    code, out, _ = _run(capsys, *ERLANG, "--model", "c", "--agents", "9", "--json")
    assert code == 0 and json.loads(out)["asa_seconds"] is None
    code, out, _ = _run(capsys, *ERLANG, "--model", "c", "--agents", "9")
    assert code == 0 and "never clears" in out


def test_erlang_human_output(capsys) -> None:
    code, out, _ = _run(capsys, *ERLANG)
    assert code == 0
    assert "Erlang A" in out and "Agents" in out and "fewest meeting the targets" in out


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("--calls", "abc"), "--calls"),
        (("--calls", "-1"), "--calls"),
        (("--calls", "nan"), "--calls"),
        (("--agents", "2.5"), "--agents"),
        (("--service-level", "1"), "--service-level"),
        (("--max-occupancy", "0"), "--max-occupancy"),
        (("--model", "b"), "--model"),
    ],
)
def test_erlang_bad_arguments_exit_2_with_one_line(capsys, args, word) -> None:
    argv = list(ERLANG)
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    code, _, err = _run(capsys, *argv)
    _assert_one_line_error(code, err, word)


def test_erlang_missing_argument(capsys) -> None:
    code, _, err = _run(capsys, "erlang", "--calls", "3")
    _assert_one_line_error(code, err, "required")


# --- requirements --------------------------------------------------------------------------


def _history_file(tmp_path: Path, weeks: int = 3) -> Path:
    rng = np.random.default_rng(0)
    records = []
    first = WEEK - timedelta(weeks=weeks)
    for d in range(7 * weeks):
        day = first + timedelta(days=d)
        for start, _, is_open in week_slots(DEMO_SITE, day):
            if start.date() != day or not is_open:
                continue
            n = int(rng.poisson(0.6))
            records.append(
                CallIntervalRecord(
                    start_utc=start.astimezone(UTC), offered=n, answered=n, abandoned=0,
                    handle_seconds=1500 * n, difficult=0,
                )
            )  # fmt: skip
    path = tmp_path / "history.csv"
    write_call_history_csv(records, path, DEMO_SITE.timezone)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_requirements_writes_one_row_per_interval(tmp_path, capsys) -> None:
    out = tmp_path / "req.csv"
    code, stdout, err = _run(
        capsys, "requirements", "--history", str(_history_file(tmp_path)), "--week",
        WEEK.isoformat(), "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    rows = _rows(out)
    assert len(rows) == 7 * 48
    assert tuple(rows[0]) == REQUIREMENT_COLUMNS
    assert rows[0]["interval_start"] == "2026-11-23T00:00+05:00"
    open_rows = [r for r in rows if r["binding"] != "closed"]
    assert len(open_rows) == 7 * 16
    assert all(int(r["required"]) >= 2 for r in open_rows)
    for r in rows:
        assert float(r["band_low"]) <= float(r["forecast_calls"]) <= float(r["band_high"])
    assert "Backtest" in stdout and "Wrote 336 intervals" in stdout


def test_requirements_reads_settings_toml(tmp_path, capsys) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text(
        'shrinkage = 0.25\n[targets]\nmodel = "erlang_c"\nservice_level = 0.9\n'
        "target_answer_seconds = 30\n[floors]\nmin_on_line = 1\n[handle]\ntalk_minutes = 15\n"
    )
    out = tmp_path / "req.csv"
    code, _, err = _run(
        capsys, "requirements", "--history", str(_history_file(tmp_path)), "--week",
        WEEK.isoformat(), "--settings", str(settings), "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    rows = _rows(out)
    assert "queue: 90% within 30 s" in {r["binding"] for r in rows}
    assert all(int(r["required"]) >= 1 for r in rows if r["binding"] != "closed")
    assert all(r["abandon_share"] in ("", "0.0000") for r in _rows(out))


def _requirements_args(tmp_path: Path, **override: str) -> list[str]:
    args = {
        "--history": str(_history_file(tmp_path)),
        "--week": WEEK.isoformat(),
        "--out": str(tmp_path / "req.csv"),
    }
    args.update(override)
    return ["requirements", *[x for kv in args.items() for x in kv]]


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"--week": "2026-13-01"}, ("--week", "YYYY-MM-DD")),
        ({"--week": "next monday"}, ("--week",)),
        ({"--history": "no/such/file.csv"}, ("cannot read history file", "no/such/file.csv")),
        ({"--out": "no/such/dir/req.csv"}, ("does not exist",)),
        ({"--settings": "no/such/settings.toml"}, ("settings",)),
        ({"--site": "no/such/site.json"}, ("site",)),
        ({"--week": "2026-11-01"}, ("no day before",)),
    ],
)
def test_requirements_bad_arguments_exit_2_with_one_line(tmp_path, capsys, override, words):
    code, _, err = _run(capsys, *_requirements_args(tmp_path, **override))
    _assert_one_line_error(code, err, *words)
    assert not (tmp_path / "req.csv").exists()


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        (
            "history",
            "interval_start,offered,answered,abandoned\n2026-11-02 09:00,x,0,0\n",
            ("line 2", "offered"),
        ),
        ("history", "", ("empty",)),
        ("settings", "[targets\nmodel = 1", ("not valid TOML",)),
        ("settings", "[targets]\nservice_levle = 0.8\n", ("service_levle",)),
        ("settings", "[handle]\ndecompression_minutes = 2\n", ("handle.decompression_minutes",)),
        ("site", "{not json", ("not valid JSON",)),
        ("site", '{"site": {"name": "x", "timezone": "Mars/Base"}}', ("timezone",)),
    ],
)
def test_requirements_bad_files_exit_2_with_one_line(tmp_path, capsys, name, text, words):
    bad = tmp_path / f"bad.{name}"
    bad.write_text(text)
    code, _, err = _run(capsys, *_requirements_args(tmp_path, **{f"--{name}": str(bad)}))
    _assert_one_line_error(code, err, *words)


def test_short_history_is_a_clear_error(tmp_path, capsys) -> None:
    path = tmp_path / "h.csv"
    path.write_text("interval_start,offered,answered,abandoned\n2026-11-20 09:00,1,1,0\n")
    code, _, err = _run(capsys, *_requirements_args(tmp_path, **{"--history": str(path)}))
    _assert_one_line_error(code, err, "7 days")


def test_the_real_entry_point_prints_one_line_and_exits_2(tmp_path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scheduling", "requirements", "--history", str(tmp_path / "x.csv"),
         "--week", WEEK.isoformat(), "--out", str(tmp_path / "o.csv")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr


DEMO_HISTORY = REPO / "data" / "samples" / "demo_call_history.csv"
DEMO_SITE_FILE = REPO / "data" / "samples" / "demo_site.json"


@pytest.mark.skipif(not DEMO_HISTORY.is_file(), reason="demo sample files not generated")
def test_requirements_on_the_demo_files(tmp_path, capsys) -> None:
    out = tmp_path / "demo.csv"
    code, stdout, err = _run(
        capsys, "requirements", "--history", str(DEMO_HISTORY), "--site", str(DEMO_SITE_FILE),
        "--week", WEEK.isoformat(), "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert len(_rows(out)) == 7 * 48
    # The model chosen by the backtest is named, with every candidate's score beside it.
    assert "chosen by the lowest error per interval" in stdout
    assert "Exponential smoothing x intraday profile:" in stdout
    assert "Repeat last week:" in stdout and " * " in stdout


def test_requirements_refuses_an_unknown_holiday_country_by_name(tmp_path, capsys) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text('[forecast]\nholiday_country = "XX"\n')
    code, _, err = _run(capsys, *_requirements_args(tmp_path, **{"--settings": str(settings)}))
    _assert_one_line_error(code, err, "forecast.holiday_country", "'XX'")
    assert not (tmp_path / "req.csv").exists()
