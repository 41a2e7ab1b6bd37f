"""A first roster without a solver: per person a pattern of working days that keeps the run,
weekend and days-off rules by construction, then a shift type for each working day.

Each person in turn, for the cover the people before them left:
1. Weekends: at most MaxWeekends of them may be worked; the ones with the most cover still
   missing are allowed, the others are off (both days). If no pattern fits those, each
   weekend worked is priced instead, the price raised until few enough are worked.
2. Working days: a dynamic programme over the days whose state is the run the day ends
   (working for k days, off for j days, or a run that started on day 0 and so is exempt from
   the minimum) and the number of days worked so far. It keeps the days off, the shortest and
   longest run of shifts and the shortest run of days off, and gives the number of working
   days that, at the length of the person's base shift, fits their total minutes. Among those
   patterns it takes the one that covers the most of what is missing.
3. Shift types, day by day: the one that covers the most, among those whose per-type maximum
   is not reached, that may follow yesterday's, and that keep two promises: the rest of the
   run can still be worked on one shift type of the base length that may follow today's and
   itself (within its maximum), and the total minutes stay within the window if every
   remaining working day is of the base length. A base shift is one the person may work on
   every working day and that may follow itself, so a promise kept today can be kept
   tomorrow: the walk never gets stuck. When the shifts that cover the most are longer than
   the base shift, fewer working days are tried first, only the maximum minutes promised, and
   the roster lengthened shift by shift to the minimum.
4. Further passes take each person off and roster them again for what everyone else leaves,
   keeping the new plan unless it costs more.

A person this cannot handle (no base shift, or no pattern with the right number of days) is
returned by name, for a solver to roster with everyone else fixed.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scheduling.benchmark.instance import Employee, Instance
from scheduling.benchmark.model import Assignment

NEG = -(2**60)


@dataclass
class GreedyRoster:
    roster: Assignment
    objective: int  # the roster's cost over the people built here (the others off)
    left_out: list[str]  # people this construction could not roster


class _Cover:
    """What the people rostered so far leave uncovered, and the gain of one more person.

    A missing person counts more where few people can give it (a shift type few may work, a
    weekend when MaxWeekends is below the number of weekends): its weight grows with the cover
    missing on that day and shift over the people who could give it, relative to the average,
    up to 1 + SCARCE times. Without it the first people work the weekdays, all of which miss
    someone at first, and the weekends stay uncovered once the later people have used up
    their weekends."""

    SCALE = 100  # gains are whole numbers: weights times SCALE
    SCARCE = 2.0

    def __init__(self, inst: Instance) -> None:
        self.column = {t: i for i, t in enumerate(inst.shifts)}
        size = (inst.days, len(self.column))
        self.need = np.zeros(size, dtype=np.int64)
        self.under = np.zeros(size, dtype=np.int64)
        self.over = np.zeros(size, dtype=np.int64)
        listed = np.zeros(size, dtype=bool)
        for c in inst.cover:
            at = (c.day, self.column[c.shift])
            self.need[at], self.under[at], self.over[at] = (
                c.requirement,
                c.under_weight,
                c.over_weight,
            )
            listed[at] = True
        # people who could work each day and shift type (a weekend day as the share of
        # weekends they may work)
        weeks = max(1, len(inst.weekends()))
        weekend_days = [d for wk in inst.weekends() for d in wk]
        open_days = np.ones((len(inst.staff), inst.days))
        allowed = np.zeros((len(inst.staff), len(self.column)))
        for i, (e, emp) in enumerate(inst.staff.items()):
            open_days[i, weekend_days] = min(1.0, emp.max_weekends / weeks)
            open_days[i, list(inst.days_off[e])] = 0.0
            for t, cap in emp.max_shifts.items():
                allowed[i, self.column[t]] = cap > 0
        self.supply = np.where(listed, open_days.T @ allowed, 0.0)
        known = self.supply > 0
        ratios = np.maximum(self.need, 0)[known] / self.supply[known]
        self.mean = float(ratios.mean()) if ratios.size else 0.0
        self.listed = listed

    def gains(self, kinds: list[str]) -> np.ndarray:
        """Days x kinds: the gain of one more person on each day and shift type."""
        cols = [self.column[t] for t in kinds]
        need, supply = self.need[:, cols], self.supply[:, cols]
        weight = np.ones(need.shape)
        if self.mean > 0:
            ratio = np.divide(need, supply * self.mean, out=np.zeros(need.shape), where=supply > 0)
            weight += np.clip(ratio, 0.0, self.SCARCE)
        under = np.rint(self.SCALE * self.under[:, cols] * weight).astype(np.int64)
        gain = np.where(need > 0, under, -self.SCALE * self.over[:, cols])
        return np.where(self.listed[:, cols], gain, 0)

    def price(self, plan: dict[int, str], wants: dict[tuple[int, str], int]) -> int:
        """What adding one person's plan changes in the cost (cover and their requests)."""
        change = 0
        for d, t in plan.items():
            at = (d, self.column[t])
            if self.listed[at]:
                change += -int(self.under[at]) if self.need[at] > 0 else int(self.over[at])
            change -= wants.get((d, t), 0)
        return change

    def take(self, day: int, shift: str, people: int = 1) -> None:
        self.need[day, self.column[shift]] -= people


def greedy_roster(
    inst: Instance,
    order: Sequence[str] | None = None,
    *,
    passes: int = 1,
    deadline: float | None = None,
    seed: int = 0,
) -> GreedyRoster:
    """Everyone in `order` (default: as listed) rostered in turn. Each further pass (up to
    `passes`, while the monotonic `deadline` is not reached and the last pass lowered the
    cost) takes each person off the roster, in a shuffled order, and rosters them again for
    what everyone else leaves, keeping the new plan unless it costs more than the old one."""
    cover = _Cover(inst)
    wants: dict[str, dict[tuple[int, str], int]] = {e: {} for e in inst.staff}
    for r in inst.on_requests:
        wants[r.employee][r.day, r.shift] = wants[r.employee].get((r.day, r.shift), 0) + r.weight
    for r in inst.off_requests:
        wants[r.employee][r.day, r.shift] = wants[r.employee].get((r.day, r.shift), 0) - r.weight
    people = list(order or inst.staff)
    rng = random.Random(seed)
    plans: dict[str, dict[int, str]] = {}
    # nobody rostered: every on-request unmet, every requirement missing; from there the cost
    # moves by each plan's exact price
    cost = sum(r.weight for r in inst.on_requests)
    cost += sum(c.requirement * c.under_weight for c in inst.cover)
    for done in range(max(1, passes)):
        if done and deadline is not None and time.monotonic() >= deadline:
            break
        before = cost
        for e in rng.sample(people, len(people)) if done else people:
            old = plans.pop(e, {})
            for d, t in old.items():
                cover.take(d, t, -1)
            new = _person(inst, inst.staff[e], cover, wants[e])
            if new is not None and old:
                now, then = cover.price(new, wants[e]), cover.price(old, wants[e])
                new, cost = (new, cost + now - then) if now <= then else (old, cost)
            elif new is not None:
                cost += cover.price(new, wants[e])
            if new:
                plans[e] = new
                for d, t in new.items():
                    cover.take(d, t)
        if done and cost >= before:
            break
    roster = {(e, d): t for e, mine in plans.items() for d, t in mine.items()}
    return GreedyRoster(roster, cost, [e for e in people if e not in plans])


def _person(
    inst: Instance, emp: Employee, cover: _Cover, wants: dict[tuple[int, str], int]
) -> dict[int, str] | None:
    """Day -> shift type for one person, or None when this construction cannot roster them."""
    kinds = [t for t in inst.shifts if emp.max_shifts.get(t, 0) > 0]
    off = inst.days_off[emp.id]
    open_days = [d for d in range(inst.days) if d not in off]
    if not kinds:
        return {} if emp.min_minutes <= 0 else None
    matrix = cover.gains(kinds)
    column = {t: i for i, t in enumerate(kinds)}
    for (d, t), w in wants.items():
        if t in column:
            matrix[d, column[t]] += cover.SCALE * w
    rows = matrix.tolist()
    gains = {d: dict(zip(kinds, rows[d], strict=True)) for d in open_days}
    value = {d: max(g.values()) for d, g in gains.items()}
    for length, bases in _base_lengths(inst, emp, kinds, len(open_days)):
        lo = max(0, math.ceil(emp.min_minutes / length))
        hi = min(len(open_days), emp.max_minutes // length)
        if lo > hi:
            continue
        # fewer days with longer shifts (the minutes reached by lengthening shifts) when the
        # shifts that cover the most are longer: the one that covers the most; else exactly
        # the base shift's count
        plans = []
        for few in _fewer_days(inst, emp, kinds, value, gains, lo, hi):
            days = _working_days(inst, emp, value, off, *few)
            if days is not None:
                plans.append(
                    _shift_types(inst, emp, kinds, bases, length, days, gains, strict=False)
                )
        found = [p for p in plans if p is not None]
        if found:
            return max(found, key=lambda p: sum(gains[d][t] for d, t in p.items()))
        days = _working_days(inst, emp, value, off, lo, hi)
        if days is not None:
            return _shift_types(inst, emp, kinds, bases, length, days, gains)
    return None


def _fewer_days(
    inst: Instance,
    emp: Employee,
    kinds: list[str],
    value: dict[int, int],
    gains: dict[int, dict[str, int]],
    lo: int,
    hi: int,
) -> list[tuple[int, int]]:
    """Ranges of working days below lo..hi when longer shifts than the base one may be worked:
    one from the average length of the shift that covers the most on the hi days of most
    value, and a third and two thirds of the way to the fewest days the minutes allow."""
    longest = max(inst.shifts[t].minutes for t in kinds)
    fewest = math.ceil(emp.min_minutes / longest)
    top = sorted(value, key=lambda d: -value[d])[:hi]
    if fewest >= lo or not top:
        return []
    lengths = [
        inst.shifts[max(kinds, key=lambda t: (gains[d][t], -inst.shifts[t].minutes))].minutes
        for d in top
    ]
    mean = sum(lengths) / len(lengths)
    low = max(fewest, math.floor(emp.min_minutes / mean))
    out = [(low, min(hi, math.ceil(emp.max_minutes / mean)))] if low < lo else []
    for part in (1, 2):
        n = lo - part * (lo - fewest) // 3
        if n < lo and (n, n + 1) not in out:
            out.append((n, n + 1))
    return [(a, b) for a, b in out if a <= b]


def _base_lengths(
    inst: Instance, emp: Employee, kinds: list[str], open_days: int
) -> list[tuple[int, list[str]]]:
    """(length, base shifts of that length), the length with the most base shifts first."""
    by_length: dict[int, list[str]] = {}
    for t in kinds:
        st = inst.shifts[t]
        if emp.max_shifts[t] >= open_days and t not in st.not_followed_by:
            by_length.setdefault(st.minutes, []).append(t)
    return sorted(by_length.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _working_days(
    inst: Instance, emp: Employee, value: dict[int, int], off: frozenset[int], lo: int, hi: int
) -> list[int] | None:
    """The best pattern of lo..hi working days that works at most MaxWeekends weekends.

    First the weekends with the most cover missing are allowed and the others made off (one
    programme); if no pattern fits those, each weekend worked gets a price, raised by bisection
    from 0 to one that outweighs every day's value (then the fewest weekends are worked)."""
    weekends = inst.weekends()
    cap = emp.max_weekends
    if cap >= len(weekends):
        return _pattern(inst, emp, value, off, lo, hi)

    def worth(w: int) -> int:
        return sum(max(0, value.get(d, 0)) for d in weekends[w])

    kept = set(sorted(range(len(weekends)), key=lambda w: -worth(w))[:cap])
    forced = off | {d for w, days in enumerate(weekends) if w not in kept for d in days}
    found = _pattern(inst, emp, value, forced, lo, hi)
    if found is not None:
        return found

    def fits(days: list[int] | None) -> bool:
        worked = set(days or ())
        return days is not None and sum(1 for wk in weekends if worked & set(wk)) <= cap

    low, high = 0, sum(abs(v) for v in value.values()) + 1
    found = _pattern(inst, emp, value, off, lo, hi, weekend_price=high)
    if not fits(found):
        return None
    for _ in range(6):
        mid = (low + high) // 2
        days = _pattern(inst, emp, value, off, lo, hi, weekend_price=mid)
        if fits(days):
            high, found = mid, days
        else:
            low = mid
    return found


def _pattern(
    inst: Instance,
    emp: Employee,
    value: dict[int, int],
    off: set[int] | frozenset[int],
    lo: int,
    hi: int,
    *,
    weekend_price: int = 0,
) -> list[int] | None:
    """The working days (sorted) of the best pattern with lo..hi of them, None if there is none.
    Each weekend worked costs `weekend_price`.

    States: 0..cmax-1 a run of k+1 shifts; cmax..2*cmax-1 the same for a run that started on
    day 0 (exempt from the minimum); then off runs of 1..omin days (the last: omin or more)."""
    # the value of working a day when a run starts on it / goes on through it: a weekend is
    # paid on its Saturday, or on its Sunday when the Saturday was off
    start = dict(value)
    goes_on = dict(value)
    for wk in inst.weekends():
        for i, d in enumerate(wk):
            start[d] = start.get(d, 0) - weekend_price
            if i == 0:
                goes_on[d] = goes_on.get(d, 0) - weekend_price
    cmax = max(1, emp.max_consecutive_shifts)
    cmin = min(cmax, max(1, emp.min_consecutive_shifts))
    omin = max(1, emp.min_consecutive_days_off)
    work, edge, rest = 0, cmax, 2 * cmax
    states = 2 * cmax + omin
    width = hi + 1
    table = np.full((inst.days, states, width), NEG, dtype=np.int64)
    if 0 not in off:
        table[0, edge, 1] = start.get(0, 0)
    table[0, rest + omin - 1, 0] = 0
    for d in range(1, inst.days):
        prev, cur = table[d - 1], table[d]
        # days off: a run of shifts that may end (long enough, or from day 0) or a run off
        ends = np.maximum(
            prev[work + cmin - 1 : work + cmax].max(axis=0), prev[edge:rest].max(axis=0)
        )
        cur[rest] = ends
        cur[rest + 1 : rest + omin] = prev[rest : rest + omin - 1]
        cur[rest + omin - 1] = np.maximum(cur[rest + omin - 1], prev[rest + omin - 1])
        if d not in off:
            v = goes_on.get(d, 0)
            # a run continues, or one starts after enough days off
            cur[work + 1 : work + cmax, 1:] = prev[work : work + cmax - 1, :-1] + v
            cur[edge + 1 : rest, 1:] = prev[edge : rest - 1, :-1] + v
            cur[work, 1:] = prev[rest + omin - 1, :-1] + start.get(d, 0)
        np.maximum(cur, NEG, out=cur)
    window = table[inst.days - 1][:, lo:]
    if window.size == 0 or window.max() <= NEG // 2:
        return None
    s, c = np.unravel_index(int(window.argmax()), window.shape)
    at = (int(s), int(c) + lo)
    return _trace(table, at, start, goes_on, cmax, cmin, omin)


def _trace(
    table: np.ndarray,
    at: tuple[int, int],
    start: dict[int, int],
    goes_on: dict[int, int],
    cmax: int,
    cmin: int,
    omin: int,
) -> list[int]:
    """Walk the table back from the final state: which days were worked."""
    work, edge, rest = 0, cmax, 2 * cmax
    s, c = at
    worked = []
    for d in range(table.shape[0] - 1, 0, -1):
        here = int(table[d, s, c])
        prev = table[d - 1]
        if s < rest:  # worked on day d
            worked.append(d)
            v = (start if s == work else goes_on).get(d, 0)
            c -= 1
            # a run of one starts after enough days off (a run from day 0 starts on day 0)
            options = [rest + omin - 1] if s == work else [s - 1]
            s = next(p for p in options if int(prev[p, c]) + v == here)
        else:
            if s == rest:
                options = [*range(work + cmin - 1, work + cmax), *range(edge, rest)]
                options += [s] if omin == 1 else []
            elif s < rest + omin - 1:
                options = [s - 1]
            else:
                options = [s - 1, s] if omin > 1 else [s]
            s = next(p for p in options if int(prev[p, c]) == here)
    if s < rest:
        worked.append(0)
    return sorted(worked)


def _shift_types(
    inst: Instance,
    emp: Employee,
    kinds: list[str],
    bases: list[str],
    base_length: int,
    days: list[int],
    gains: dict[int, dict[str, int]],
    *,
    strict: bool = True,
) -> dict[int, str] | None:
    """Strict: the walk of the module's docstring, which always ends within the minutes.
    Otherwise only the maximum is promised, and a roster short of the minimum is lengthened
    shift by shift (None if it cannot be)."""
    shifts = inst.shifts

    # the rest of a run can be worked on one shift type that may follow today's and itself,
    # while its maximum allows: a base shift always, of the base length (strict) or at most it
    def goes_on(u: str) -> bool:
        length = shifts[u].minutes
        repeats = u not in shifts[u].not_followed_by
        return repeats and (length == base_length if strict else length <= base_length)

    rest = sorted((u for u in kinds if goes_on(u)), key=lambda u: u not in bases)
    after = {t: [u for u in rest if u not in shifts[t].not_followed_by] for t in kinds}
    worked = set(days)
    run_left: dict[int, int] = {}  # working days after this one in its run
    for d in reversed(days):
        run_left[d] = run_left[d + 1] + 1 if d + 1 in worked else 0
    used = {t: 0 for t in kinds}
    minutes = 0
    out: dict[int, str] = {}
    for i, d in enumerate(days):
        left = len(days) - i - 1
        more = run_left[d]
        yesterday = out.get(d - 1)
        banned = shifts[yesterday].not_followed_by if yesterday else frozenset()
        best: str | None = None
        for t in sorted(kinds, key=lambda k: (-gains[d][k], k not in bases)):
            if t in banned or used[t] >= emp.max_shifts[t]:
                continue
            if more and not any(used[u] + (u == t) + more <= emp.max_shifts[u] for u in after[t]):
                continue
            total = minutes + shifts[t].minutes + left * base_length
            if (emp.min_minutes <= total or not strict) and total <= emp.max_minutes:
                best = t
                break
        if best is None:  # cannot happen while the promises hold
            raise AssertionError(f"no shift type for {emp.id} on day {d}")
        out[d] = best
        used[best] += 1
        minutes += shifts[best].minutes
    if minutes < emp.min_minutes and not _lengthen(inst, emp, kinds, out, used, minutes, gains):
        return None
    return out


def _lengthen(
    inst: Instance,
    emp: Employee,
    kinds: list[str],
    out: dict[int, str],
    used: dict[str, int],
    minutes: int,
    gains: dict[int, dict[str, int]],
) -> bool:
    """Swap shifts for longer ones (the cheapest swap first, keeping successions, per-type
    maxima and the maximum minutes) until the minimum minutes are reached; False if stuck."""
    shifts = inst.shifts
    while minutes < emp.min_minutes:
        swaps = sorted(
            (gains[d][t] - gains[d][u], d, u)
            for d, t in out.items()
            for u in kinds
            if shifts[u].minutes > shifts[t].minutes
        )
        done = 0
        for _, d, u in swaps:
            t = out[d]
            grow = shifts[u].minutes - shifts[t].minutes
            if minutes >= emp.min_minutes:
                break
            if grow <= 0 or minutes + grow > emp.max_minutes or used[u] >= emp.max_shifts[u]:
                continue
            before, after = out.get(d - 1), out.get(d + 1)
            if before is not None and u in shifts[before].not_followed_by:
                continue
            if after is not None and after in shifts[u].not_followed_by:
                continue
            used[t] -= 1
            used[u] += 1
            minutes += grow
            out[d] = u
            done += 1
        if not done:
            return False
    return True
