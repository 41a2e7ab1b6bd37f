"""Discrete-event simulation of a roster against calls: what the roster really delivers.

Stable API (other areas build on it):

- `SimulationPlan`: the horizon cut into intervals, expected calls per interval (Poisson
  arrivals) or replayed counts, and per person their shifts with the stretches on the line.
  Build it with `plan_from_roster(instance, solution)` or by hand (times are minutes from
  `start`).
- `CallModel`: talk times (lognormal with the site's mean, or exponential), wrap-up, the share
  of difficult calls and the decompression after them (10 min, 30 min after two in a row),
  callers' patience (exponential; None = nobody hangs up) and the answer-time target.
  `CallModel.from_settings(StaffingSettings)` takes the site's values.
- `simulate(plan, model, replications=..., seed=...)` -> `SimulationResult`: per interval and in
  total, the mean over the replications with a 95% confidence interval (`Estimate`).
- `replicate(plan, model, seed=..., index=...)` -> `Replication`: one run's raw figures, for
  callers who want to measure something of their own from the event log (`Replication.events`
  when `keep_events=True`).

Rules of the model. A counsellor takes calls only while a roster LINE segment is running and they
are neither in a call nor decompressing; meals, off-line work, debriefs and planned
decompression slots are off the queue. A call in progress when a line segment ends is finished
(an overrun). After a difficult call the counsellor decompresses off the queue; the
decompression runs on into a following break, and counts as cut short when the shift ends
first. Callers are answered first come, first served by the longest-idle counsellor, and hang
up after their patience; callers still waiting when the run ends count as abandoned.

The event loop is plain Python over a heap (arrivals merged from a pre-drawn sorted stream):
for the small queues of a helpline it runs several times faster than the same model in SimPy,
and every random draw is made up front with numpy from the replication's own seed, so a
replication's result does not depend on how the replications are split over processes.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
from pydantic import Field
from scipy import stats

from scheduling.domain import Frozen, StaffingSettings

Distribution = Literal["lognormal", "exponential"]

# Event kinds, in the order they are handled at equal times: leaving the line before coming on.
_LINE_OFF, _SHIFT_END, _SERVICE_END, _DECOMP_END, _LINE_ON, _ABANDON = range(6)


class CallModel(Frozen):
    """How calls and counsellors behave. Minutes unless the name says seconds."""

    talk_minutes: float = Field(default=20.0, gt=0)
    talk_distribution: Distribution = "lognormal"
    talk_cv: float = Field(default=0.6, gt=0, description="lognormal: sd / mean of talk time")
    wrapup_minutes: float = Field(default=5.0, ge=0)
    difficult_share: float = Field(default=0.30, ge=0, le=1)
    decompression_minutes: float = Field(default=10.0, ge=0)
    long_decompression_minutes: float = Field(
        default=30.0, ge=0, description="after this many difficult calls in a row"
    )
    long_after_in_a_row: int = Field(default=2, ge=1)
    decompression: bool = Field(default=True, description="False: no time off after any call")
    patience_seconds: float | None = Field(
        default=120.0, gt=0, description="mean patience (exponential); None = nobody hangs up"
    )
    target_answer_seconds: float = Field(default=60.0, ge=0)

    @classmethod
    def from_settings(cls, settings: StaffingSettings, **overrides: object) -> CallModel:
        h, t = settings.handle, settings.targets
        values: dict[str, object] = {
            "talk_minutes": h.talk_minutes,
            "wrapup_minutes": h.wrapup_minutes,
            "difficult_share": h.difficult_share,
            "decompression_minutes": h.decompression_minutes,
            "patience_seconds": t.patience_seconds if t.model == "erlang_a" else None,
            "target_answer_seconds": t.target_answer_seconds,
        }
        values.update(overrides)
        return cls.model_validate(values)


@dataclass(frozen=True)
class ShiftPlan:
    """One shift, minutes from the plan's start; `line` are the stretches on the queue."""

    start: float
    end: float
    line: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class PersonPlan:
    staff_id: str
    shifts: tuple[ShiftPlan, ...]


@dataclass(frozen=True)
class SimulationPlan:
    """What to simulate. `calls[k]` are the expected calls of interval k (Poisson), or with
    `replay` the exact count (spread uniformly over the interval)."""

    start: datetime
    interval_minutes: int
    calls: tuple[float, ...]
    people: tuple[PersonPlan, ...]
    replay: bool = False

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0:
            raise ValueError("interval_minutes must be > 0")
        if any(not math.isfinite(c) or c < 0 for c in self.calls):
            raise ValueError("calls must be finite and >= 0")
        if self.replay and any(c != int(c) for c in self.calls):
            raise ValueError("replayed calls must be whole numbers")

    @property
    def horizon_minutes(self) -> float:
        return len(self.calls) * self.interval_minutes

    def interval_start(self, k: int) -> datetime:
        return self.start + timedelta(minutes=k * self.interval_minutes)

    def line_minutes_per_interval(self) -> np.ndarray:
        windows = [w for p in self.people for s in p.shifts for w in s.line]
        return _time_per_interval(windows, self.interval_minutes, len(self.calls))


def _merge(windows: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    out: list[list[float]] = []
    for a, b in sorted(windows):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _time_per_interval(windows: Sequence[tuple[float, float]], width: float, n: int) -> np.ndarray:
    """Minutes of the windows falling in each interval [k w, (k + 1) w), k < n."""
    if not windows:
        return np.zeros(n)
    arr = np.asarray(windows, dtype=float)
    starts, ends = np.sort(arr[:, 0]), np.sort(arr[:, 1])
    edges = np.arange(n + 1) * float(width)

    def below(values: np.ndarray) -> np.ndarray:
        # sum_i min(edge, v_i) for every edge, from the sorted values
        idx = np.searchsorted(values, edges, side="right")
        prefix = np.concatenate(([0.0], np.cumsum(values)))
        return prefix[idx] + edges * (values.size - idx)

    cumulative = below(ends) - below(starts)
    return np.diff(cumulative)


def plan_from_roster(
    instance: object,
    solution: object,
    *,
    calls: Sequence[float] | None = None,
    replay: bool = False,
) -> SimulationPlan:
    """The week of a RosterInstance and its RosterSolution as a plan.

    Calls default to the instance's `forecast_calls` per open interval (closed intervals have
    none); `calls` overrides them with one value per interval of the whole week.
    """
    from scheduling.roster.schema import Activity, RosterInstance, RosterSolution

    assert isinstance(instance, RosterInstance) and isinstance(solution, RosterSolution)
    tz = instance.tz
    start = datetime.combine(instance.week_start, datetime.min.time(), tz)
    width = instance.interval_minutes
    n = 7 * 24 * 60 // width

    def minutes(t: datetime) -> float:
        return (t - start).total_seconds() / 60.0

    if calls is None:
        expected = [0.0] * n
        for slot in instance.intervals:
            k = int(minutes(slot.start) // width)
            if 0 <= k < n:
                expected[k] = float(slot.forecast_calls or 0.0)
    else:
        expected = [float(c) for c in calls]
        if len(expected) != n:
            raise ValueError(f"calls: expected {n} values (one per interval), got {len(expected)}")
    people = []
    for person in solution.people:
        shifts = tuple(
            ShiftPlan(
                start=minutes(s.start),
                end=minutes(s.end),
                line=_merge(
                    [
                        (minutes(a.start), minutes(a.end))
                        for a in s.activities
                        if a.activity == Activity.LINE
                    ]
                ),
            )
            for s in person.shifts
        )
        people.append(PersonPlan(staff_id=person.staff_id, shifts=shifts))
    return SimulationPlan(
        start=start,
        interval_minutes=width,
        calls=tuple(expected),
        people=tuple(people),
        replay=replay,
    )


# ------------------------------------------------------------------ one replication


@dataclass
class Replication:
    """Raw figures of one run; arrays have one element per interval (by arrival time)."""

    offered: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    in_target: np.ndarray
    wait_minutes: np.ndarray  # summed over answered calls
    busy_minutes: np.ndarray  # handling calls, by when the work happened
    decompression_full: int
    decompression_cut_short: int
    difficult_by_person: dict[str, int]
    longest_line_run_minutes: float  # longest stretch on the queue without a break, anyone
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (minute, who, what)


def _draws(plan: SimulationPlan, model: CallModel, rng: np.random.Generator):
    width = float(plan.interval_minutes)
    expected = np.asarray(plan.calls, dtype=float)
    counts = expected.astype(np.int64) if plan.replay else rng.poisson(expected)
    total = int(counts.sum())
    arrivals = (np.repeat(np.arange(expected.size), counts) + rng.random(total)) * width
    order = np.argsort(arrivals, kind="stable")
    arrivals = arrivals[order]
    if model.talk_distribution == "exponential":
        talk = rng.exponential(model.talk_minutes, total)
    else:
        sigma2 = math.log1p(model.talk_cv**2)
        mu = math.log(model.talk_minutes) - sigma2 / 2
        talk = rng.lognormal(mu, math.sqrt(sigma2), total)
    handle = talk + model.wrapup_minutes
    difficult = rng.random(total) < model.difficult_share
    if model.patience_seconds is None:
        patience = np.full(total, math.inf)
    else:
        patience = rng.exponential(model.patience_seconds / 60.0, total)
    return arrivals, handle, difficult, patience


def replicate(
    plan: SimulationPlan,
    model: CallModel,
    *,
    seed: int = 0,
    index: int = 0,
    keep_events: bool = False,
) -> Replication:
    """One run. Its random numbers come from (seed, index) alone."""
    rng = np.random.default_rng([seed, index])
    arrivals_a, handle_a, difficult_a, patience_a = _draws(plan, model, rng)
    arrivals = arrivals_a.tolist()
    handle = handle_a.tolist()
    difficult = difficult_a.tolist()
    patience = patience_a.tolist()
    width = float(plan.interval_minutes)
    n_int = len(plan.calls)
    target = model.target_answer_seconds / 60.0
    decompress = model.decompression and model.difficult_share > 0
    short, long_ = model.decompression_minutes, model.long_decompression_minutes
    long_after = model.long_after_in_a_row

    n_people = len(plan.people)
    heap: list[tuple[float, int, int, int]] = []  # (time, kind, seq, payload)
    seq = 0
    for p, person in enumerate(plan.people):
        for shift in person.shifts:
            heap.append((shift.end, _SHIFT_END, seq, p))
            seq += 1
            for a, b in shift.line:
                heap.append((a, _LINE_ON, seq, p))
                heap.append((b, _LINE_OFF, seq + 1, p))
                seq += 2
    heapq.heapify(heap)

    on_line = [False] * n_people
    busy = [False] * n_people
    decomp_token = [0] * n_people  # > 0 while decompressing (the current decompression's id)
    streak = [0] * n_people
    run_start = [-1.0] * n_people  # start of the current stretch on the queue, -1 if off
    longest = 0.0
    difficult_by = [0] * n_people
    free: dict[int, None] = {}  # idle counsellors on the line, longest idle first
    queue: list[int] = []  # waiting calls (call index), FIFO with lazy removal
    q_head = 0
    waiting = [False] * len(arrivals)
    services: list[tuple[float, float]] = []
    answered_iv: list[int] = []
    wait_list: list[float] = []
    abandoned_iv: list[int] = []
    full = cut = 0
    events: list[tuple[float, str, str]] = []
    ids = [p.staff_id for p in plan.people]

    def end_run(p: int, t: float) -> None:
        nonlocal longest
        if run_start[p] >= 0:
            longest = max(longest, t - run_start[p])
            run_start[p] = -1.0

    def serve(p: int, c: int, t: float) -> None:
        nonlocal seq
        busy[p] = True
        answered_iv.append(c)
        wait_list.append(t - arrivals[c])
        end = t + handle[c]
        services.append((t, end))
        heapq.heappush(heap, (end, _SERVICE_END, seq, p * 2 + (1 if difficult[c] else 0)))
        seq += 1
        if keep_events:
            events.append((t, ids[p], f"answers call {c}"))

    def ready(p: int, t: float) -> None:
        """p may take a call: the head of the queue, or wait idle."""
        nonlocal q_head
        if not on_line[p] or busy[p] or decomp_token[p]:
            return
        if run_start[p] < 0:
            run_start[p] = t
        while q_head < len(queue):
            c = queue[q_head]
            q_head += 1
            if waiting[c]:
                waiting[c] = False
                serve(p, c, t)
                return
        free[p] = None

    i_next = 0
    n_calls = len(arrivals)
    inf = math.inf
    while True:
        t_arr = arrivals[i_next] if i_next < n_calls else inf
        if heap and heap[0][0] <= t_arr:
            t, kind, token, payload = heapq.heappop(heap)
        elif t_arr < inf:
            c = i_next
            i_next += 1
            if free:
                p = next(iter(free))
                del free[p]
                serve(p, c, t_arr)
            else:
                waiting[c] = True
                queue.append(c)
                if patience[c] < inf:
                    heapq.heappush(heap, (t_arr + patience[c], _ABANDON, seq, c))
                    seq += 1
            continue
        else:
            break
        if kind == _SERVICE_END:
            p, hard = divmod(payload, 2)
            busy[p] = False
            if hard:
                difficult_by[p] += 1
            if hard and decompress:
                streak[p] += 1
                length = long_ if streak[p] >= long_after else short
                if streak[p] >= long_after:
                    streak[p] = 0
                if length > 0:
                    end_run(p, t)
                    decomp_token[p] = seq
                    heapq.heappush(heap, (t + length, _DECOMP_END, seq, p))
                    seq += 1
                    if keep_events:
                        events.append((t, ids[p], f"decompresses {length:g} min"))
                    continue
            elif not hard:
                streak[p] = 0
            if not on_line[p]:
                end_run(p, t)  # an overrun past the end of the line segment
            ready(p, t)
        elif kind == _ABANDON:
            if waiting[payload]:
                waiting[payload] = False
                abandoned_iv.append(payload)
        elif kind == _LINE_ON:
            on_line[payload] = True
            ready(payload, t)
        elif kind == _LINE_OFF:
            on_line[payload] = False
            free.pop(payload, None)
            if not busy[payload]:
                end_run(payload, t)
        elif kind == _DECOMP_END:
            if decomp_token[payload] == token:
                decomp_token[payload] = 0
                full += 1
                if keep_events:
                    events.append((t, ids[payload], "back on the queue"))
                ready(payload, t)
        else:  # _SHIFT_END
            if decomp_token[payload]:
                decomp_token[payload] = 0
                cut += 1
                if keep_events:
                    events.append((t, ids[payload], "decompression cut short: the shift ended"))
            streak[payload] = 0

    # Callers still waiting when the run ends were never answered.
    abandoned_iv.extend(c for c in queue[q_head:] if waiting[c])
    iv = np.floor(arrivals_a / width).astype(np.int64).clip(0, max(n_int - 1, 0))
    ans_idx = np.asarray(answered_iv, dtype=np.int64)
    waits = np.asarray(wait_list, dtype=float)
    ans_iv = iv[ans_idx] if ans_idx.size else ans_idx
    return Replication(
        offered=np.bincount(iv, minlength=n_int).astype(float),
        answered=np.bincount(ans_iv, minlength=n_int).astype(float),
        abandoned=np.bincount(iv[np.asarray(abandoned_iv, dtype=np.int64)], minlength=n_int).astype(
            float
        ),
        in_target=np.bincount(ans_iv[waits <= target + 1e-12], minlength=n_int).astype(float),
        wait_minutes=np.bincount(ans_iv, weights=waits, minlength=n_int),
        busy_minutes=_time_per_interval(services, width, n_int),
        decompression_full=full,
        decompression_cut_short=cut,
        difficult_by_person={ids[p]: difficult_by[p] for p in range(n_people)},
        longest_line_run_minutes=longest,
        events=events,
    )


# ------------------------------------------------------------------ many replications


class Estimate(Frozen):
    """Mean over the replications and its confidence interval (Student t)."""

    mean: float
    low: float
    high: float
    replications: int = Field(ge=0, description="replications in which the figure exists")

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


INTERVAL_METRICS = (
    "offered",
    "answered",
    "abandoned",
    "answered_in_target",
    "mean_wait_seconds",
    "occupancy",
)
TOTAL_METRICS = (
    "offered",
    "answered",
    "abandoned",
    "answered_in_target",
    "answered_share",
    "service_level",
    "mean_wait_seconds",
    "occupancy",
    "decompression_full",
    "decompression_cut_short",
    "difficult_calls_per_counsellor",
    "difficult_calls_max_per_counsellor",
    "longest_line_run_minutes",
)


@dataclass(frozen=True)
class IntervalFigures:
    """Per interval and metric: mean, low and high, arrays of shape (intervals,)."""

    starts: tuple[datetime, ...]
    mean: dict[str, np.ndarray]
    low: dict[str, np.ndarray]
    high: dict[str, np.ndarray]

    def rows(self) -> list[dict[str, object]]:
        """One dict an interval: interval_start, then <metric>, <metric>_low, <metric>_high."""
        out: list[dict[str, object]] = []
        for k, start in enumerate(self.starts):
            row: dict[str, object] = {"interval_start": start.isoformat()}
            for m in INTERVAL_METRICS:
                row[m] = _plain(self.mean[m][k])
                row[f"{m}_low"] = _plain(self.low[m][k])
                row[f"{m}_high"] = _plain(self.high[m][k])
            out.append(row)
        return out


def _plain(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


@dataclass(frozen=True)
class SimulationResult:
    replications: int
    seed: int
    confidence: float
    model: CallModel
    intervals: IntervalFigures
    totals: dict[str, Estimate]


def _ci(samples: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise mean and t interval over the rows, ignoring NaN (a figure that does not
    exist in a replication, such as the mean wait when nobody was answered)."""
    samples = np.atleast_2d(samples)
    present = ~np.isnan(samples)
    n = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(
            n > 0, np.where(present, samples, 0.0).sum(axis=0) / np.maximum(n, 1), np.nan
        )
        dev = np.where(present, samples - mean, 0.0)
        var = (dev**2).sum(axis=0) / np.maximum(n - 1, 1)
        t = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1))
        half = np.where(n > 1, t * np.sqrt(var / np.maximum(n, 1)), 0.0)
    half = np.where(n > 0, half, np.nan)
    return mean, mean - half, mean + half


def _run_chunk(args: tuple[SimulationPlan, CallModel, int, int, int]) -> list[Replication]:
    plan, model, seed, first, count = args
    return [replicate(plan, model, seed=seed, index=first + i) for i in range(count)]


def run_replications(
    plan: SimulationPlan,
    model: CallModel,
    *,
    replications: int,
    seed: int = 0,
    workers: int = 1,
) -> list[Replication]:
    """The raw runs, in index order, on `workers` processes (the same numbers either way)."""
    if replications < 1:
        raise ValueError("replications must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers == 1 or replications < 2 * workers:
        return _run_chunk((plan, model, seed, 0, replications))
    size = math.ceil(replications / workers)
    chunks = [
        (plan, model, seed, first, min(size, replications - first))
        for first in range(0, replications, size)
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [r for part in pool.map(_run_chunk, chunks) for r in part]


def _ratio(a: np.ndarray, b: np.ndarray, scale: float = 1.0) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, scale * a / np.where(b > 0, b, 1.0), np.nan)


def summarise(
    plan: SimulationPlan,
    model: CallModel,
    runs: Sequence[Replication],
    *,
    seed: int = 0,
    confidence: float = 0.95,
) -> SimulationResult:
    """Means and confidence intervals over the runs, per interval and in total."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if not runs:
        raise ValueError("no replications to summarise")
    line = plan.line_minutes_per_interval()
    names = ("offered", "answered", "abandoned", "in_target", "wait_minutes", "busy_minutes")
    stack = {name: np.vstack([getattr(r, name) for r in runs]) for name in names}
    per_interval = {
        "offered": stack["offered"],
        "answered": stack["answered"],
        "abandoned": stack["abandoned"],
        "answered_in_target": stack["in_target"],
        "mean_wait_seconds": _ratio(stack["wait_minutes"], stack["answered"], 60.0),
        "occupancy": _ratio(stack["busy_minutes"], np.broadcast_to(line, stack["offered"].shape)),
    }
    mean, low, high = {}, {}, {}
    for name, values in per_interval.items():
        mean[name], low[name], high[name] = _ci(values, confidence)

    sums = {name: values.sum(axis=1) for name, values in stack.items()}
    working = [p.staff_id for p in plan.people if any(s.line for s in p.shifts)]
    difficult = np.array(
        [[r.difficult_by_person.get(i, 0) for i in working] or [0] for r in runs], dtype=float
    )
    total = {
        "offered": sums["offered"],
        "answered": sums["answered"],
        "abandoned": sums["abandoned"],
        "answered_in_target": sums["in_target"],
        "answered_share": _ratio(sums["answered"], sums["offered"]),
        "service_level": _ratio(sums["in_target"], sums["offered"]),
        "mean_wait_seconds": _ratio(sums["wait_minutes"], sums["answered"], 60.0),
        "occupancy": _ratio(sums["busy_minutes"], np.full(len(runs), line.sum())),
        "decompression_full": np.array([r.decompression_full for r in runs], dtype=float),
        "decompression_cut_short": np.array([r.decompression_cut_short for r in runs], dtype=float),
        "difficult_calls_per_counsellor": difficult.mean(axis=1),
        "difficult_calls_max_per_counsellor": difficult.max(axis=1),
        "longest_line_run_minutes": np.array(
            [r.longest_line_run_minutes for r in runs], dtype=float
        ),
    }
    totals = {}
    for name in TOTAL_METRICS:
        values = total[name][:, None]
        m, lo, hi = _ci(values, confidence)
        totals[name] = Estimate(
            mean=float(m[0]),
            low=float(lo[0]),
            high=float(hi[0]),
            replications=int(np.sum(~np.isnan(values))),
        )
    starts = tuple(plan.interval_start(k) for k in range(len(plan.calls)))
    return SimulationResult(
        replications=len(runs),
        seed=seed,
        confidence=confidence,
        model=model,
        intervals=IntervalFigures(starts=starts, mean=mean, low=low, high=high),
        totals=totals,
    )


def simulate(
    plan: SimulationPlan,
    model: CallModel,
    *,
    replications: int = 100,
    seed: int = 0,
    workers: int = 1,
    confidence: float = 0.95,
) -> SimulationResult:
    """Run the replications (replication i draws from (seed, i)) and summarise them."""
    runs = run_replications(plan, model, replications=replications, seed=seed, workers=workers)
    return summarise(plan, model, runs, seed=seed, confidence=confidence)


def totals_rows(result: SimulationResult) -> list[dict[str, object]]:
    """The totals as rows of metric, mean, low, high."""
    return [
        {"metric": name, "mean": _plain(e.mean), "low": _plain(e.low), "high": _plain(e.high)}
        for name, e in result.totals.items()
    ]
