"""Run the whole app in headless Chromium: a Streamlit server on a free loopback port, backed
by a fresh demo database, driven by Playwright against Debian's chromium ($CHROMIUM when set).
Without a browser every test here is skipped with one line saying how to get one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.services import NO_CHROMIUM, chromium_path

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser's path; every test that needs it is skipped here, at one place, without."""
    path = chromium_path()
    if path is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api")
    return path


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-db")


@pytest.fixture(scope="session")
def app_database_url(app_data_dir: Path) -> str:
    """The database the served app uses (tests may change accounts in it)."""
    return f"sqlite:///{app_data_dir / 'planner.db'}"


@contextmanager
def running_app(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """A fresh demo database (planner.db under `data_dir`) and a Streamlit server on it;
    yields its URL."""
    env = dict(os.environ)
    env["PLANNER_DATABASE_URL"] = f"sqlite:///{data_dir / 'planner.db'}"
    env["PLANNER_DATA_DIR"] = str(data_dir)
    env.update(extra_env or {})
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "data", *command], cwd=REPO, env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def require_browser() -> None:
    if chromium_path() is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def app_url(chromium: str, app_data_dir: Path) -> Iterator[str]:
    with running_app(app_data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()
