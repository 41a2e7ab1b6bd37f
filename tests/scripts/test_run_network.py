"""scripts/run_network.py without starting anything heavy: the nginx configuration it writes
is accepted by nginx and keeps browsers on one server over websockets; bad arguments and a
taken port are refused with one line and exit status 2; an app server that exits leaves the
set-up running, nginx exiting stops it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.run_network import (
    ROUTE_COOKIE,
    Network,
    find_nginx,
    nginx_conf,
    streamlit_static_dir,
)

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "run_network.py"


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("nginx not installed")
    (tmp_path / "logs").mkdir()
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    conf = prefix / "nginx.conf"
    text = nginx_conf(prefix, 18080, [18501, 18502], 50, streamlit_static_dir())
    conf.write_text(text)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "hash $planner_route consistent" in text
    assert f"$cookie_{ROUTE_COOKIE}" in text
    assert "proxy_set_header Upgrade $http_upgrade" in text
    assert "server 127.0.0.1:18501" in text and "server 127.0.0.1:18502" in text
    assert "client_max_body_size 51m" in text


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--port", "0"], "--port: expected a port from 1 to 65535, got 0"),
        (["--servers", "40"], "--servers: expected 1 to 16, got 40"),
        (["--port", "x"], "--port"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(args: list[str], says: str) -> None:
    run = _run(*args)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1, run.stderr
    assert says in run.stderr


def test_a_taken_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    if find_nginx() is None:
        pytest.skip("nginx not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _run("--dir", str(tmp_path / "net"), "--port", str(port))
    assert run.returncode == 2
    assert run.stderr.strip() == f"run-network: --port {port}: that port is in use; choose another"
    assert not (tmp_path / "net" / "postgres").exists()


def test_the_set_up_carries_on_without_one_app_server_and_stops_without_nginx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network = Network(root=tmp_path, port=1, servers=2, workers=1, dask=False)
    (tmp_path / "logs").mkdir()
    env = dict(os.environ)
    try:
        network.spawn("app-1", [sys.executable, "-c", "pass"], env)
        network.spawn("app-2", [sys.executable, "-c", "import time; time.sleep(60)"], env)
        network.spawn("nginx", [sys.executable, "-c", "import time; time.sleep(3)"], env)
        assert network.watch().name == "nginx"
        said = capsys.readouterr().err
        assert "run-network: app-1 exited with 0" in said and "the others carry on" in said
        assert network.children[1].alive()
    finally:
        network.stop_children()
    assert network.children == []


def test_nginx_leaves_the_front_end_to_the_app_servers_when_its_workers_cannot_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root, nginx's workers run as nobody: a clone in a private directory (mktemp -d, a
    0700 home) would answer 403 for every front-end file, and no page would draw."""
    import scripts.run_network as run_network

    private = tmp_path / "private"
    static = private / "static"
    static.mkdir(parents=True)
    private.chmod(0o700)
    monkeypatch.setattr(run_network, "is_root", lambda: True)
    assert run_network.static_dir_for_nginx(static) is None
    private.chmod(0o755)
    static.chmod(0o755)
    for folder in static.parents:
        if not folder.stat().st_mode & 0o001:
            pytest.skip(f"{folder} is private here; the open case cannot be shown")
    assert run_network.static_dir_for_nginx(static) == static
    without = nginx_conf(tmp_path / "nginx", 18080, [18501], 50, None)
    assert "location /static/" not in without and "proxy_pass http://planner" in without
