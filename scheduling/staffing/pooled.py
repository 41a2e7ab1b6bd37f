"""A pooled queue: centres sharing one number, each call going to whichever open centre has a
free counsellor.

Per interval, the pool is staffed on the pooled arrivals (Erlang on the sum of the calls of
the centres open then, with the cover for colleagues decompressing counted on the pool, since
any free counsellor of the pool can answer); each open centre still keeps its own plain floor
(nobody alone in a room). The pooled requirement is the larger of the two, never above the
centres staffed apart (the pool can always staff as they would), and it is split
across the open centres: each gets its floor, the rest in proportion to its own calls
(largest remainders, so the shares add up to the pooled requirement exactly).

Because a pool can always behave like separate queues, the pooled requirement is never above
the sum of the separate ones; tests/scheduling/staffing/test_pooled.py checks that property.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from pydantic import Field

from scheduling.domain import Frozen, StaffingSettings
from scheduling.staffing.queueing import queue_metrics
from scheduling.staffing.requirement_types import IntervalRequirement
from scheduling.staffing.requirements import CLOSED, interval_requirements, plain_floor


class PooledArrays(Frozen):
    """Per interval (columns) and centre (rows): the separate and the pooled requirement."""

    separate: tuple[tuple[int, ...], ...]  # each centre staffed on its own calls
    floors: tuple[tuple[int, ...], ...]  # each centre's own floor while open
    pooled: tuple[int, ...]  # the pool's requirement
    separate_queue: tuple[tuple[int, ...], ...]  # the queue alone (no floor), each centre
    pooled_queue: tuple[int, ...]  # the queue alone on the pooled calls
    shares: tuple[tuple[int, ...], ...]  # the pooled requirement split across the centres


def _split(total: int, floors: np.ndarray, weights: np.ndarray, is_open: np.ndarray) -> list[int]:
    """`total` across centres: each open centre its floor, the rest by weight (largest
    remainders; equal weights when every weight is zero)."""
    out = np.where(is_open, floors, 0).astype(np.int64)
    rest = total - int(out.sum())
    if rest <= 0 or not is_open.any():
        return out.tolist()
    w = np.where(is_open, np.maximum(weights, 0.0), 0.0)
    if w.sum() <= 0:
        w = is_open.astype(float)
    exact = rest * w / w.sum()
    whole = np.floor(exact).astype(np.int64)
    left = rest - int(whole.sum())
    # ties go to the centre listed first
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return (out + whole).tolist()


def pooled_interval_requirements(
    calls: Sequence[Sequence[float]],
    is_open: Sequence[Sequence[bool]],
    settings: Sequence[StaffingSettings],
    *,
    pool_settings: StaffingSettings,
    interval_minutes: int,
) -> PooledArrays:
    """`calls[c][t]` and `is_open[c][t]` for centre c and interval t (the same intervals for
    every centre), each centre's own settings, and the targets the pool is staffed to."""
    if not calls:
        raise ValueError("a pool needs at least one centre")
    if not len(calls) == len(is_open) == len(settings):
        raise ValueError("calls, is_open and settings need one entry per centre")
    calls_a = np.asarray(calls, dtype=float)
    open_a = np.asarray(is_open, dtype=bool)
    if calls_a.shape != open_a.shape:
        raise ValueError("every centre needs the same intervals")
    own = [
        interval_requirements(c, o, s, interval_minutes=interval_minutes)
        for c, o, s in zip(calls_a, open_a, settings, strict=True)
    ]
    separate = np.array([r.required for r in own], dtype=np.int64)
    floors = np.array(
        [np.where(o, plain_floor(s.floors), 0) for o, s in zip(open_a, settings, strict=True)],
        dtype=np.int64,
    )
    # A closed centre takes no calls: what is forecast for it while closed is not pooled.
    pooled_calls = np.where(open_a, calls_a, 0.0).sum(axis=0)
    any_open = np.asarray(open_a.any(axis=0), dtype=bool)
    pool = interval_requirements(
        pooled_calls, any_open, pool_settings, interval_minutes=interval_minutes
    )
    queue = pool.queue_required
    # The cover spreads its share of open time over the week, so on the pooled calls it can
    # land an interval higher than the centres apart; the pool can always staff as they would.
    need = np.minimum(pool.required, separate.sum(axis=0))
    pooled = np.where(any_open, np.maximum(need, floors.sum(axis=0)), 0)
    shares = np.array(
        [
            _split(int(pooled[t]), floors[:, t], calls_a[:, t], open_a[:, t])
            for t in range(calls_a.shape[1])
        ],
        dtype=np.int64,
    ).T.reshape(calls_a.shape)
    return PooledArrays(
        separate=_rows(separate),
        floors=_rows(floors),
        pooled=tuple(int(x) for x in pooled),
        shares=_rows(shares),
        separate_queue=_rows(np.array([r.queue_required for r in own], dtype=np.int64)),
        pooled_queue=tuple(int(x) for x in np.where(any_open, queue, 0)),
    )


def _rows(table: np.ndarray) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(x) for x in row) for row in table)


class PooledInterval(Frozen):
    start: datetime  # UTC
    end: datetime
    open_centres: tuple[str, ...]
    calls: float = Field(ge=0)  # pooled arrivals
    separate: tuple[int, ...]  # per centre, in the pool's order of centres
    pooled: int = Field(ge=0)
    shares: tuple[int, ...]  # per centre


class PooledWeek(Frozen):
    """A week of a pool: the pooled requirement against the sum of the separate ones."""

    centres: tuple[str, ...]
    interval_minutes: int
    intervals: tuple[PooledInterval, ...]
    separate_hours: tuple[float, ...]  # per centre, staffed alone
    share_hours: tuple[float, ...]  # per centre, its share of the pool
    pooled_hours: float
    # The queue alone, before each centre's floor: where pooling saves when floors do not bind.
    separate_queue_hours: tuple[float, ...]
    pooled_queue_hours: float

    @property
    def separate_total_hours(self) -> float:
        return float(sum(self.separate_hours))

    @property
    def saving_hours(self) -> float:
        """Counsellor-hours on the line the pool saves against staffing each centre alone."""
        return self.separate_total_hours - self.pooled_hours

    @property
    def saving_share(self) -> float:
        """The saving as a share of staffing each centre alone (0 when nothing is needed)."""
        total = self.separate_total_hours
        return self.saving_hours / total if total else 0.0

    @property
    def separate_queue_total_hours(self) -> float:
        return float(sum(self.separate_queue_hours))


class PoolMember(Frozen):
    """One centre of a pool: its name, its week's requirement rows and its own settings."""

    name: str
    intervals: tuple[IntervalRequirement, ...]
    settings: StaffingSettings


def pool_weeks(
    members: Sequence[PoolMember], *, pool_settings: StaffingSettings | None = None
) -> PooledWeek:
    """Pool the week requirements of centres sharing a number (the first centre's settings set
    the pool's targets unless `pool_settings` is given). Intervals are matched by their
    instant, so centres in different timezones pool too."""
    if not members:
        raise ValueError("a pool needs at least one centre")
    lengths = {i.end - i.start for m in members for i in m.intervals}
    if len(lengths) > 1:
        raise ValueError("pooled centres must use the same interval length")
    step = lengths.pop() if lengths else timedelta(minutes=30)
    interval_minutes = int(step.total_seconds() // 60)
    starts = sorted({i.start.timestamp(): i.start for m in members for i in m.intervals}.items())
    index = {ts: k for k, (ts, _) in enumerate(starts)}
    calls = np.zeros((len(members), len(starts)))
    is_open = np.zeros((len(members), len(starts)), dtype=bool)
    for c, member in enumerate(members):
        for interval in member.intervals:
            k = index[interval.start.timestamp()]
            calls[c, k] = interval.forecast_calls
            is_open[c, k] = interval.binding != CLOSED
    arrays = pooled_interval_requirements(
        calls.tolist(),
        is_open.tolist(),
        [m.settings for m in members],
        pool_settings=pool_settings or members[0].settings,
        interval_minutes=interval_minutes,
    )
    names = tuple(m.name for m in members)
    rows = [
        PooledInterval(
            start=start,
            end=start + step,
            open_centres=tuple(n for c, n in enumerate(names) if is_open[c, k]),
            calls=float(np.where(is_open[:, k], calls[:, k], 0.0).sum()),
            separate=tuple(arrays.separate[c][k] for c in range(len(names))),
            pooled=arrays.pooled[k],
            shares=tuple(arrays.shares[c][k] for c in range(len(names))),
        )
        for k, (_, start) in enumerate(starts)
    ]
    hours = interval_minutes / 60.0
    return PooledWeek(
        centres=names,
        interval_minutes=interval_minutes,
        intervals=tuple(rows),
        separate_hours=tuple(sum(s) * hours for s in arrays.separate),
        share_hours=tuple(sum(s) * hours for s in arrays.shares),
        pooled_hours=sum(arrays.pooled) * hours,
        separate_queue_hours=tuple(sum(q) * hours for q in arrays.separate_queue),
        pooled_queue_hours=sum(arrays.pooled_queue) * hours,
    )


def service_level_at(
    calls: Sequence[float],
    on_line: Sequence[int],
    settings: StaffingSettings,
    *,
    interval_minutes: int,
) -> float | None:
    """The share of the week's calls answered within the target time with `on_line`
    counsellors per interval (calls-weighted over intervals with calls; None without calls).
    An interval with calls and nobody on the line answers none."""
    calls_a = np.asarray(calls, dtype=float)
    agents = np.asarray(on_line, dtype=np.int64)
    busy = calls_a > 0
    if not busy.any():
        return None
    handle = settings.handle.effective_handle_seconds
    traffic = calls_a * handle / (interval_minutes * 60.0)
    share = np.zeros(calls_a.shape)
    staffed = busy & (agents > 0)
    if staffed.any():
        metrics = queue_metrics(
            agents[staffed],
            traffic[staffed],
            handle_seconds=handle,
            target_seconds=settings.targets.target_answer_seconds,
            model=settings.targets.model,
            patience_seconds=settings.targets.patience_seconds,
            with_asa=False,
        )
        share[staffed] = np.nan_to_num(np.asarray(metrics.service_level, dtype=float))
    return float((share * calls_a).sum() / calls_a.sum())
