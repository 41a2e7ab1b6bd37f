"""The network set-up on one machine: PostgreSQL, a Dask scheduler with workers, several
Streamlit app servers (serve.py) and nginx in front of them with sticky sessions.

`make run-network` (scripts/run-network) runs this. Everything lives under one directory
(default var/network): the PostgreSQL cluster, the data directory the app servers share (the
private-notes key file), nginx's configuration, every log, and network.json, written once all
is up (the URL, the app servers, the database and the scheduler) and removed at the end.
Ctrl-C (or SIGTERM) stops everything started here; the next start finds the same database.

Stickiness: open-source nginx has no `sticky`, so nginx hands each new browser a routing
cookie (planner_route, a random id) and picks the app server by a consistent hash of it. A
browser keeps its server, and with it its Streamlit session and websocket; when that server
goes away the hash moves the browser to another one, where the sign-in cookie (a session row
in the database) signs it in again.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TextIO

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: the project's packages are importable
    sys.path.insert(0, str(REPO))
ROUTE_COOKIE = "planner_route"
UPSTREAM_HEADER = "X-Planner-Server"
DATABASE_NAME = "planner"
STATE_FILE = "network.json"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


class NetworkError(RuntimeError):
    """The set-up cannot start: the message says what is missing or what failed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def is_root() -> bool:
    return os.geteuid() == 0


def find_nginx() -> str | None:
    chosen = os.environ.get("NGINX", "").strip()
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def find_pg_bindir() -> str | None:
    chosen = os.environ.get("PG_BINDIR", "").strip()
    if chosen:
        return chosen if os.access(Path(chosen) / "initdb", os.X_OK) else None
    dirs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
    )
    found = [d for d in dirs if os.access(d / "initdb", os.X_OK)]
    if found:
        return str(found[-1])
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout
        if os.access(Path(out.strip()) / "initdb", os.X_OK):
            return out.strip()
    return None


def as_postgres(command: Sequence[str]) -> list[str]:
    """initdb and the server refuse to run as root: root runs them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if is_root() else list(command)


def wait_until(
    ready: Callable[[], bool], what: str, timeout: float, alive: Callable[[], bool] | None = None
) -> None:
    """Poll `ready()` until true; `alive()` false (a process that exited) fails at once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise NetworkError(f"{what} exited while starting")
        if ready():
            return
        time.sleep(0.3)
    raise NetworkError(f"{what} did not start within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def tcp_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    log: TextIO

    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Network:
    """Starts the parts in order and stops them in reverse; `stop()` is safe to call twice."""

    root: Path
    port: int
    servers: int
    workers: int
    dask: bool
    children: list[Child] = field(default_factory=list)
    pg_bin: str | None = None
    pg_data: Path | None = None
    pg_started: bool = False

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    # --- PostgreSQL --------------------------------------------------------------------------

    def start_postgres(self) -> str:
        pg_bin = find_pg_bindir()
        if pg_bin is None:
            raise NetworkError(
                "PostgreSQL not found (no initdb under /usr/lib/postgresql/*/bin): "
                "`apt-get install postgresql`, or set PG_BINDIR"
            )
        if is_root() and subprocess.run(["id", "postgres"], capture_output=True).returncode:
            raise NetworkError("running as root but there is no postgres user to run PostgreSQL")
        self.pg_bin = pg_bin
        pg_root = self.root / "postgres"
        pg_root.mkdir(parents=True, exist_ok=True)
        self.pg_data = pg_root / "data"
        if is_root():
            shutil.chown(pg_root, "postgres")
        if not (self.pg_data / "PG_VERSION").exists():
            log = self.logs / "initdb.log"
            with log.open("w") as out:
                done = subprocess.run(
                    as_postgres(
                        [
                            f"{pg_bin}/initdb",
                            "-D",
                            str(self.pg_data),
                            "-A",
                            "trust",
                            "-U",
                            "postgres",
                            "--no-locale",
                            "-E",
                            "UTF8",
                        ]
                    ),
                    cwd=pg_root,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            if done.returncode:
                raise NetworkError(f"initdb failed; see {log}")
        status = subprocess.run(
            as_postgres([f"{pg_bin}/pg_ctl", "-D", str(self.pg_data), "status"]),
            cwd=pg_root,
            capture_output=True,
        )
        if status.returncode == 0:
            raise NetworkError(
                f"the PostgreSQL cluster in {self.pg_data} is already running: is another "
                "run-network using this directory? Stop it first."
            )
        server_log = self.logs / "postgres.log"
        if is_root():
            server_log.touch()
            shutil.chown(server_log, "postgres")
        for _ in range(5):  # a free port may be taken before the server binds it
            pg_port = free_port()
            options = f"-c listen_addresses=127.0.0.1 -p {pg_port} -k {pg_root}"
            started = subprocess.run(
                as_postgres(
                    [
                        f"{pg_bin}/pg_ctl",
                        "-D",
                        str(self.pg_data),
                        "-l",
                        str(server_log),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        options,
                        "start",
                    ]
                ),
                cwd=pg_root,
                capture_output=True,
            )
            if started.returncode == 0:
                self.pg_started = True
                break
        else:
            raise NetworkError(f"PostgreSQL did not start; see {server_log}")
        self.ensure_database(pg_port)
        return f"postgresql+psycopg://postgres@127.0.0.1:{pg_port}/{DATABASE_NAME}"

    @staticmethod
    def ensure_database(pg_port: int) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{pg_port}/postgres", autocommit=True
        ) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if found is None:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    def stop_postgres(self) -> None:
        if self.pg_started and self.pg_bin and self.pg_data:
            subprocess.run(
                as_postgres(
                    [f"{self.pg_bin}/pg_ctl", "-D", str(self.pg_data), "-m", "fast", "-w", "stop"]
                ),
                cwd=self.pg_data.parent,
                capture_output=True,
            )
            self.pg_started = False

    # --- processes we own --------------------------------------------------------------------

    def spawn(self, name: str, command: Sequence[str], env: dict[str, str]) -> Child:
        log = (self.logs / f"{name}.log").open("w")
        # A session of its own: the terminal's Ctrl-C reaches this script only, which then
        # stops the parts in order (nginx first, PostgreSQL last).
        proc = subprocess.Popen(
            list(command),
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        child = Child(name, proc, log)
        self.children.append(child)
        return child

    def stop_children(self) -> None:
        for child in reversed(self.children):
            if child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in reversed(self.children):
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait()
            child.log.close()
        self.children.clear()

    def stop(self) -> None:
        self.stop_children()
        self.stop_postgres()
        (self.root / STATE_FILE).unlink(missing_ok=True)

    def watch(self) -> Child:
        """Wait until a process the set-up cannot do without exits, and return it. An app
        server or a Dask worker that exits is reported and the set-up carries on, as long as
        another app server is up: nginx sends its browsers to the others."""
        reported: set[str] = set()
        while True:
            for child in self.children:
                if child.alive() or child.name in reported:
                    continue
                spare = child.name.startswith(("app-", "dask-worker-"))
                apps_up = any(c.alive() for c in self.children if c.name.startswith("app-"))
                if not (spare and apps_up):
                    return child
                reported.add(child.name)
                print(
                    f"run-network: {child.name} exited with {child.proc.returncode} (see "
                    f"{self.logs / (child.name + '.log')}); the others carry on",
                    file=sys.stderr,
                    flush=True,
                )
            time.sleep(1)

    # --- the whole set-up --------------------------------------------------------------------

    def app_env(self, database_url: str, scheduler: str | None) -> dict[str, str]:
        env = dict(os.environ)
        env["PLANNER_DATABASE_URL"] = database_url
        # One data directory for every server: they share the private-notes key file.
        env["PLANNER_DATA_DIR"] = str(self.root / "data")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        if scheduler:
            env["PLANNER_DASK_SCHEDULER"] = scheduler
        else:
            env.pop("PLANNER_DASK_SCHEDULER", None)
        return env

    def cookie_secret(self) -> str:
        """One secret for every server: Streamlit signs its XSRF cookie (file uploads) with
        it, so an upload page opened on one server may post to another."""
        path = self.root / "cookie-secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
        return path.read_text().strip()

    def start(self) -> dict[str, object]:
        nginx = find_nginx()
        if nginx is None:
            raise NetworkError("nginx not found: `apt-get install nginx`, or set NGINX=/path")
        if not port_free(self.port):
            raise NetworkError(f"--port {self.port}: that port is in use; choose another")
        for sub in ("logs", "data", "nginx/tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

        database_url = self.start_postgres()
        env = self.app_env(database_url, None)
        for command in (["migrate"], ["seed-demo"]):
            log = self.logs / f"data-{command[0]}.log"
            with log.open("w") as out:
                done = subprocess.run(
                    [sys.executable, "-m", "data", *command],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            if done.returncode:
                raise NetworkError(f"python -m data {command[0]} failed; see {log}")

        scheduler = None
        if self.dask:
            dask_port = free_port()
            scheduler = f"tcp://127.0.0.1:{dask_port}"
            sched = self.spawn(
                "dask-scheduler",
                [
                    sys.executable,
                    "-m",
                    "distributed.cli.dask_scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(dask_port),
                    "--no-dashboard",
                ],
                env,
            )
            wait_until(
                lambda: tcp_open(dask_port),
                "the Dask scheduler",
                60,
                sched.alive,
            )
            env = self.app_env(database_url, scheduler)
            for n in range(1, self.workers + 1):
                self.spawn(
                    f"dask-worker-{n}",
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        scheduler,
                        "--nworkers",
                        "1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"worker-{n}",
                        "--local-directory",
                        str(self.root / "dask"),
                    ],
                    env,
                )

        secret = self.cookie_secret()
        app_ports = []
        for n in range(1, self.servers + 1):
            app_port = free_port()
            app_ports.append(app_port)
            self.spawn(
                f"app-{n}",
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "serve.py",
                    "--server.address",
                    "127.0.0.1",
                    "--server.port",
                    str(app_port),
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                    "--server.fileWatcherType",
                    "none",
                ],
                {**env, "STREAMLIT_SERVER_COOKIE_SECRET": secret},
            )
        for n, (app_port, child) in enumerate(
            zip(app_ports, self.children[-self.servers :], strict=True), start=1
        ):
            wait_until(
                partial(http_ok, f"http://127.0.0.1:{app_port}/_stcore/health"),
                f"app server {n}",
                120,
                child.alive,
            )

        conf = self.root / "nginx" / "nginx.conf"
        conf.write_text(
            nginx_conf(
                self.root / "nginx",
                self.port,
                app_ports,
                max_upload_mb(),
                static_dir_for_nginx(streamlit_static_dir()),
            )
        )
        test = subprocess.run(
            [nginx, "-t", "-q", "-p", str(self.root / "nginx"), "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        if test.returncode:
            raise NetworkError(f"nginx refused its configuration: {test.stderr.strip()}")
        proxy = self.spawn(
            "nginx",
            [nginx, "-p", str(self.root / "nginx"), "-c", str(conf), "-g", "daemon off;"],
            env,
        )
        url = f"http://127.0.0.1:{self.port}"
        wait_until(lambda: http_ok(f"{url}/_stcore/health"), "nginx", 30, proxy.alive)

        state: dict[str, object] = {
            "pid": os.getpid(),
            "url": url,
            "app_servers": [f"127.0.0.1:{p}" for p in app_ports],
            "database_url": database_url,
            "dask_scheduler": scheduler,
            "data_dir": str(self.root / "data"),
            "route_cookie": ROUTE_COOKIE,
            "upstream_header": UPSTREAM_HEADER,
            "logs": str(self.logs),
            "pids": {c.name: c.proc.pid for c in self.children},
        }
        (self.root / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")
        return state


def upstream_for(url: str, route: str) -> str:
    """The app server nginx at `url` picks for a browser holding routing cookie `route`."""
    request = urllib.request.Request(url + "/_stcore/health")
    request.add_header("Cookie", f"{ROUTE_COOKIE}={route}")
    with urllib.request.urlopen(request, timeout=10) as resp:
        return str(resp.headers[UPSTREAM_HEADER])


def route_to(url: str, server: str) -> str:
    """A routing-cookie value that sends a browser to `server` (host:port)."""
    for n in range(500):
        if upstream_for(url, f"route-{n}") == server:
            return f"route-{n}"
    raise NetworkError(f"no routing cookie value found that nginx sends to {server}")


@contextmanager
def started_network(
    root: Path, port: int, *, dask: bool = True, timeout: float = 240
) -> Iterator[dict[str, Any]]:
    """Run this script in a child process on `root` until the block ends (then SIGINT, as
    Ctrl-C); yields its network.json. For the tests and the load bench."""
    log_path = root / "run-network.log"
    root.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--dir", str(root)]
    command += ["--port", str(port), *([] if dask else ["--no-dask"])]
    state_file = root / STATE_FILE
    state_file.unlink(missing_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not state_file.exists():
                if proc.poll() is not None:
                    raise NetworkError(
                        "run-network exited: " + log_path.read_text()[-2000:].strip()
                    )
                if time.monotonic() > deadline:
                    raise NetworkError(f"run-network did not come up in {timeout:.0f} s")
                time.sleep(0.5)
            yield json.loads(state_file.read_text())
        finally:
            proc.send_signal(signal.SIGINT)  # as Ctrl-C
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def max_upload_mb() -> int:
    from data.settings import settings

    return settings().max_upload_mb


def streamlit_static_dir() -> Path:
    """Streamlit's built front end (the files it serves under /static/, hashed names)."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static" / "static"


# The front end's files are the same on every server and named by their hash: nginx serves
# them itself, so the app servers' Python is left to the sessions.
_STATIC_LOCATION = """        location /static/ {{
            alias {static_dir}/;
            types {{
                application/javascript js mjs;
                text/css css;
                application/json json map;
                image/png png;
                image/gif gif;
                image/svg+xml svg;
                font/woff2 woff2;
                font/woff woff;
            }}
            default_type application/octet-stream;
            add_header Cache-Control "public, max-age=31536000, immutable";
            gzip on;
            gzip_types application/javascript text/css application/json image/svg+xml;
        }}
"""


def static_dir_for_nginx(static_dir: Path) -> Path | None:
    """`static_dir` when nginx's workers can read it, else None (the app servers serve the
    files). As root, nginx's workers run as nobody, who cannot enter a private directory on
    the way (a clone under a 0700 home or `mktemp -d`)."""
    if not is_root():
        return static_dir
    for folder in (static_dir, *static_dir.parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return None
    return static_dir if static_dir.stat().st_mode & stat.S_IROTH else None


def nginx_conf(
    prefix: Path, port: int, app_ports: Sequence[int], upload_mb: int, static_dir: Path | None
) -> str:
    """nginx's configuration; with `static_dir`, nginx serves Streamlit's front-end files
    itself."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in app_ports
    )
    user = "user nobody nogroup;\n" if is_root() else ""
    static = "" if static_dir is None else _STATIC_LOCATION.format(static_dir=static_dir)
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by scripts/run_network.py at every start; edits are lost.
{user}worker_processes 2;
pid {prefix / "nginx.pid"};
error_log {prefix.parent / "logs" / "nginx-error.log"} warn;
events {{
    worker_connections 2048;
}}
http {{
    log_format upstream '$remote_addr [$time_iso8601] "$request" $status '
                        '$request_time $upstream_addr';
    access_log {prefix.parent / "logs" / "nginx-access.log"} upstream;
{temp}
    client_max_body_size {upload_mb + 1}m;

    # Streamlit talks over a websocket (/_stcore/stream): pass the upgrade on.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}
    # Sticky sessions: a browser without a routing cookie gets one (this request's id) and
    # is routed by it from this request on.
    map $cookie_{ROUTE_COOKIE} $planner_route {{
        '' $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    map $cookie_{ROUTE_COOKIE} $planner_route_cookie {{
        '' '{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax';
        default '';
    }}
    upstream planner {{
        hash $planner_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
{static}        location / {{
            proxy_pass http://planner;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A websocket stays open for the whole visit: a long read timeout keeps nginx
            # from cutting a quiet one.
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_next_upstream error timeout;
            add_header Set-Cookie $planner_route_cookie always;
            add_header {UPSTREAM_HEADER} $upstream_addr always;
        }}
    }}
}}
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line on stderr, exit 2
        print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(2)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(
        prog="run-network",
        description="PostgreSQL, a Dask scheduler and workers, app servers and nginx, on this "
        "machine; Ctrl-C stops them all.",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=REPO / "var" / "network",
        help="where the database, logs and configuration live (default: var/network)",
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)"
    )
    parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    parser.add_argument(
        "--no-dask",
        action="store_true",
        help="no Dask scheduler nor workers (jobs run in the app servers)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port: expected a port from 1 to 65535, got {args.port}")
    if not 1 <= args.servers <= 16:
        parser.error(f"--servers: expected 1 to 16, got {args.servers}")
    if not 1 <= args.workers <= 16:
        parser.error(f"--workers: expected 1 to 16, got {args.workers}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    network = Network(
        root=args.dir.resolve(),
        port=args.port,
        servers=args.servers,
        workers=args.workers,
        dask=not args.no_dask,
    )

    def stop_on(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Set explicitly: a shell that starts this in the background leaves SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on)
    try:
        state = network.start()
        print_ready(state)
        dead = network.watch()
        print(
            f"run-network: {dead.name} exited with {dead.proc.returncode} (see "
            f"{network.logs / (dead.name + '.log')}); stopping everything",
            file=sys.stderr,
        )
        return 1
    except NetworkError as exc:
        print(f"run-network: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nrun-network: stopping", flush=True)
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        network.stop()


def print_ready(state: dict[str, object]) -> None:
    from data.demo import DEMO_ACCOUNTS

    servers = ", ".join(str(s) for s in state["app_servers"])  # type: ignore[attr-defined]
    lines = [
        f"Planner network up: {state['url']}",
        f"  app servers {servers} behind nginx (sticky by the {ROUTE_COOKIE} cookie)",
        f"  database    {state['database_url']}",
        f"  dask        {state['dask_scheduler'] or 'off (jobs run in the app servers)'}",
        "  demo accounts (username / password / role):",
        *(f"    {a.username:<18} {a.password:<22} {a.role.value}" for a in DEMO_ACCOUNTS),
        "Ctrl-C stops everything.",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
