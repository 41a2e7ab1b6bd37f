"""Two app servers on one PostgreSQL behind nginx (scripts/run_network.py without Dask), in
headless Chromium: every role signs in through the proxy and opens each of its pages; then its
browser is routed to the other server, where a reload finds it still signed in, a page opens,
and a counsellor's logged call is saved."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from data.demo import DEMO_ACCOUNTS
from scheduling.domain import Role
from scripts.run_network import (
    ROUTE_COOKIE,
    UPSTREAM_HEADER,
    find_nginx,
    find_pg_bindir,
    free_port,
    route_to,
    started_network,
    upstream_for,
)
from tests.support.services import NO_NETWORK
from tests.ui.browser.conftest import require_browser
from tests.ui.browser.helpers import SIDEBAR_NAV, open_page, sign_in
from ui.navigation import PAGES

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Network:
    url: str
    servers: tuple[str, ...]
    pids: dict[str, int]
    logs: Path

    def tails(self, lines: int = 25) -> str:
        """The end of every log of the set-up (app servers, nginx, PostgreSQL), for a failure
        to show what the servers saw."""
        parts = []
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(parts)


@pytest.fixture(scope="module")
def network() -> Iterator[Network]:
    require_browser()
    if find_nginx() is None or find_pg_bindir() is None:
        pytest.skip(NO_NETWORK)
    # Not under pytest's tmp_path: as root, PostgreSQL runs as the postgres user, which must
    # reach its directory.
    root = Path(tempfile.mkdtemp(prefix="planner-network-"))
    root.chmod(0o755)
    with started_network(root, free_port(), dask=False) as state:
        yield Network(
            url=state["url"],
            servers=tuple(state["app_servers"]),
            pids=dict(state["pids"]),
            logs=Path(str(state["logs"])),
        )
    # Ctrl-C stopped everything it had started, PostgreSQL included.
    left = [name for name, pid in state["pids"].items() if _running(pid)]
    assert left == []
    assert not (root / "postgres" / "data" / "postmaster.pid").exists()
    shutil.rmtree(root, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _signed_in(page, username: str) -> None:
    page.get_by_text(f"Signed in as {username}").first.wait_for()


def _walk_pages(page, role: Role) -> list[str]:
    titles = [p.title for p in PAGES if role in p.roles and p.file != "home.py"]
    for title in titles:
        open_page(page, title)
        page.get_by_role("heading", name=title).first.wait_for()
    return titles


def test_two_servers_network_has_two_upstreams(network: Network) -> None:
    assert len(set(network.servers)) == 2
    served = {upstream_for(network.url, f"probe-{n}") for n in range(40)}
    assert served == set(network.servers), "nginx spreads browsers over both servers"


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_every_role_works_whichever_server_answers(browser, network: Network, account) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        first = page.goto(network.url)
        assert first is not None
        # A new browser is given a routing cookie and keeps its server from then on.
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies[ROUTE_COOKIE]["httpOnly"]
        home = first.headers[UPSTREAM_HEADER.lower()]
        assert home in network.servers

        sign_in(page, network.url, account.username, account.password)
        _signed_in(page, account.username)
        page.wait_for_timeout(1500)  # the sign-in cookie is handed over in the background
        titles = _walk_pages(page, account.role)
        assert (
            page.request.get(network.url + "/_stcore/health").headers[UPSTREAM_HEADER.lower()]
            == home
        )

        # Route this browser to the other server: the Streamlit session stays behind, the
        # sign-in (a session row in the database) comes along.
        other = next(s for s in network.servers if s != home)
        context.add_cookies(
            [{"name": ROUTE_COOKIE, "value": route_to(network.url, other), "url": network.url}]
        )
        reloaded = page.reload()
        assert reloaded is not None
        assert reloaded.headers[UPSTREAM_HEADER.lower()] == other
        _signed_in(page, account.username)
        if titles:
            open_page(page, titles[-1])
            page.get_by_role("heading", name=titles[-1]).first.wait_for()
        page.reload()
        _signed_in(page, account.username)

        if account.role is Role.STAFF:
            open_page(page, "My shift")
            page.get_by_role("button", name="Log a difficult call").click()
            page.get_by_text("Logged. If you like, add a little more").wait_for()
            page.get_by_text("Off the queue until").wait_for()

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for()
        page.reload()
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.locator(SIDEBAR_NAV).count() == 0
    except Exception:
        print(network.tails())  # shown with the failure
        raise
    finally:
        context.close()


def test_a_browser_whose_server_stops_is_signed_in_on_the_other(browser, network: Network) -> None:
    """Last in this module: it stops one of the two servers."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        doomed, spare = network.servers
        context.add_cookies(
            [{"name": ROUTE_COOKIE, "value": route_to(network.url, doomed), "url": network.url}]
        )
        sign_in(page, network.url, "demo-manager", "manager-demo-pass")
        _signed_in(page, "demo-manager")
        page.wait_for_timeout(1500)  # the sign-in cookie is handed over in the background
        open_page(page, "Staff")
        page.get_by_role("heading", name="Staff").first.wait_for()

        app = next(
            name
            for name, server in zip(("app-1", "app-2"), network.servers, strict=True)
            if server == doomed
        )
        os.kill(network.pids[app], signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _running(network.pids[app]):
            assert time.monotonic() < deadline, f"{app} did not stop"
            time.sleep(0.5)

        reloaded = page.reload()
        assert reloaded is not None
        # nginx names every server it tried: the stopped one first, when it tried it.
        assert reloaded.headers[UPSTREAM_HEADER.lower()].split(", ")[-1] == spare
        _signed_in(page, "demo-manager")
        page.get_by_role("heading", name="Staff").first.wait_for()
    finally:
        context.close()
