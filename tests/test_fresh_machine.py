"""A machine without Chromium or PostgreSQL: `make test` still passes, each missing service
skipping its tests with one line that says how to enable it, and nothing errors."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.services import NO_CHROMIUM, NO_POSTGRES

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "with-test-services"


def _bare_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_TEST_POSTGRES_URL"}
    env.update(extra)
    return env


def test_browser_and_postgres_tests_skip_without_the_services() -> None:
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
            "tests/ui/browser", "tests/data/test_migrations.py",
        ],
        cwd=REPO, env=_bare_env(CHROMIUM="/nonexistent/chromium"),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    summary = out.strip().splitlines()[-1]
    assert "error" not in summary and "failed" not in summary, summary
    skipped = re.search(r"(\d+) skipped", summary)
    assert skipped and int(skipped.group(1)) >= 4, summary
    skip_lines = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert len(skip_lines) == 2, skip_lines
    assert sum(NO_CHROMIUM in line for line in skip_lines) == 1
    assert sum(NO_POSTGRES in line for line in skip_lines) == 1


def test_script_says_what_is_missing_and_keeps_the_exit_status() -> None:
    run = subprocess.run(
        [str(SCRIPT), sys.executable, "-c", "import os, sys; "
         "print('url=' + os.environ.get('PLANNER_TEST_POSTGRES_URL', '')); sys.exit(3)"],
        cwd=REPO,
        env=_bare_env(CHROMIUM="/nonexistent/chromium", PG_BINDIR="/nonexistent",
                      PLANNER_TEST_INSTALL="0"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 3, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "url=" in lines
    assert any(line.startswith("make test: PostgreSQL not available") for line in lines)
    assert any(line.startswith("make test: Chromium not available") for line in lines)


def _initdb_dir() -> str | None:
    for initdb in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return str(initdb.parent)
    found = shutil.which("initdb")
    return str(Path(found).parent) if found else None


def test_script_runs_a_throwaway_postgres_and_stops_it_after_a_failure() -> None:
    pg_bin = _initdb_dir()
    if pg_bin is None:
        pytest.skip(NO_POSTGRES)
    probe = (
        "import os, sys\n"
        "from sqlalchemy import create_engine, text\n"
        "url = os.environ['PLANNER_TEST_POSTGRES_URL']\n"
        "with create_engine(url).connect() as c:\n"
        "    print('answer', c.execute(text('select 41 + 1')).scalar())\n"
        "print('url', url)\n"
        "sys.exit(5)\n"
    )
    run = subprocess.run(
        [str(SCRIPT), sys.executable, "-c", probe],
        cwd=REPO, env=_bare_env(PG_BINDIR=pg_bin, PLANNER_TEST_INSTALL="0"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 5, run.stdout + run.stderr
    assert "answer 42" in run.stdout, run.stdout + run.stderr
    found = re.search(r"127\.0\.0\.1:(\d+)/planner_test", run.stdout)
    assert found, run.stdout
    port = int(found.group(1))
    with socket.socket() as sock, pytest.raises(OSError):
        sock.settimeout(2)
        sock.connect(("127.0.0.1", port))
