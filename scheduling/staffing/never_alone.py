"""Never alone while a colleague decompresses: extra counsellors on the line, where volume
needs them, so that at least `min_on_line` are free to answer or talking for a stated share of
open time (`floors.free_probability`, 99.8% by default).

A counsellor decompressing after a difficult call is on the line in the roster but cannot take
a call. Difficult calls arrive at rate lambda_d = calls per minute x difficult share, and each
starts a decompression of mean length

    D_mean = D + P(second in a row) x (D_long - D)

so the number decompressing at a random moment is Poisson with mean m = lambda_d x D_mean
(an M/G/infinity count, by Little's law). A call is the second in a row when the same
counsellor already had a difficult call since their last full break: with n counsellors
sharing the calls, and on average RUN_MINUTES since that break,

    P(second in a row) = 1 - exp(-lambda_d / n x RUN_MINUTES).

With n on the line, the share of an interval's time with fewer than `min_on_line` free is
P(K > n - min_on_line). Starting from the staffing the queue and the plain floor give, one
counsellor at a time is added where it removes the most of that time, until the open time
below is at most 1 - free_probability of all open time. Quiet intervals keep the plain floor;
the busier ones, where decompression is likelier, get the cover.
"""

from __future__ import annotations

import heapq

import numpy as np

from scheduling.domain import StaffingSettings

RUN_MINUTES = 120.0  # mean time since the last full break (half of a 4-hour spell)
MAX_EXTRA = 6  # per interval, beyond the queue and the plain floor


def decompressing_mean(
    calls: np.ndarray, settings: StaffingSettings, *, interval_minutes: int, on_line: np.ndarray
) -> np.ndarray:
    """Expected counsellors decompressing at a random moment of each interval."""
    h = settings.handle
    rate = np.asarray(calls, dtype=float) / interval_minutes * h.difficult_share
    n = np.maximum(np.asarray(on_line, dtype=float), 1.0)
    p_long = 1.0 - np.exp(-rate / n * RUN_MINUTES)
    extra = max(0.0, h.long_decompression_minutes - h.decompression_minutes)
    return rate * (h.decompression_minutes + p_long * extra)


def below_free(on_line: np.ndarray, mean: np.ndarray, free: int) -> np.ndarray:
    """P(fewer than `free` of `on_line` are free): P(Poisson(mean) > on_line - free)."""
    n = np.asarray(on_line, dtype=np.int64)
    m = np.asarray(mean, dtype=float)
    k_max = n - free
    pmf = np.exp(-m)
    cdf = np.zeros(np.shape(m))
    top = int(k_max.max(initial=-1))
    for k in range(top + 1):
        cdf = np.where(k <= k_max, cdf + pmf, cdf)
        pmf = pmf * m / (k + 1)
    out = np.where(k_max >= 0, np.clip(1.0 - cdf, 0.0, 1.0), 1.0)
    return np.where(m > 0, out, np.where(k_max >= 0, 0.0, 1.0))


def never_alone_floor(
    calls: np.ndarray,
    is_open: np.ndarray,
    staffed: np.ndarray,
    settings: StaffingSettings,
    *,
    interval_minutes: int,
) -> np.ndarray:
    """Counsellors on the line per interval: `staffed` (queue and plain floor) plus the
    decompression cover. Unchanged when `floors.free_probability` is None."""
    floors = settings.floors
    free = floors.min_on_line
    out = np.asarray(staffed, dtype=np.int64).copy()
    open_a = np.asarray(is_open, dtype=bool)
    if floors.free_probability is None or free == 0 or not open_a.any():
        return out
    calls_a = np.asarray(calls, dtype=float)

    def below(n: np.ndarray, idx: np.ndarray) -> np.ndarray:
        m = decompressing_mean(calls_a[idx], settings, interval_minutes=interval_minutes, on_line=n)
        return below_free(n, m, free)

    idx = np.flatnonzero(open_a)
    current = below(out[idx], idx)
    allowed = (1.0 - floors.free_probability) * len(idx)
    total = float(current.sum())
    if total <= allowed:
        return out
    after = below(out[idx] + 1, idx)
    heap = [(-(c - a), int(i)) for i, c, a in zip(idx, current, after, strict=True)]
    heapq.heapify(heap)
    now = dict(zip(idx.tolist(), current.tolist(), strict=True))
    added = dict.fromkeys(idx.tolist(), 0)
    while heap and total > allowed + 1e-12:
        gain, i = heapq.heappop(heap)
        if -gain <= 0:
            break
        out[i] += 1
        added[i] += 1
        total += gain
        now[i] = now[i] + gain
        if added[i] < MAX_EXTRA:
            nxt = float(below(np.array([out[i] + 1]), np.array([i]))[0])
            heapq.heappush(heap, (-(now[i] - nxt), i))
    return out


def open_time_below(
    calls: np.ndarray,
    is_open: np.ndarray,
    on_line: np.ndarray,
    settings: StaffingSettings,
    *,
    interval_minutes: int,
) -> float:
    """Expected share of open time with fewer than `min_on_line` free to answer or talking."""
    open_a = np.asarray(is_open, dtype=bool)
    if not open_a.any():
        return 0.0
    idx = np.flatnonzero(open_a)
    n = np.asarray(on_line, dtype=np.int64)[idx]
    m = decompressing_mean(
        np.asarray(calls, dtype=float)[idx], settings, interval_minutes=interval_minutes, on_line=n
    )
    return float(below_free(n, m, settings.floors.min_on_line).mean())
