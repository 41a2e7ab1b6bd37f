"""A constructive roster without a solver: every hard rule kept by construction, ready in a
second or two even for hundreds of people.

It is the decomposed solve's first roster (so the page has something at once and a large week
never comes back empty) and the warm start of the CP-SAT stages.

1. shifts: pinned shifts first, then hard skill covers, then everyone with a contract minimum
   gets shifts round by round (each person one shift per round, at the start that helps the
   least-covered intervals most, relative to the requirement), then what the line still lacks
   (once meals, decompression and line caps are placed) is filled by a new or a longer shift
   for whoever has hours to spare, people without a minimum first.
2. activities: meal breaks and decompression where the most people are spare, then the line
   interval by interval, the people who must use their line time first, never more people on
   the line than required (the rest is off-line work).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate

from scheduling.domain import Skill
from scheduling.roster.rules.consecutive_days import run_ok
from scheduling.roster.rules.days_off import most_working_days
from scheduling.roster.rules.line_hours import line_capacity
from scheduling.roster.rules.rest_between_shifts import rested
from scheduling.roster.schema import Activity
from scheduling.roster.week import DAY, Person, Shift, Week

Shifts = dict[int, list[Shift]]
Acts = dict[tuple[int, int], Activity]

FILL_ROUNDS = 6  # of filling the line's shortfall, each after placing the activities again


class _Plan:
    """Shifts being built, with the checks of the person rules for one more shift."""

    def __init__(self, week: Week) -> None:
        self.week = week
        self.r = week.rules
        self.step = week.step
        self.shifts: Shifts = {p.index: [] for p in week.people}
        self.on = [0] * week.n_intervals  # counsellors on shift
        self.most_days = most_working_days(self.r)
        self.version = 0

    def minutes(self, p: Person) -> int:
        return sum(s.length for s in self.shifts[p.index])

    def days(self, p: Person) -> set[int]:
        return {s.day for s in self.shifts[p.index]}

    def fits(self, p: Person, s: Shift) -> bool:
        mine = self.shifts[p.index]
        days = {x.day for x in mine}
        if s.day in days or len(days) >= self.most_days:
            return False
        if self.minutes(p) + s.length > p.contract_max:
            return False
        if p.previous_end is not None and not rested(self.r, p.previous_end, s.start):
            return False
        for x in mine:
            if x.start < s.start and not rested(self.r, x.end, s.start):
                return False
            if s.start < x.start and not rested(self.r, s.end, x.start):
                return False
        return run_ok(self.r, days | {s.day}, p.days_before)

    def remove(self, p: Person, s: Shift) -> None:
        self.shifts[p.index].remove(s)
        self.version += 1
        if p.counsellor:
            for t in range(s.start // self.step, s.end // self.step):
                self.on[t] -= 1

    def add(self, p: Person, s: Shift) -> None:
        self.shifts[p.index].append(s)
        self.version += 1
        if p.counsellor:
            for t in range(s.start // self.step, s.end // self.step):
                self.on[t] += 1


def shift_lengths(week: Week, p: Person) -> tuple[int, ...]:
    """Shift lengths for a person with a contract minimum: the fewest shifts of one length that
    reach it (longest shifts last, so the week keeps room for rest and days off)."""
    r = week.rules
    allowed = range(r.shift_min_minutes, r.shift_max_minutes + 1, r.shift_start_step_minutes)
    days = sum(1 for d in range(7) if week.candidates(p, d))
    most = min(days, most_working_days(r))
    if not p.contract_min:  # no minimum: half days or full days
        return tuple(x for x in allowed if x in (r.shift_min_minutes, r.shift_max_minutes))
    for k in range(1, most + 1):
        for length in allowed:
            if k * length >= p.contract_min and k * length <= p.contract_max:
                return (length,)
    return tuple(allowed)


def _shift_count(p: Person, length: int) -> int:
    return -(-p.contract_min // length) if p.contract_min else 0


def greedy_shifts(
    week: Week, *, deadline: Callable[[], bool] | None = None, hires: bool = False
) -> Shifts:
    """hires: a hire slot may take a skill cover the staff cannot (the warm start of a solve
    with hires, when the staff alone cannot keep the hard rules)."""
    plan = _Plan(week)
    step = week.step
    floor = week.inst.min_on_duty
    need = [0.0] * week.n_intervals
    for t, k in week.required.items():
        need[t] = float(max(k, floor))

    prefix: list[float] = []
    seen = [-1]

    def score(s: Shift) -> float:
        if seen[0] != plan.version:  # prefix sums of the pressure, rebuilt after each change
            prefix.clear()
            acc = 0.0
            prefix.append(acc)
            for t in range(week.n_intervals):
                acc += need[t] / (plan.on[t] + 1)
                prefix.append(acc)
            seen[0] = plan.version
        return prefix[s.end // step] - prefix[s.start // step]

    cands: dict[tuple[int, int], list[Shift]] = {}

    def candidates(p: Person, d: int) -> list[Shift]:
        key = (p.index, d)
        if key not in cands:
            cands[key] = week.candidates(p, d)
        return cands[key]

    def best(p: Person, lengths: tuple[int, ...] | None, fn=score, days=range(7)) -> Shift | None:
        top, pick = 0.0, None
        for d in days:
            for s in candidates(p, d):
                if lengths is not None and s.length not in lengths:
                    continue
                v = fn(s)
                if v > top and plan.fits(p, s):  # the value first: fits is the costly check
                    top, pick = v, s
        return pick

    # pinned shifts stay as published
    for p in week.people:
        for s in week.pinned(p):
            plan.add(p, s)

    # skill covers (supervisor on shift each day, specialists through set windows)
    for cover in week.inst.skill_covers:
        start, end = week.minute(cover.start), week.minute(cover.end)
        skilled = [p for p in week.people if cover.skill in p.skills and p.hire is None]
        stand_ins = [p for p in week.people if cover.skill in p.skills and p.hire] if hires else []
        near = range(max(0, start // DAY - 1), min(7, (end - 1) // DAY + 1))
        if cover.mode == "some_time":

            def overlapping(s: Shift, start=start, end=end) -> float:
                return score(s) + 1e-3 if s.overlaps(start, end) else 0.0

            have = sum(
                1
                for p in skilled + stand_ins
                if any(s.overlaps(start, end) for s in plan.shifts[p.index])
            )
            for _ in range(cover.count - have):
                options: list[tuple[int, int, int, Shift]] = []
                for group in (skilled, stand_ins):  # hires only when no staff can
                    if options:
                        break
                    for p in group:
                        if any(s.overlaps(start, end) for s in plan.shifts[p.index]):
                            continue
                        own = shift_lengths(week, p) if p.contract_min else None
                        pick = best(p, own, overlapping, near) or best(p, None, overlapping, near)
                        if pick is not None:
                            options.append(
                                (-p.contract_min, len(plan.shifts[p.index]), p.index, pick)
                            )
                if options:
                    _, _, pi, chosen = min(options, key=lambda o: o[:3])
                    plan.add(week.people[pi], chosen)
        else:
            window = list(week.intervals_of(start, end))
            while True:
                count = {t: 0 for t in window}
                for p in skilled + stand_ins:
                    for s in plan.shifts[p.index]:
                        for t in range(s.start // step, s.end // step):
                            if t in count:
                                count[t] += 1
                missing = {t for t, k in count.items() if k < cover.count}
                if not missing:
                    break

                def fills(s: Shift, missing=missing) -> float:
                    a, b = s.start // step, s.end // step
                    return sum(1 for t in range(a, b) if t in missing) - s.length * 1e-4

                filling: list[tuple[float, int, Shift]] = []
                for p in skilled:
                    own = shift_lengths(week, p) if p.contract_min else None
                    pick = best(p, own, fills, near) or best(p, None, fills, near)
                    if pick is not None and fills(pick) > 0:
                        filling.append((-fills(pick), p.index, pick))
                if not filling:  # hires only when no staff can
                    for p in stand_ins:
                        pick = best(p, None, fills, near)
                        if pick is not None and fills(pick) > 0:
                            filling.append((-fills(pick), p.index, pick))
                if not filling:
                    break
                _, pi, chosen = min(filling, key=lambda o: o[:2])
                plan.add(week.people[pi], chosen)

    # contract minimums, round by round
    bound = [p for p in week.people if p.contract_min > 0 and p.hire is None]
    lengths = {p.index: shift_lengths(week, p) for p in bound}
    rounds = max((_shift_count(p, lengths[p.index][0]) for p in bound), default=0)
    for _ in range(rounds + 1):
        progressed = False
        for p in sorted(bound, key=lambda q: plan.minutes(q)):
            if plan.minutes(p) >= p.contract_min:
                continue
            pick = best(p, lengths[p.index]) or best(p, None)
            if pick is not None:
                plan.add(p, pick)
                progressed = True
        if not progressed or (deadline is not None and deadline()):
            break
    for p in bound:  # rare: rest or availability left someone short; any length will do
        while plan.minutes(p) < p.contract_min:
            pick = best(p, None)
            if pick is None:
                break
            plan.add(p, pick)
        # still short (days all used): lengthen shifts, keeping the hours they cover
        for old in sorted(plan.shifts[p.index], key=lambda x: x.length):
            if plan.minutes(p) >= p.contract_min:
                break
            if old in week.pinned(p):
                continue
            plan.remove(p, old)
            longer = [
                s
                for s in candidates(p, old.day)
                if s.start <= old.start and s.end >= old.end and plan.fits(p, s)
            ]
            want = p.contract_min - plan.minutes(p)
            longer.sort(key=lambda s: (s.length < want, abs(s.length - want), -score(s)))
            plan.add(p, longer[0] if longer else old)

    # what the line still lacks: a new shift or a longer one for whoever has hours to spare,
    # people without a minimum first
    fillers = [p for p in week.people if p.hire is None and p.counsellor]
    for _ in range(FILL_ROUNDS):
        if deadline is not None and deadline():
            break
        acts = greedy_activities(week, plan.shifts)
        short = line_shortfall(week, acts)
        if not short:
            break
        gap = [0.0] * week.n_intervals
        for t, k in short.items():
            gap[t] = float(k)
        gap_sums = list(accumulate(gap, initial=0.0))

        def lacking(s: Shift, sums=gap_sums) -> float:
            got = sums[s.end // step] - sums[s.start // step]
            return got / (s.length / step) if got > 1e-9 else 0.0

        added = False
        for p in sorted(fillers, key=lambda q: (q.contract_min > 0, plan.minutes(q))):
            if plan.minutes(p) >= p.contract_max:
                continue
            new = best(p, None, lacking)
            grown = _longer_shift(plan, week, p, gap)
            if grown is not None and (new is None or grown[2] >= lacking(new)):
                old, pick, _gain = grown
                plan.remove(p, old)
                a, b = pick.start // step, pick.end // step
                covered = [t for t in range(a, b) if not old.start // step <= t < old.end // step]
            elif new is not None:
                pick = new
                covered = list(range(pick.start // step, pick.end // step))
            else:
                continue
            plan.add(p, pick)
            added = True
            for t in covered:
                gap[t] = max(0.0, gap[t] - 0.75)
            gap_sums[:] = accumulate(gap, initial=0.0)
            if not any(gap):
                break
        if not added:
            break
    return plan.shifts


def _longer_shift(
    plan: _Plan, week: Week, p: Person, gap: list[float]
) -> tuple[Shift, Shift, float] | None:
    """The person's shift whose lengthening covers the most of the gap per added interval: the
    shift, its longer version and that density."""
    step = week.step
    top: tuple[Shift, Shift, float] | None = None
    pinned = week.pinned(p)
    for old in list(plan.shifts[p.index]):
        if old in pinned:
            continue
        plan.remove(p, old)
        for s in week.candidates(p, old.day):
            if s.length <= old.length or s.start > old.start or s.end < old.end:
                continue
            if not plan.fits(p, s):
                continue
            added = [
                t
                for t in range(s.start // step, s.end // step)
                if not old.start // step <= t < old.end // step
            ]
            gain = sum(gap[t] for t in added) / len(added)
            if gain > 0 and (top is None or gain > top[2]):
                top = (old, s, gain)
        plan.add(p, old)
    return top


def line_shortfall(week: Week, acts: Acts) -> dict[int, int]:
    on_line: dict[int, int] = {}
    for (_pi, t), a in acts.items():
        if a == Activity.LINE:
            on_line[t] = on_line.get(t, 0) + 1
    return {
        t: need - on_line.get(t, 0) for t, need in week.required.items() if need > on_line.get(t, 0)
    }


def greedy_activities(week: Week, shifts: Shifts) -> Acts:
    """Meal breaks, decompression, debriefs and line time for fixed shifts."""
    r = week.rules
    step = week.step
    acts: Acts = {}
    people = week.people
    on: dict[int, int] = {}
    for p in people:
        if not p.counsellor:
            continue
        for s in shifts.get(p.index, []):
            for t in range(s.start // step, s.end // step):
                on[t] = on.get(t, 0) + 1
    off: dict[int, int] = {}  # counsellors on shift but off the line for a fixed reason

    def spare(t: int) -> int:
        return on.get(t, 0) - off.get(t, 0) - week.required.get(t, 0)

    def reserve(p: Person, ts: range, activity: Activity) -> None:
        for t in ts:
            acts[p.index, t] = activity
            if p.counsellor:
                off[t] = off.get(t, 0) + 1

    pinned_acts: set[tuple[int, Shift]] = set()
    # pinned shifts whose off-line time after the pin moment may go to the line (a re-plan)
    open_after_pin: set[tuple[int, Shift]] = set()
    published = {
        (x.staff_id, week.minute(x.start)): x
        for x in (*week.inst.published, *week.inst.hand_pinned)
    }
    for p in people:
        for s in week.pinned(p):
            src = published.get((p.id, s.start))
            if src is None or not src.activities:
                continue
            pinned_acts.add((p.index, s))
            if not week.activity_pinned(s.start, s.end // step - 1):
                open_after_pin.add((p.index, s))
            for seg in src.activities:
                for t in week.intervals_of(week.minute(seg.start), week.minute(seg.end)):
                    if seg.activity != Activity.OFFLINE:
                        acts[p.index, t] = seg.activity
                        if seg.activity != Activity.LINE and p.counsellor:
                            off[t] = off.get(t, 0) + 1

    # people off the queue now (a re-plan) stay off the line until they are back
    index_of = {p.id: p.index for p in people}
    for window in week.inst.off_line:
        pi = index_of.get(window.staff_id)
        if pi is None:
            continue
        for t in week.intervals_of(week.minute(window.start), week.minute(window.end)):
            if acts.get((pi, t)) in (None, Activity.LINE):
                acts[pi, t] = Activity.OFFLINE

    # meal breaks where the most people are spare
    meal_len = -(-r.meal_break_minutes // step) if r.meal_break_minutes else 0
    supervisors = [q for q in people if Skill.SUPERVISOR in q.skills]
    for p in people:
        for s in sorted(shifts.get(p.index, [])):
            if (p.index, s) in pinned_acts:
                continue
            if meal_len and s.length > r.meal_break_if_shift_over_minutes:
                first = -(-(s.start + r.meal_break_earliest_minutes) // step)
                last = (s.start + r.meal_break_latest_end_minutes) // step - meal_len
                options = range(first, last + 1)
                t0 = max(options, key=lambda t: (min(spare(t + k) for k in range(meal_len)), -t))
                reserve(p, range(t0, t0 + meal_len), Activity.MEAL)
            need = -(-p.decompression // step) if p.decompression else 0
            if need:
                free = [
                    t for t in range(s.start // step, s.end // step) if (p.index, t) not in acts
                ]
                free.sort(key=lambda t: (-spare(t), t))
                for t in free[:need]:
                    reserve(p, range(t, t + 1), Activity.DECOMPRESSION)

    # one debrief a week while another supervisor is on shift
    sup_on: dict[int, set[int]] = {}
    for q in supervisors:
        for s in shifts.get(q.index, []):
            for t in range(s.start // step, s.end // step):
                sup_on.setdefault(t, set()).add(q.index)
    for p in people:
        length = -(-p.debrief // step) if p.debrief else 0
        if not length:
            continue
        placed = False
        for s in sorted(shifts.get(p.index, [])):
            if placed or (p.index, s) in pinned_acts:
                continue
            ts = range(s.start // step, s.end // step)
            for t in sorted(ts, key=lambda t: -spare(t)):
                block = range(t, t + length)
                if block[-1] >= ts[-1] + 1:
                    continue
                if all(
                    (p.index, u) not in acts and (sup_on.get(u, set()) - {p.index}) for u in block
                ):
                    reserve(p, block, Activity.DEBRIEF)
                    placed = True
                    break

    # the line, interval by interval
    day_left: dict[tuple[int, Shift], int] = {}
    week_left: dict[int, int] = {}
    end_of: dict[tuple[int, int], Shift] = {}
    by_t: dict[int, list[int]] = {}
    for p in people:
        if not p.counsellor:
            continue
        week_left[p.index] = p.line_cap_week
        for s in shifts.get(p.index, []):
            if (p.index, s) in pinned_acts:
                got = sum(
                    step
                    for t in range(s.start // step, s.end // step)
                    if acts.get((p.index, t)) == Activity.LINE
                )
                week_left[p.index] -= got
                if (p.index, s) not in open_after_pin:
                    continue
                # keep the published line time; what was off-line after the pin may fill a gap
                day_left[p.index, s] = max(0, line_capacity(week, p, s) - got)
                for t in range(s.start // step, s.end // step):
                    if (p.index, t) not in acts and not week.activity_pinned(s.start, t):
                        by_t.setdefault(t, []).append(p.index)
                        end_of[p.index, t] = s
                continue
            day_left[p.index, s] = line_capacity(week, p, s)
            for t in range(s.start // step, s.end // step):
                if (p.index, t) not in acts:
                    by_t.setdefault(t, []).append(p.index)
                    end_of[p.index, t] = s
    pinned_line: dict[int, int] = {}
    for (_pi, t), a in acts.items():
        if a == Activity.LINE:
            pinned_line[t] = pinned_line.get(t, 0) + 1
    for t in sorted(by_t):
        need = week.required.get(t, 0) - pinned_line.get(t, 0)
        if need <= 0:
            continue
        ready = []
        for pi in by_t[t]:
            s = end_of[pi, t]
            left = min(day_left[pi, s], week_left[pi])
            if left < step:
                continue
            # intervals this person could still be on the line in this shift, from t on
            ahead = sum(1 for u in range(t, s.end // step) if (pi, u) not in acts)
            slack = ahead - left // step  # 0: must be on the line now or lose line time
            # keep line time in blocks: first whoever was on the line just before, then whoever
            # starts a block at no switch (shift start, after a meal or a closed interval)
            before = acts.get((pi, t - 1))
            if before == Activity.LINE:
                switch = 0
            elif t - 1 < s.start // step or before == Activity.MEAL or t - 1 not in week.required:
                switch = 1
            else:
                switch = 2
            ready.append((slack > 0, switch, slack, -week_left[pi], pi))
        ready.sort()
        for *_key, pi in ready[:need]:
            s = end_of[pi, t]
            acts[pi, t] = Activity.LINE
            day_left[pi, s] -= step
            week_left[pi] -= step
    return acts


def greedy_roster(
    week: Week, *, deadline: Callable[[], bool] | None = None, hires: bool = False
) -> tuple[Shifts, Acts]:
    shifts = greedy_shifts(week, deadline=deadline, hires=hires)
    return shifts, greedy_activities(week, shifts)


def canonical(week: Week, shifts: Shifts) -> Shifts:
    """Swap whole weeks between interchangeable people so the roster keeps the model's
    symmetry-breaking order (works a hint the solver can take as it is)."""
    groups: dict[tuple, list[Person]] = {}
    for p in week.people:
        if p.signature:
            groups.setdefault(p.signature, []).append(p)
    out = dict(shifts)
    for members in groups.values():
        weeks = [shifts.get(p.index, []) for p in members]
        weeks.sort(key=lambda w: -sum(1 << d for d in {s.day for s in w}))
        for p, w in zip(members, weeks, strict=True):
            out[p.index] = w
    return out


__all__ = [
    "DAY",
    "canonical",
    "greedy_activities",
    "greedy_roster",
    "greedy_shifts",
    "line_shortfall",
    "shift_lengths",
]
