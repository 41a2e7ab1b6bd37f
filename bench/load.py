"""Load on the network set-up: simulated users in headless Chromium (one Playwright browser
context each, so each has its own sign-in, routing cookie, Streamlit session and websocket),
all at once, through nginx to the app servers.

  .venv/bin/python bench/load.py --start [--staff 20] [--managers 5] [--leadership 2]
      [--duration 120] [--ramp 10] [--solve-limit 5] [--no-dask] [--label NAME]
  .venv/bin/python bench/load.py --network-dir var/network     # a set-up already running
  .venv/bin/python bench/load.py --client ws --start ...      # no browser (bench/ws_client.py)

--client ws simulates each user without a browser: the sign-in over HTTP as the browser
does it, then Streamlit's websocket protocol; a page is measured from the rerun sent to its
run finished (docs/network.md says what it does and does not simulate).

--start runs scripts/run_network.py on a fresh var/bench-network (the users write wellbeing
logs and draft rosters, so a bench never runs on data anyone keeps); without it the bench uses
the set-up whose network.json is under --network-dir.

What each user does, until --duration has passed (the step under way is finished):
- counsellors (demo-staff): My shift, log a difficult call, skip the details, My account;
- managers (demo-manager): Roster (computing the week's forecast if none is saved), Solve with
  a --solve-limit second limit until the draft is saved, Today, Call history, Staff;
- leadership (demo-leadership): Scenarios, once a baseline comparison run, Team wellbeing,
  Call history.
Between steps each user pauses 1-4 s (seeded, per user).

Before the run each role's pages are opened once on every server, unmeasured (--no-warm-up
measures cold servers). Measured: page latency, from the click on a sidebar link to the page's
title rendered, p50/p95/p99 per role and overall; the first load (the address typed, in a fresh
browser context with an empty cache, to the sign-in form) and the sign-in (the button to the
signed-in page); actions (a call logged, a comparison run); the solve's queue wait, from the
Solve click to "Solving the week" replacing "Waiting for another solve" on the page, and the
solve's whole time; and every error (a step that failed or timed out, or a Python exception
shown on a page). Prints the figures
and writes bench/results/load-<label>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.ws_client import (  # noqa: E402
    Chain,
    ProtocolError,
    StreamlitTab,
    handoff_code,
    slider,
    text,
    trigger,
)
from data.demo import DEMO_ACCOUNTS  # noqa: E402
from scheduling.domain import Role  # noqa: E402
from scripts.run_network import (  # noqa: E402
    ROUTE_COOKIE,
    STATE_FILE,
    UPSTREAM_HEADER,
    NetworkError,
    free_port,
    started_network,
)
from tests.support.services import chromium_path  # noqa: E402
from ui.auth_routes import COOKIE_NAME, SESSION_ROUTE  # noqa: E402

RESULTS = REPO / "bench" / "results"
STEP_TIMEOUT_MS = 60_000
SOLVE_TIMEOUT_MS = 300_000
SCENARIO_TIMEOUT_MS = 400_000
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'
EXCEPTION = '[data-testid="stException"]'
SOLVING = "Solving the week of"
SOLVE_SHOWN = (SOLVING, "Queued: waiting for a free worker")


@dataclass
class Sample:
    kind: str  # page, sign_in, action, solve_wait, solve_total
    role: str
    name: str
    seconds: float
    at: float  # seconds since the start of the run


@dataclass
class Failure:
    role: str
    user: int
    step: str
    message: str
    at: float


@dataclass
class Recorder:
    start: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    servers: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    load_before: float = 0.0  # the machine's 1-minute load average
    load_after: float = 0.0
    cpu_before: dict[str, float] = field(default_factory=dict)  # seconds, per set-up process
    cpu_after: dict[str, float] = field(default_factory=dict)
    busy_before: float = 0.0  # the whole machine's CPU seconds
    busy_after: float = 0.0
    client_before: float = 0.0  # this bench process's own CPU seconds
    client_after: float = 0.0
    since: str = ""  # UTC, to the second, as nginx logs it
    until: str = ""

    def now(self) -> float:
        return time.monotonic() - self.start

    def add(self, kind: str, role: str, name: str, seconds: float) -> None:
        self.samples.append(Sample(kind, role, name, round(seconds, 4), round(self.now(), 2)))

    def fail(self, role: str, user: int, step: str, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''}"
        self.failures.append(Failure(role, user, step, message[:300], round(self.now(), 2)))


class User:
    """One simulated person: a browser context signed in as a demo account."""

    def __init__(
        self, rec: Recorder, url: str, role: Role, n: int, page: Any, args: argparse.Namespace
    ) -> None:
        self.rec = rec
        self.url = url
        self.role = role
        self.n = n
        self.page = page
        self.args = args
        self.rng = random.Random(f"{role.value}-{n}")
        self.account = next(a for a in DEMO_ACCOUNTS if a.role is role)
        self.solved = 0
        self.compared = False

    async def step(self, name: str, action: Callable[[], Awaitable[None]]) -> bool:
        try:
            await action()
            if await self.page.locator(EXCEPTION).count():
                text = await self.page.locator(EXCEPTION).first.inner_text()
                raise RuntimeError(f"exception shown on the page: {text[:200]}")
            return True
        except Exception as exc:  # a failed step is an error of the run, counted and reported
            self.rec.fail(self.role.value, self.n, name, exc)
            try:  # start the next step from a fresh page load
                await self.page.goto(self.url, timeout=STEP_TIMEOUT_MS)
            except Exception as again:
                self.rec.fail(self.role.value, self.n, "reload after an error", again)
            return False

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(1.0, 4.0))

    async def sign_in(self) -> None:
        page = self.page
        t0 = time.monotonic()
        response = await page.goto(self.url, timeout=STEP_TIMEOUT_MS)
        await page.get_by_role("textbox", name="Username").fill(self.account.username)
        self.rec.add("first_load", self.role.value, "sign-in form", time.monotonic() - t0)
        await page.get_by_role("textbox", name="Password").fill(self.account.password)
        t0 = time.monotonic()
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_text(f"Signed in as {self.account.username}").wait_for()
        self.rec.add("sign_in", self.role.value, "sign in", time.monotonic() - t0)
        if response is not None:
            server = response.headers.get(UPSTREAM_HEADER.lower(), "?")
            self.rec.servers[server] = self.rec.servers.get(server, 0) + 1

    async def open(self, title: str) -> None:
        page = self.page
        t0 = time.monotonic()
        await page.locator(SIDEBAR_NAV).get_by_text(title, exact=True).click()
        await page.get_by_role("heading", name=title).first.wait_for()
        self.rec.add("page", self.role.value, title, time.monotonic() - t0)

    # --- counsellors ---------------------------------------------------------------------

    async def log_call(self) -> None:
        page = self.page
        t0 = time.monotonic()
        await page.get_by_role("button", name="Log a difficult call").click()
        await page.get_by_text("Logged. If you like, add a little more").wait_for()
        self.rec.add("action", self.role.value, "log a difficult call", time.monotonic() - t0)
        await page.get_by_role("button", name="Skip").click()
        await page.get_by_text("Logged. If you like, add a little more").wait_for(state="detached")

    async def counsellor_round(self) -> None:
        await self.step("My shift", lambda: self.open("My shift"))
        await self.step("log a difficult call", self.log_call)
        await self.think()
        await self.step("My account", lambda: self.open("My account"))

    # --- managers ------------------------------------------------------------------------

    async def solve(self) -> None:
        page = self.page
        compute = page.get_by_role("button", name="Compute and save a forecast")
        # The page is drawn top down: wait until it shows either the forecast's requirements
        # or the button that computes them.
        await compute.or_(page.get_by_text("Requirements:").first).first.wait_for()
        if await compute.count():
            t0 = time.monotonic()
            await compute.click()
            await page.get_by_text("Requirements:").first.wait_for()
            self.rec.add("action", self.role.value, "compute a forecast", time.monotonic() - t0)
        slider = page.get_by_role("slider", name="Time limit (seconds)")
        for _ in range(30):
            value = await slider.get_attribute("aria-valuenow")
            if value is None or float(value) <= self.args.solve_limit:
                break
            await slider.focus()
            await slider.press("ArrowLeft")
            await page.wait_for_timeout(200)
        t0 = time.monotonic()
        await page.get_by_role("button", name="Solve").click()
        await page.get_by_text("Solving the week of").first.wait_for(timeout=SOLVE_TIMEOUT_MS)
        self.rec.add("solve_wait", self.role.value, "queue wait", time.monotonic() - t0)
        await page.get_by_text("saved as a draft").first.wait_for(timeout=SOLVE_TIMEOUT_MS)
        self.rec.add("solve_total", self.role.value, "solve", time.monotonic() - t0)
        self.solved += 1

    async def manager_round(self) -> None:
        if await self.step("Roster", lambda: self.open("Roster")):
            await self.step("solve", self.solve)
        for title in ("Today", "Call history", "Staff"):
            await self.think()
            await self.step(title, lambda t=title: self.open(t))  # type: ignore[misc]

    # --- leadership ----------------------------------------------------------------------

    async def compare(self) -> None:
        page = self.page
        await page.get_by_text("Scenarios to compare").wait_for()
        t0 = time.monotonic()
        await page.get_by_role("button", name="Add preset").click()
        await page.get_by_text("1. Baseline").wait_for()
        await page.get_by_role("button", name="Run comparison").click()
        results = page.locator(".st-key-scenario_results")
        await results.get_by_text("Side by side").wait_for(timeout=SCENARIO_TIMEOUT_MS)
        self.rec.add("action", self.role.value, "run a comparison", time.monotonic() - t0)

    async def leadership_round(self) -> None:
        if await self.step("Scenarios", lambda: self.open("Scenarios")) and not self.compared:
            self.compared = True
            await self.step("run a comparison", self.compare)
        for title in ("Team wellbeing", "Call history"):
            await self.think()
            await self.step(title, lambda t=title: self.open(t))  # type: ignore[misc]

    async def run(self, deadline: float) -> None:
        rounds = {
            Role.STAFF: self.counsellor_round,
            Role.MANAGER: self.manager_round,
            Role.LEADERSHIP: self.leadership_round,
        }[self.role]
        # A person whose sign-in fails tries again after a pause, as long as the run lasts.
        while not await self.step("sign in", self.sign_in):
            if time.monotonic() >= deadline:
                return
            await self.think()
        while time.monotonic() < deadline:
            await rounds()
            await self.think()


class WsUser(User):
    """One simulated person without a browser: the page and sign-in over HTTP as a browser
    asks for them, then the app's websocket spoken with Streamlit's own messages
    (bench/ws_client.py). A page counts as drawn when its run has finished."""

    def __init__(
        self,
        rec: Recorder,
        url: str,
        role: Role,
        n: int,
        args: argparse.Namespace,
        route: str | None = None,
    ) -> None:
        import requests

        super().__init__(rec, url, role, n, None, args)
        self.http = requests.Session()
        if route is not None:
            self.http.cookies.set(ROUTE_COOKIE, route)
        self.tab: StreamlitTab | None = None
        self.last: Chain | None = None  # the last finished run of the current page

    async def step(self, name: str, action: Callable[[], Awaitable[None]]) -> bool:
        try:
            await action()
            return True
        except Exception as exc:  # a failed step is an error of the run, counted and reported
            self.rec.fail(self.role.value, self.n, name, exc)
            try:  # start the next step on a fresh websocket, as a reload would
                await self.connect()
            except Exception as again:
                self.rec.fail(self.role.value, self.n, "reconnect after an error", again)
            return False

    async def get(self, path: str) -> Any:
        response = await asyncio.to_thread(self.http.get, self.url + path, timeout=60)
        response.raise_for_status()
        return response

    async def connect(self) -> None:
        """A fresh websocket with the cookies held now, and the first run of the app."""
        if self.tab is not None:
            await self.tab.close()
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        self.tab = StreamlitTab(self.url, cookies)
        await self.tab.connect()
        await self.finish(await self.tab.request(None))

    async def finish(
        self,
        chain: Chain,
        timeout: float = STEP_TIMEOUT_MS / 1000,
        drawn: Callable[[Chain], bool] | None = None,
    ) -> Chain:
        """Wait until the runs answering `chain` have finished (or `drawn` holds); an error
        drawn on the way fails the step."""
        assert self.tab is not None
        await self.tab.wait(
            chain, lambda c: c.done or bool(c.errors) or (drawn is not None and drawn(c)), timeout
        )
        if chain.errors:
            raise ProtocolError(chain.errors[0])
        self.last = chain
        return chain

    async def sign_in(self) -> None:
        t0 = time.monotonic()
        response = await self.get("/")
        for path in ("/_stcore/health", "/_stcore/host-config"):
            await self.get(path)
        await self.connect()
        assert self.tab is not None and self.last is not None
        form = self.last
        self.rec.add("first_load", self.role.value, "sign-in form", time.monotonic() - t0)
        t0 = time.monotonic()
        chain = await self.tab.request(
            None,
            [
                text(self.tab.widget(form, "Username"), self.account.username),
                text(self.tab.widget(form, "Password"), self.account.password),
                trigger(self.tab.widget(form, "Sign in")),
            ],
        )
        await self.finish(chain)
        if not chain.shows(f"Signed in as **{self.account.username}**"):
            raise ProtocolError("the sign-in page did not sign in")
        code = handoff_code(chain.texts, SESSION_ROUTE)
        if code is None:
            raise ProtocolError("no sign-in cookie code handed to the browser")
        posted = await asyncio.to_thread(
            self.http.post,
            self.url + SESSION_ROUTE,
            data={"code": code},
            headers={"Origin": self.url},
            timeout=60,
        )
        if posted.status_code != 204 or COOKIE_NAME not in self.http.cookies:
            raise ProtocolError(f"the sign-in cookie was not set (HTTP {posted.status_code})")
        self.rec.add("sign_in", self.role.value, "sign in", time.monotonic() - t0)
        server = response.headers.get(UPSTREAM_HEADER, "?")
        self.rec.servers[server] = self.rec.servers.get(server, 0) + 1

    async def open(self, title: str) -> None:
        assert self.tab is not None
        t0 = time.monotonic()
        chain = await self.tab.request(title, watch=SOLVE_SHOWN)
        # A Roster page following a week's solve polls until it ends: drawn once it shows it.
        await self.finish(chain, drawn=lambda c: bool(c.seen))
        self.rec.add("page", self.role.value, title, time.monotonic() - t0)

    async def press(
        self, label: str, *, extra: list[Any] | None = None, watch: tuple[str, ...] = ()
    ) -> Chain:
        """Press the button `label` of the page drawn last (a new run of the same page)."""
        assert self.tab is not None and self.last is not None
        button = self.tab.widget(self.last, label)
        return await self.tab.request(None, [*(extra or []), trigger(button)], watch=watch)

    async def log_call(self) -> None:
        t0 = time.monotonic()
        chain = await self.finish(await self.press("Log a difficult call"))
        if not chain.shows("Logged. If you like, add a little more"):
            raise ProtocolError("the call was not logged")
        self.rec.add("action", self.role.value, "log a difficult call", time.monotonic() - t0)
        chain = await self.finish(await self.press("Skip"))
        if chain.shows("Logged. If you like, add a little more"):
            raise ProtocolError("the details form stayed after Skip")

    async def solve(self) -> None:
        assert self.tab is not None and self.last is not None
        if self.last.seen:
            self.rec.add("note", self.role.value, "the week was being solved already", 0.0)
            return
        if "Compute and save a forecast" in self.last.widgets:
            t0 = time.monotonic()
            chain = await self.finish(await self.press("Compute and save a forecast"))
            if not chain.shows("Requirements"):
                raise ProtocolError("no forecast after Compute and save a forecast")
            self.rec.add("action", self.role.value, "compute a forecast", time.monotonic() - t0)
        if self.tab.widget(self.last, "Solve").disabled:
            self.rec.add("note", self.role.value, "Solve disabled", 0.0)
            return
        limit = slider(self.tab.widget(self.last, "Time limit (seconds)"), self.args.solve_limit)
        t0 = time.monotonic()
        chain = await self.press("Solve", extra=[limit], watch=SOLVE_SHOWN)
        await self.finish(chain, SOLVE_TIMEOUT_MS / 1000, drawn=lambda c: SOLVING in c.seen)
        # A solve that ends before its first poll is never shown under way.
        shown = chain.seen.get(SOLVING, chain.finished_at or time.monotonic())
        self.rec.add("solve_wait", self.role.value, "queue wait", shown - t0)
        await self.finish(chain, SOLVE_TIMEOUT_MS / 1000)
        if chain.shows("The solve failed"):
            raise ProtocolError("the solve failed")
        self.rec.add("solve_total", self.role.value, "solve", time.monotonic() - t0)
        self.solved += 1

    async def leadership_round(self) -> None:
        for title in ("Scenarios", "Team wellbeing", "Network"):
            await self.step(title, lambda t=title: self.open(t))  # type: ignore[misc]
            await self.think()

    async def close(self) -> None:
        if self.tab is not None:
            await self.tab.close()
        self.http.close()


WARM_UP_PAGES = {
    Role.STAFF: ("My shift", "My account"),
    Role.MANAGER: ("Roster", "Today", "Call history", "Staff", "Forecast & staffing"),
    Role.LEADERSHIP: ("Scenarios", "Team wellbeing", "Call history"),
}


async def warm_up(browser: Any, url: str, servers: list[str], roles: set[Role]) -> None:
    """Each role's pages opened once on every server, unmeasured: the first run of a page in
    a fresh server process imports and caches what it needs, which a server that has been
    up a while has long done."""
    from scripts.run_network import ROUTE_COOKIE, route_to

    async def one(server: str, role: Role) -> None:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(STEP_TIMEOUT_MS * 2)
        route = await asyncio.to_thread(route_to, url, server)
        await context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": url}])
        page = await context.new_page()
        user = User(Recorder(), url, role, -1, page, argparse.Namespace())
        try:
            await user.sign_in()
            for title in WARM_UP_PAGES[role]:
                await user.open(title)
        finally:
            await context.close()

    await asyncio.gather(*(one(server, role) for server in servers for role in roles))


async def drive(
    url: str, args: argparse.Namespace, chromium: str, state: dict[str, Any]
) -> Recorder:
    servers: list[str] = state["app_servers"]
    pids: dict[str, int] = state.get("pids", {})
    from playwright.async_api import async_playwright

    rec = Recorder()
    plan = [(Role.STAFF, n) for n in range(args.staff)]
    plan += [(Role.MANAGER, n) for n in range(args.managers)]
    plan += [(Role.LEADERSHIP, n) for n in range(args.leadership)]
    random.Random(0).shuffle(plan)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-renderer-backgrounding",
                "--disable-background-timer-throttling",
            ],
        )
        if args.warm_up:
            t0 = time.monotonic()
            await warm_up(browser, url, servers, {role for role, _ in plan})
            print(f"warmed up {len(servers)} server(s) in {time.monotonic() - t0:.0f} s")
        rec.load_before = os.getloadavg()[0]
        rec.cpu_before = server_cpu(pids)
        rec.busy_before = machine_busy_seconds()
        rec.since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        rec.start = time.monotonic()
        deadline = rec.start + args.duration

        async def one(role: Role, n: int, delay: float) -> None:
            await asyncio.sleep(delay)
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(STEP_TIMEOUT_MS)
            page = await context.new_page()
            try:
                await User(rec, url, role, n, page, args).run(deadline)
            finally:
                await context.close()

        ramp = args.ramp / max(1, len(plan))
        await asyncio.gather(*(one(role, n, i * ramp) for i, (role, n) in enumerate(plan)))
        await browser.close()
        rec.wall = rec.now()
        rec.load_after = os.getloadavg()[0]
        rec.cpu_after = server_cpu(pids)
        rec.busy_after = machine_busy_seconds()
        rec.until = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    return rec


# The light client's leadership open the Network page instead of running a comparison.
WS_WARM_UP_PAGES = {**WARM_UP_PAGES, Role.LEADERSHIP: ("Scenarios", "Team wellbeing", "Network")}


async def warm_up_ws(url: str, servers: list[str], roles: set[Role]) -> None:
    """warm_up for the light client: the same pages, opened over the websocket."""
    from scripts.run_network import route_to

    async def one(server: str, role: Role) -> None:
        route = await asyncio.to_thread(route_to, url, server)
        user = WsUser(Recorder(), url, role, -1, argparse.Namespace(), route=route)
        try:
            await user.sign_in()
            for title in WS_WARM_UP_PAGES[role]:
                await user.open(title)
        finally:
            await user.close()

    await asyncio.gather(*(one(server, role) for server in servers for role in roles))


async def drive_ws(url: str, args: argparse.Namespace, state: dict[str, Any]) -> Recorder:
    """drive for the light client: one WsUser per person, no browser."""
    servers: list[str] = state["app_servers"]
    pids: dict[str, int] = state.get("pids", {})
    rec = Recorder()
    plan = [(Role.STAFF, n) for n in range(args.staff)]
    plan += [(Role.MANAGER, n) for n in range(args.managers)]
    plan += [(Role.LEADERSHIP, n) for n in range(args.leadership)]
    random.Random(0).shuffle(plan)
    if args.warm_up:
        t0 = time.monotonic()
        await warm_up_ws(url, servers, {role for role, _ in plan})
        print(f"warmed up {len(servers)} server(s) in {time.monotonic() - t0:.0f} s")
    rec.load_before = os.getloadavg()[0]
    rec.cpu_before = server_cpu(pids)
    rec.busy_before = machine_busy_seconds()
    rec.client_before = time.process_time()
    rec.since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    rec.start = time.monotonic()
    deadline = rec.start + args.duration

    async def one(role: Role, n: int, delay: float) -> None:
        await asyncio.sleep(delay)
        user = WsUser(rec, url, role, n, args)
        try:
            await user.run(deadline)
        finally:
            await user.close()

    ramp = args.ramp / max(1, len(plan))
    await asyncio.gather(*(one(role, n, i * ramp) for i, (role, n) in enumerate(plan)))
    rec.wall = rec.now()
    rec.load_after = os.getloadavg()[0]
    rec.cpu_after = server_cpu(pids)
    rec.busy_after = machine_busy_seconds()
    rec.client_after = time.process_time()
    rec.until = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    return rec


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (and its waited-for children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for f in fields[11:15]) / ticks


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine (every CPU, every process) since boot."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in first[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def server_cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds of each set-up process with its live descendants (nginx's workers, the
    process a Dask worker's nanny runs the worker in)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(stat.parent.name))

    def tree(pid: int) -> list[int]:
        return [pid, *(d for child in parents.get(pid, []) for d in tree(child))]

    return {name: sum(cpu_seconds(p) for p in tree(pid)) for name, pid in pids.items()}


def proxy_log(path: Path, since: str, until: str) -> dict[str, Any]:
    """What nginx saw in the run (its access log, time-stamped to the second): answers by
    status class, and the time the app servers took to answer the plain HTTP requests (the
    front-end files nginx serves itself and the websockets left out)."""
    statuses: dict[str, int] = {}
    times: list[float] = []
    if not path.exists():
        return {}
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 8:
            continue
        stamp = parts[1].strip("[]")[:19]
        if not since <= stamp <= until:
            continue
        status, took, upstream = parts[-3], parts[-2], parts[-1]
        statuses[status[:1] + "xx"] = statuses.get(status[:1] + "xx", 0) + 1
        target = parts[3]
        if upstream != "-" and "/_stcore/stream" not in target and status != "101":
            with contextlib.suppress(ValueError):
                times.append(float(took))
    return {"answers_by_status": statuses, "app_server_http": percentiles(times)}


def percentiles(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(q: float) -> float:
        # nearest rank: the smallest value with at least q of the samples at or below it
        rank = max(1, math.ceil(q * len(ordered)))
        return round(ordered[rank - 1], 3)

    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 3),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(ordered[-1], 3),
    }


def summary(rec: Recorder, args: argparse.Namespace, state: dict[str, Any]) -> dict[str, Any]:
    def of(kind: str, role: str | None = None, name: str | None = None) -> list[float]:
        return [
            s.seconds
            for s in rec.samples
            if s.kind == kind and role in (None, s.role) and name in (None, s.name)
        ]

    names = sorted({(s.kind, s.role, s.name) for s in rec.samples})
    return {
        "label": args.label,
        "client": args.client,
        "users": {"staff": args.staff, "managers": args.managers, "leadership": args.leadership},
        "duration_s": args.duration,
        "ramp_s": args.ramp,
        "wall_s": round(rec.wall, 1),
        "solve_limit_s": args.solve_limit,
        "warm_up": args.warm_up,
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": rec.load_before, "after": rec.load_after},
        "network": {
            "app_servers": state.get("app_servers"),
            "dask_scheduler": state.get("dask_scheduler"),
        },
        "sign_ins_per_server": rec.servers,
        "page": percentiles(of("page")),
        "page_by_role": {r.value: percentiles(of("page", r.value)) for r in Role},
        "first_load": percentiles(of("first_load")),
        "sign_in": percentiles(of("sign_in")),
        "solve_queue_wait": percentiles(of("solve_wait")),
        "solve_total": percentiles(of("solve_total")),
        "by_step": {
            f"{kind} / {role} / {name}": percentiles(of(kind, role, name))
            for kind, role, name in names
        },
        "cpu_seconds": {
            "machine": round(rec.busy_after - rec.busy_before, 1),
            # the light client's own process (the browser mode's Chromium is apart)
            **(
                {"bench client": round(rec.client_after - rec.client_before, 1)}
                if args.client == "ws"
                else {}
            ),
            **{
                name: round(rec.cpu_after.get(name, 0.0) - before, 1)
                for name, before in rec.cpu_before.items()
            },
        },
        "proxy": proxy_log(Path(state.get("logs", "")) / "nginx-access.log", rec.since, rec.until),
        "errors": len(rec.failures),
        "failures": [asdict(f) for f in rec.failures],
    }


def show(result: dict[str, Any]) -> None:
    users = result["users"]
    print(
        f"load bench {result['label']}: {users['staff']} counsellors, {users['managers']} "
        f"managers, {users['leadership']} leadership for {result['duration_s']} s "
        f"(ran {result['wall_s']} s); app servers {result['network']['app_servers']}, "
        f"dask {result['network']['dask_scheduler'] or 'off'}"
    )
    print(
        f"sign-ins per server: {result['sign_ins_per_server']}; machine load average "
        f"{result['load_average_1min']['before']:.1f} before, "
        f"{result['load_average_1min']['after']:.1f} after ({result['cpus']} CPUs seen)"
    )

    def line(label: str, p: dict[str, Any]) -> None:
        if p.get("n"):
            print(
                f"  {label:<44} n={p['n']:<4} p50={p['p50']:>7.2f}s p95={p['p95']:>7.2f}s "
                f"p99={p['p99']:>7.2f}s max={p['max']:>7.2f}s"
            )
        else:
            print(f"  {label:<44} n=0")

    cpu = result["cpu_seconds"]
    print(
        "CPU seconds in the run: "
        + ", ".join(f"{name} {value}" for name, value in cpu.items() if name != "machine")
        + f" (the machine, everything on it: {cpu['machine']})"
    )
    proxy = result["proxy"]
    if proxy:
        print(f"nginx answers by status: {proxy['answers_by_status']}")
        line("app servers' time per HTTP request (nginx)", proxy["app_server_http"])
    line("page (all roles)", result["page"])
    for role, p in result["page_by_role"].items():
        if p.get("n"):
            line(f"page ({role})", p)
    line("first load (address typed to sign-in form)", result["first_load"])
    line("sign in (button to signed-in page)", result["sign_in"])
    line("solve queue wait", result["solve_queue_wait"])
    line("solve (click to draft saved)", result["solve_total"])
    for name, p in result["by_step"].items():
        line(name, p)
    print(f"errors: {result['errors']}")
    for f in result["failures"][:20]:
        print(f"  {f['at']:>7.1f}s {f['role']} #{f['user']} {f['step']}: {f['message']}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])

    def count(text: str) -> int:
        value = int(text)
        if not 0 <= value <= 200:
            raise argparse.ArgumentTypeError(f"expected 0 to 200, got {text}")
        return value

    parser.add_argument("--staff", type=count, default=20, help="counsellors (default 20)")
    parser.add_argument("--managers", type=count, default=5, help="managers (default 5)")
    parser.add_argument("--leadership", type=count, default=2, help="leadership (default 2)")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds (default 120)")
    parser.add_argument(
        "--ramp",
        type=float,
        default=10.0,
        help="users start spread over this many seconds (default 10)",
    )
    parser.add_argument(
        "--solve-limit",
        type=int,
        default=5,
        help="a manager's solve time limit in seconds (default 5)",
    )
    parser.add_argument(
        "--start",
        action="store_true",
        help="start a fresh set-up under var/bench-network for the run",
    )
    parser.add_argument("--no-dask", action="store_true", help="with --start: no Dask")
    parser.add_argument(
        "--network-dir",
        type=Path,
        default=REPO / "var" / "network",
        help="without --start: the running set-up's directory",
    )
    parser.add_argument(
        "--no-warm-up",
        dest="warm_up",
        action="store_false",
        help="measure from cold servers (by default each role's pages are opened once on "
        "every server before the run)",
    )
    parser.add_argument(
        "--client",
        choices=("browser", "ws"),
        default="browser",
        help="browser: each user a Playwright context in headless Chromium (default); ws: "
        "each user HTTP requests and Streamlit's websocket protocol, no browser",
    )
    parser.add_argument("--label", default=None, help="names the results file")
    args = parser.parse_args()
    if args.duration <= 0 or args.ramp < 0:
        parser.error("--duration must be above 0 and --ramp at least 0")
    if not 5 <= args.solve_limit <= 120:
        parser.error(f"--solve-limit: expected 5 to 120 seconds, got {args.solve_limit}")
    if args.staff + args.managers + args.leadership == 0:
        parser.error("no users: give --staff, --managers or --leadership above 0")
    if args.label is None:
        args.label = f"{args.staff}-{args.managers}-{args.leadership}"
        if args.client == "ws":
            args.label += "-ws"
    return args


def main() -> int:
    args = parse_args()
    chromium = chromium_path() if args.client == "browser" else ""
    if chromium is None:
        print("load bench: Chromium not found (set CHROMIUM=/path)", file=sys.stderr)
        return 2

    def run(state: dict[str, Any]) -> Recorder:
        if args.client == "ws":
            return asyncio.run(drive_ws(state["url"], args, state))
        return asyncio.run(drive(state["url"], args, chromium, state))

    try:
        if args.start:
            root = REPO / "var" / "bench-network"
            shutil.rmtree(root, ignore_errors=True)
            with started_network(root, free_port(), dask=not args.no_dask) as state:
                rec = run(state)
        else:
            state_file = args.network_dir / STATE_FILE
            if not state_file.exists():
                print(
                    f"load bench: no running set-up ({state_file} missing): start one with "
                    "`make run-network`, or pass --start",
                    file=sys.stderr,
                )
                return 2
            state = json.loads(state_file.read_text())
            rec = run(state)
    except NetworkError as exc:
        print(f"load bench: {exc}", file=sys.stderr)
        return 2
    result = summary(rec, args, state)
    show(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{args.label}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
