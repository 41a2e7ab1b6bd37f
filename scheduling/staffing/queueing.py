"""Queueing models for a helpline: Erlang B, Erlang C and Erlang A, vectorised over intervals.

Every function takes numpy arrays (or scalars) that broadcast together, one element per
interval, and works in log space so it stays exact and finite from 0.01 Erlang to thousands
of agents.

Conventions (the textbook ones):
- traffic A (Erlangs) = calls x handle time / interval length.
- Erlang C: SL(t) = 1 - Pw exp(-(n - A) t / AHT), ASA = Pw AHT / (n - A), occupancy = A / n;
  with n <= A the queue never empties: Pw = 1, SL = 0, ASA = inf, occupancy = 1.
- Erlang A (M/M/n+M): callers hang up after an exponential patience with the given mean.
  Service level counts every offered call, a caller who hangs up counts as not answered in
  time. ASA is the mean wait of the answered calls. Occupancy = answered load / n.

Erlang A is computed from the exact birth-death stationary distribution. With x = n P / AHT
and y = A P / AHT (P = mean patience), the queue states sum to Kummer's function
M(1; x + 1; y) relative to the state "all n busy, nobody waiting"; the answered-within-t
mass follows from the fact that exp(-V / P) is Beta(x, j + 1) distributed when a caller finds
j people waiting (V = the wait they would have). As P grows, M(1; x + 1; y) tends to
1 / (1 - A / n) and Erlang A tends to Erlang C.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

Model = Literal["erlang_a", "erlang_c"]
MODELS: tuple[Model, ...] = ("erlang_a", "erlang_c")

# Below this, a regularised incomplete gamma value has lost too many digits to take its log.
_TINY = 1e-250
# Targets are compared with this slack so a value equal to the target on paper counts as met.
_EPS = 1e-12

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class QueueMetrics:
    """Predicted performance at a staffing, one element per interval."""

    agents: IntArray
    traffic_erlangs: FloatArray
    waiting_probability: FloatArray
    service_level: FloatArray  # share of offered calls answered within the target time
    abandon_probability: FloatArray  # 0 under Erlang C
    asa_seconds: FloatArray  # mean wait of answered calls; inf when the queue never empties
    occupancy: FloatArray

    @property
    def answered_share(self) -> FloatArray:
        return 1.0 - self.abandon_probability

    def row(self, i: int = 0) -> dict[str, float | int]:
        """One interval as plain numbers (the keys of `python -m scheduling erlang --json`)."""
        return {
            "agents": int(self.agents.flat[i]),
            "traffic_erlangs": float(self.traffic_erlangs.flat[i]),
            "waiting_probability": float(self.waiting_probability.flat[i]),
            "service_level": float(self.service_level.flat[i]),
            "abandon_probability": float(self.abandon_probability.flat[i]),
            "asa_seconds": float(self.asa_seconds.flat[i]),
            "occupancy": float(self.occupancy.flat[i]),
        }


def offered_load(calls: ArrayLike, interval_seconds: ArrayLike, handle_seconds: ArrayLike):
    """Traffic in Erlangs: calls x handle time / interval length (never rounded)."""
    return (
        np.asarray(calls, dtype=float)
        * np.asarray(handle_seconds, dtype=float)
        / (np.asarray(interval_seconds, dtype=float))
    )


# --- log-space building blocks -------------------------------------------------------------


def _log1mexp(x: FloatArray) -> FloatArray:
    """log(1 - exp(x)) for x <= 0, accurate at both ends."""
    x = np.minimum(x, 0.0)
    out = np.empty_like(x)
    near = x > -np.log(2.0)
    with np.errstate(divide="ignore"):
        out[near] = np.log(-np.expm1(x[near]))
    out[~near] = np.log1p(-np.exp(x[~near]))
    return out


def _log_below(n: FloatArray, a: FloatArray) -> FloatArray:
    """log of sum_{k<n} a^k/k! divided by a^n/n!: the idle states relative to "all busy".

    -inf for n = 0; +inf for a = 0 < n. Equals log(1/B - 1) with B the Erlang B blocking.
    """
    out = np.full(n.shape, np.inf)
    out[n == 0] = -np.inf
    live = (n > 0) & (a > 0)
    if not live.any():
        return out
    nl, al = n[live], a[live]
    q = special.gammaincc(nl, al)  # P(Poisson(a) <= n - 1)
    res = np.empty_like(nl)
    ok = q > _TINY
    res[ok] = np.log(q[ok]) - (nl[ok] * np.log(al[ok]) - al[ok] - special.gammaln(nl[ok] + 1.0))
    if not ok.all():
        # Heavily overloaded (a far above n): sum n/a + n(n-1)/a^2 + ..., a fast series.
        nb, ab = nl[~ok], al[~ok]
        term = nb / ab
        total = term.copy()
        for j in range(1, 100_000):
            term = term * np.maximum(nb - j, 0.0) / ab
            total += term
            if not (term > 1e-17 * total).any():
                break
        res[~ok] = np.log(total)
    out[live] = res
    return out


def _log_kummer(b: FloatArray, z: FloatArray, use_series: NDArray[np.bool_] | None = None):
    """log M(1; b; z) = log sum_j z^j / (b (b+1) ... (b+j-1)) for b >= 1, z >= 0.

    Uses (b-1) e^z z^(1-b) gamma(b-1, z) where the incomplete gamma keeps its digits, and
    scipy's hyp1f1 (no overflow there since z is well below b) elsewhere. `use_series`
    forces the choice so that nearby points (a finite difference) take the same route.
    """
    out = np.zeros(np.broadcast(b, z).shape)
    b, z = np.broadcast_arrays(b, z)
    a = b - 1.0
    edge = a <= 0  # b == 1: M(1; 1; z) = e^z
    out[edge] = z[edge]
    live = (~edge) & (z > 0)
    if not live.any():
        return out
    al, zl = a[live], z[live]
    p = special.gammainc(al, zl)
    series = ~(p > _TINY) if use_series is None else use_series[live]
    res = np.empty_like(al)
    g = ~series
    with np.errstate(divide="ignore"):
        res[g] = (
            np.log(al[g]) + zl[g] - al[g] * np.log(zl[g]) + special.gammaln(al[g]) + np.log(p[g])
        )
    if series.any():
        res[series] = np.log(special.hyp1f1(1.0, al[series] + 1.0, zl[series]))
    out[live] = res
    return out


def _kummer_route(b: FloatArray, z: FloatArray) -> NDArray[np.bool_]:
    b, z = np.broadcast_arrays(b, z)
    with np.errstate(invalid="ignore"):
        p = special.gammainc(np.maximum(b - 1.0, 1e-300), z)
    return ~(p > _TINY)


def _prepare(agents: ArrayLike, traffic: ArrayLike, *others: ArrayLike):
    arrays = np.broadcast_arrays(
        np.asarray(agents),
        np.asarray(traffic, dtype=float),
        *(np.asarray(o, float) for o in others),
    )
    n = np.asarray(arrays[0]).ravel()
    if np.any(n < 0) or np.any(np.floor(n) != n):
        raise ValueError("agents must be whole numbers >= 0")
    a = np.array(arrays[1], dtype=float).ravel()
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("traffic must be finite and >= 0")
    rest = (np.array(o, dtype=float).ravel() for o in arrays[2:])
    return arrays[0].shape, np.array(n, dtype=np.int64), a, *rest


def _shaped(shape: tuple[int, ...], *arrays: np.ndarray) -> QueueMetrics:
    return QueueMetrics(*(arr.reshape(shape) for arr in arrays))


# --- Erlang B and C ------------------------------------------------------------------------


def erlang_b(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """Blocking probability of an M/M/n/n loss system (no queue)."""
    shape, n, a = _prepare(agents, traffic)
    res = np.exp(-np.logaddexp(0.0, _log_below(n.astype(float), a)))
    res[a == 0] = np.where(n[a == 0] == 0, 1.0, 0.0)
    return res.reshape(shape)


def erlang_c(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """Probability that a call waits in an M/M/n queue (1 when n <= A)."""
    shape, n, a = _prepare(agents, traffic)
    return _erlang_c_pw(n.astype(float), a).reshape(shape)


def _erlang_c_pw(n: FloatArray, a: FloatArray) -> FloatArray:
    pw = np.ones(n.shape)
    stable = n > a
    pw[a == 0] = 0.0
    live = stable & (a > 0)
    if live.any():
        nl, al = n[live], a[live]
        log_1m_rho = np.log1p(-al / nl)
        pw[live] = np.exp(-np.logaddexp(0.0, log_1m_rho + _log_below(nl, al)))
    return pw


def erlang_c_metrics(
    agents: ArrayLike, traffic: ArrayLike, *, handle_seconds: ArrayLike, target_seconds: ArrayLike
) -> QueueMetrics:
    shape, n, a, h, t = _prepare(agents, traffic, handle_seconds, target_seconds)
    nf = n.astype(float)
    pw = _erlang_c_pw(nf, a)
    stable = (nf > a) | (a == 0)
    gap = np.where(stable, nf - a, 1.0)
    sl = np.where(stable, 1.0 - pw * np.exp(-gap * t / h), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(stable, pw * h / gap, np.inf)
        occ = np.where(nf > 0, np.minimum(a / np.where(nf > 0, nf, 1.0), 1.0), 0.0)
    return _shaped(shape, n, a, pw, sl, np.zeros_like(a), asa, occ)


# --- Erlang A ------------------------------------------------------------------------------


def erlang_a_metrics(
    agents: ArrayLike,
    traffic: ArrayLike,
    *,
    handle_seconds: ArrayLike,
    target_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    with_asa: bool = True,
) -> QueueMetrics:
    shape, n, a, h, t, p = _prepare(
        agents, traffic, handle_seconds, target_seconds, patience_seconds
    )
    if np.any(p <= 0) or np.any(h <= 0):
        raise ValueError("handle and patience times must be > 0")
    nf = n.astype(float)
    pw, sl, pab, asa, occ = (np.zeros(nf.shape) for _ in range(5))
    sl[:] = 1.0
    live = a > 0
    if live.any():
        res = _erlang_a_live(nf[live], a[live], h[live], t[live], p[live], with_asa)
        for arr, val in zip((pw, sl, pab, asa, occ), res, strict=True):
            arr[live] = val
    return _shaped(shape, n, a, pw, sl, pab, asa, occ)


def _erlang_a_live(n, a, h, t, p, with_asa: bool):
    x = n * p / h  # service capacity in units of the abandonment rate
    y = a * p / h  # arrival rate in units of the abandonment rate
    log_s = _log_below(n, a)
    log_m1 = _log_kummer(x + 1.0, y)
    route = _kummer_route(x + 2.0, y)
    log_m2 = _log_kummer(x + 2.0, y, route)
    log_z = np.logaddexp(log_s, log_m1)

    with np.errstate(divide="ignore"):
        log_share = np.log(x) - np.log1p(x)  # -inf when n = 0: nobody is ever answered
    log_served_wait = log_share + log_m2
    log_answered = np.logaddexp(log_s, log_served_wait)

    pw = np.exp(log_m1 - log_z)
    pab = -np.expm1(np.minimum(log_answered - log_z, 0.0))

    # Answered within t: of those answered after waiting, the share whose wait is at most t.
    # That share is 1 - P(x+1, yc) / P(x+1, y) (regularised lower incomplete gamma); taken
    # from the upper tails where P is near 1 so that no digits cancel.
    c_log = -t / p
    yc = y * np.exp(c_log)
    log_in_time = np.empty_like(x)
    g = ~route
    if g.any():
        a1, yg, ycg = x[g] + 1.0, y[g], yc[g]
        p_y = special.gammainc(a1, yg)
        upper = p_y > 0.5
        gap = np.where(
            upper,
            special.gammaincc(a1, ycg) - special.gammaincc(a1, yg),
            p_y - special.gammainc(a1, ycg),
        )
        with np.errstate(divide="ignore"):
            log_in_time[g] = np.log(np.maximum(gap, 0.0)) - np.log(p_y)
    if route.any():
        xr, yr = x[route], y[route]
        log_late = (
            -(xr + 1.0) * (t[route] / p[route])
            + yr * (-np.expm1(c_log[route]))
            + _log_kummer(xr + 2.0, yc[route], np.ones(xr.shape, dtype=bool))
        )
        log_in_time[route] = _log1mexp(np.minimum(log_late - log_m2[route], 0.0))
    log_in_time_wait = log_served_wait + log_in_time
    sl = np.exp(np.logaddexp(log_s, log_in_time_wait) - log_z)

    # Mean wait of answered callers: minus the derivative of the answered-waiting mass with
    # respect to the abandonment rate, i.e. of log M(1; b; y) in b (five-point difference).
    asa = np.full(n.shape, np.inf if with_asa else np.nan)
    if with_asa:
        # Scale of change in b: b itself when overloaded, b - y (or sqrt b near b = y) else.
        b = x + 2.0
        step = 1e-3 * np.minimum(b, np.abs(b - y) + np.sqrt(b) + 1.0)

        def at(k: float) -> FloatArray:
            return _log_kummer(x + 2.0 + k * step, y, route)

        dlog = (8.0 * (at(1.0) - at(-1.0)) - (at(2.0) - at(-2.0))) / (12.0 * step)
        slope = np.maximum(1.0 / (x + 1.0) - dlog, 0.0)
        busy = n > 0
        asa[busy] = (p * slope)[busy] * np.exp(log_served_wait[busy] - log_answered[busy])
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, a * (1.0 - pab) / np.where(n > 0, n, 1.0), 0.0)
    return pw, sl, pab, asa, np.minimum(occ, 1.0)


# --- one entry point and the search for the fewest agents -----------------------------------


def queue_metrics(
    agents: ArrayLike,
    traffic: ArrayLike,
    *,
    handle_seconds: ArrayLike,
    target_seconds: ArrayLike,
    model: Model = "erlang_a",
    patience_seconds: ArrayLike = 120.0,
    with_asa: bool = True,
) -> QueueMetrics:
    """Performance at the given staffing under either model (ASA skipped if not with_asa)."""
    if model == "erlang_c":
        return erlang_c_metrics(
            agents, traffic, handle_seconds=handle_seconds, target_seconds=target_seconds
        )
    if model == "erlang_a":
        return erlang_a_metrics(
            agents,
            traffic,
            handle_seconds=handle_seconds,
            target_seconds=target_seconds,
            patience_seconds=patience_seconds,
            with_asa=with_asa,
        )
    raise ValueError(f"unknown queueing model {model!r}; expected one of {MODELS}")


@dataclass(frozen=True)
class Targets:
    """What a staffing must achieve; None switches a target off."""

    service_level: float | None = None  # share answered within target_seconds
    target_seconds: float = 0.0
    answered_share: float | None = None  # 1 - P(abandon); only binds under Erlang A
    max_occupancy: float | None = None

    def __post_init__(self) -> None:
        for name in ("service_level", "answered_share"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value < 1.0:
                raise ValueError(f"{name} must be at least 0 and below 1 (got {value})")
        if self.max_occupancy is not None and not 0.0 < self.max_occupancy <= 1.0:
            raise ValueError(
                f"max_occupancy must be above 0 and at most 1 (got {self.max_occupancy})"
            )
        if self.target_seconds < 0:
            raise ValueError("target_seconds must be >= 0")

    @classmethod
    def with_abandon_share(cls, abandon_share: float, **kwargs: float | None) -> Targets:
        return cls(answered_share=1.0 - abandon_share, **kwargs)  # type: ignore[arg-type]


def target_failures(m: QueueMetrics, targets: Targets) -> dict[str, NDArray[np.bool_]]:
    """For each target in force, where the metrics miss it (True = missed)."""
    missed: dict[str, NDArray[np.bool_]] = {}
    # Erlang C with n <= A (Pw = 1, nobody leaves) or no agents at all: waits grow forever.
    queue_never_empties = (m.traffic_erlangs > 0) & (
        (m.agents == 0) | ((m.waiting_probability >= 1.0) & (m.abandon_probability == 0.0))
    )
    if targets.service_level is not None:
        missed["service_level"] = (m.service_level < targets.service_level - _EPS) | (
            queue_never_empties
        )
    if targets.answered_share is not None:
        missed["answered_share"] = m.answered_share < targets.answered_share - _EPS
    if targets.max_occupancy is not None:
        missed["max_occupancy"] = m.occupancy > targets.max_occupancy + _EPS
    if not missed:
        missed["stable"] = queue_never_empties
    return missed


def fewest_agents(
    traffic: ArrayLike,
    targets: Targets,
    *,
    handle_seconds: ArrayLike,
    model: Model = "erlang_a",
    patience_seconds: ArrayLike = 120.0,
    max_agents: int = 100_000,
) -> IntArray:
    """The fewest agents meeting every target, per interval, all intervals at once.

    Under Erlang C the queue must also be able to empty (n > A); n climbs from its lower
    bound by the Erlang B recursion. Under Erlang A, a vectorised bisection on n. Raises
    ValueError when a target cannot be met with max_agents.
    """
    a, h, pat = np.broadcast_arrays(
        np.asarray(traffic, float),
        np.asarray(handle_seconds, float),
        np.asarray(patience_seconds, float),
    )
    shape = a.shape
    a, h, pat = a.ravel().astype(float), h.ravel().astype(float), pat.ravel().astype(float)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("traffic must be finite and >= 0")

    def ok(idx: IntArray, n: IntArray) -> NDArray[np.bool_]:
        m = queue_metrics(
            n,
            a[idx],
            handle_seconds=h[idx],
            target_seconds=targets.target_seconds,
            model=model,
            patience_seconds=pat[idx],
            with_asa=False,
        )
        missed = target_failures(m, targets)
        return ~np.logical_or.reduce(list(missed.values()))

    # Lower bounds every staffing must clear; then widen an upper bound until it is met.
    if model == "erlang_c":
        n, _ = _climb_erlang_c(a, h, targets, _erlang_c_lower_bound(a, targets), max_agents)
        return n.reshape(shape)
    lo = np.zeros(a.shape, dtype=np.int64)
    if targets.answered_share is not None:
        # Answered calls keep agents busy: n >= answered share x A.
        lo = np.maximum(lo, np.ceil(targets.answered_share * a - 1e-9).astype(np.int64))
    hi = lo + np.ceil(3.0 * np.sqrt(a) + 2.0).astype(np.int64)
    hi = np.minimum(hi, max_agents)

    pending = np.flatnonzero(~ok(np.arange(a.size), hi))
    while pending.size:
        old = hi[pending]
        if np.any(old >= max_agents):
            raise ValueError(f"the targets cannot be met with {max_agents} agents")
        width = old - lo[pending] + 2
        lo[pending] = old + 1
        hi[pending] = np.minimum(old + 2 * width, max_agents)
        pending = pending[~ok(pending, hi[pending])]

    active = np.flatnonzero(lo < hi)
    while active.size:
        mid = (lo[active] + hi[active]) // 2
        good = ok(active, mid)
        hi[active[good]] = mid[good]
        lo[active[~good]] = mid[~good] + 1
        active = active[lo[active] < hi[active]]
    return hi.reshape(shape)


def _climb_erlang_c(
    a: FloatArray, h: FloatArray, targets: Targets, start: IntArray, max_agents: int
) -> tuple[IntArray, FloatArray]:
    """Erlang C: step n up from its lower bound with the Erlang B recursion until the service
    level is met. The recursion is plain arithmetic (stable upwards), so each step costs a few
    vector operations; the bound already makes the queue stable and the occupancy cap hold.
    Returns n and the Erlang B blocking at n (nan where there is no traffic).
    """
    out = start.copy()
    blocking = np.full(a.shape, np.nan)
    live = np.flatnonzero(a > 0)
    if not live.size:
        return out, blocking
    al, hl, n = a[live], h[live], start[live].astype(float)
    b = np.exp(-np.logaddexp(0.0, _log_below(n, al)))
    if targets.service_level is None:
        blocking[live] = b
        return out, blocking
    goal = targets.service_level - _EPS
    while live.size:
        rho = al / n
        pw = b / ((n - al) / n + rho * b)
        sl = 1.0 - pw * np.exp(-(n - al) * targets.target_seconds / hl)
        done = sl >= goal
        out[live[done]] = n[done]
        blocking[live[done]] = b[done]
        keep = ~done
        live, al, hl, n, b = live[keep], al[keep], hl[keep], n[keep], b[keep]
        b = al * b / (n + 1.0 + al * b)
        n = n + 1.0
        if live.size and n.max() > max_agents:
            raise ValueError(f"the targets cannot be met with {max_agents} agents")
    return out, blocking


def _erlang_c_from_blocking(
    n: IntArray, a: FloatArray, b: FloatArray, h: FloatArray, t: float
) -> QueueMetrics:
    """Erlang C metrics from a known Erlang B value (no special functions); ASA left out."""
    nf = n.astype(float)
    busy = a > 0
    stable = (nf > a) & busy
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = nf - a
        pw = np.where(stable, b / (gap / nf + a / nf * b), np.where(busy, 1.0, 0.0))
        sl = np.where(stable, 1.0 - pw * np.exp(-gap * t / h), np.where(busy, 0.0, 1.0))
        occ = np.where(nf > 0, np.minimum(a / nf, 1.0), 0.0)
    return QueueMetrics(n, a, pw, sl, np.zeros_like(a), np.full(a.shape, np.nan), occ)


@dataclass(frozen=True)
class Staffing:
    """The queue's answer for many intervals: what it needs, what is staffed, and why."""

    queue_agents: IntArray  # fewest meeting every target
    agents: IntArray  # max(queue_agents, floor)
    at_agents: QueueMetrics  # performance at `agents` (ASA not computed)
    below_queue: QueueMetrics  # at queue_agents - 1: which target would be missed


def staff_intervals(
    traffic: ArrayLike,
    targets: Targets,
    *,
    handle_seconds: ArrayLike,
    model: Model = "erlang_a",
    patience_seconds: ArrayLike = 120.0,
    floor: ArrayLike = 0,
    max_agents: int = 100_000,
) -> Staffing:
    """fewest_agents, raised to a floor, with the metrics at the result and one below it.

    Under Erlang C the Erlang B values found by the search are carried along the recursion,
    so no special function is evaluated again.
    """
    a, h, pat, fl = (
        x.ravel().astype(float)
        for x in np.broadcast_arrays(
            np.asarray(traffic, float),
            np.asarray(handle_seconds, float),
            np.asarray(patience_seconds, float),
            np.asarray(floor, float),
        )
    )
    if model != "erlang_c":
        queue = fewest_agents(
            a, targets, handle_seconds=h, model=model, patience_seconds=pat, max_agents=max_agents
        )
        agents = np.maximum(queue, fl.astype(np.int64))

        def metrics(n: IntArray) -> QueueMetrics:
            return queue_metrics(
                n,
                a,
                handle_seconds=h,
                target_seconds=targets.target_seconds,
                model=model,
                patience_seconds=pat,
                with_asa=False,
            )

        return Staffing(queue, agents, metrics(agents), metrics(np.maximum(queue - 1, 0)))

    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError("traffic must be finite and >= 0")
    queue, b = _climb_erlang_c(a, h, targets, _erlang_c_lower_bound(a, targets), max_agents)
    agents = np.maximum(queue, fl.astype(np.int64))
    b_at = b.copy()
    steps = np.where(a > 0, agents - queue, 0)
    for k in range(int(steps.max(initial=0))):
        go = steps > k
        n_next = (queue[go] + k + 1).astype(float)
        b_at[go] = a[go] * b_at[go] / (n_next + a[go] * b_at[go])
    with np.errstate(divide="ignore", invalid="ignore"):
        # B(n - 1) = n B(n) / (A (1 - B(n))): one step down, needed only where n - 1 > A.
        b_below = np.where(a > 0, queue * b / (a * (1.0 - b)), np.nan)
    at = _erlang_c_from_blocking(agents, a, b_at, h, targets.target_seconds)
    below = _erlang_c_from_blocking(np.maximum(queue - 1, 0), a, b_below, h, targets.target_seconds)
    return Staffing(queue, agents, at, below)


def _erlang_c_lower_bound(a: FloatArray, targets: Targets) -> IntArray:
    lo = np.where(a > 0, np.floor(a).astype(np.int64) + 1, 0)
    if targets.max_occupancy is not None:
        # Under Erlang C every call is answered, so occupancy = A / n (the oracle's cap rule).
        lo = np.maximum(lo, np.ceil(a / targets.max_occupancy - 1e-9).astype(np.int64))
    return lo


def positions_after_shrinkage(raw_positions: ArrayLike, shrinkage: float) -> IntArray:
    """Agents to schedule so that `raw_positions` remain after shrinkage (rounded up)."""
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be at least 0 and below 1")
    raw = np.asarray(raw_positions, dtype=float)
    return np.ceil(raw / (1.0 - shrinkage) - 1e-9).astype(np.int64)
