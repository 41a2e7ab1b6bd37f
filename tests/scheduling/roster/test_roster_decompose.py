"""The decomposed solve for large weeks: a greedy roster that keeps every hard rule, an
assignment stage that covers an on-shift profile, and a roster always returned."""

from __future__ import annotations

import pytest

from scheduling.roster.decompose import assign_profile
from scheduling.roster.greedy import canonical, greedy_activities, greedy_roster, line_shortfall
from scheduling.roster.quality import roster_progress
from scheduling.roster.result import roster_from
from scheduling.roster.samples import synthetic_instance
from scheduling.roster.solve import solve
from scheduling.roster.validate import validate
from scheduling.roster.week import Week
from tests.scheduling.roster.rosterkit import instance, member


def _round_the_clock(staff: int, *, seed: int = 5, **kw):
    return synthetic_instance(
        staff=staff,
        open_minutes=(0, 1440),
        interval=15,
        base=2,
        peak=5,
        supervisors=3,
        seed=seed,
        time_limit=6,
        **kw,
    )


@pytest.mark.parametrize(
    "inst",
    [
        _round_the_clock(24, lawyers=0),
        _round_the_clock(24, lawyers=2, seed=7),
        synthetic_instance(staff=10, supervisors=2, lawyers=1, seed=3),
    ],
    ids=["24-7", "24-7 with lawyers", "daytime"],
)
def test_greedy_roster_keeps_every_hard_rule(inst):
    week = Week(inst)
    shifts, acts = greedy_roster(week)
    sol, report = roster_from(week, shifts, acts)
    assert report.hard == []
    assert sol.people
    assert sol.shortfall_hours() == 0  # these weeks have staff to spare


def test_greedy_roster_gives_the_lines_shortfall_to_whoever_has_hours_to_spare():
    """Contract minimums alone leave the line short: a person with hours below their maximum
    gets a longer shift (or another one) where the line still lacks someone."""
    week = Week(instance([member("a", cmin=240, cmax=480)], days=(0,)))
    shifts, acts = greedy_roster(week)
    (shift,) = shifts[0]
    assert 240 < shift.length <= 480
    assert sum(line_shortfall(week, acts).values()) < 8  # a 4-hour shift leaves 8 intervals

    week = Week(
        instance(
            [member("a", cmin=240, cmax=480), member("b", cmin=240, cmax=480)],
            days=(0, 1),
            required=2,
        )
    )
    shifts, acts = greedy_roster(week)
    assert sum(s.length for mine in shifts.values() for s in mine) > 2 * 240  # the minimums
    assert sum(line_shortfall(week, acts).values()) < 48
    assert roster_from(week, shifts, acts)[1].hard == []


def test_the_placement_starts_from_the_greedy_placement():
    """The placement model's hint is a whole roster that follows the greedy activities, so
    CP-SAT improves on the greedy roster from its first second (on two workers the first
    roster came from a worker that ignored the line hint: 24.5 hours short)."""
    from ortools.sat.python import cp_model

    from scheduling.roster.decompose import placement_model
    from scheduling.roster.rules.base import SCALE

    week = Week(_round_the_clock(24, lawyers=0))
    shifts, acts = greedy_roster(week)
    shifts = canonical(week, shifts)
    acts = greedy_activities(week, shifts)
    _, greedy_report = roster_from(week, shifts, acts)
    rm = placement_model(week, shifts, acts, workers=2)
    hint = rm.m.proto.solution_hint
    fixed = rm.m.clone()
    for var, value in zip(hint.vars, hint.values, strict=True):
        fixed.add(fixed.get_int_var_from_proto_index(var) == value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert solver.objective_value / SCALE <= greedy_report.objective + 1e-6
    coverage = sum(t.coef * solver.value(t.expr) for t in rm.terms if t.rule == "coverage")
    assert coverage == 0


def test_greedy_order_keeps_the_symmetry_breaking_order():
    week = Week(_round_the_clock(24, lawyers=0))
    shifts, _ = greedy_roster(week)
    canon = canonical(week, shifts)
    groups: dict[tuple, list[int]] = {}
    for p in week.people:
        if p.signature:
            groups.setdefault(p.signature, []).append(p.index)

    def key(pi: int) -> int:
        return sum(1 << d for d in {s.day for s in canon.get(pi, [])})

    for members in groups.values():
        keys = [key(pi) for pi in members]
        assert keys == sorted(keys, reverse=True)
    assert sorted(map(len, canon.values())) == sorted(map(len, shifts.values()))


def test_assignment_stage_covers_the_on_shift_profile():
    import time

    week = Week(_round_the_clock(12, lawyers=0))
    shifts, _ = greedy_roster(week)
    shifts = canonical(week, shifts)
    started = time.monotonic()
    res = assign_profile(
        week,
        shifts,
        time_limit=15,
        workers=2,
        started=started,
        progress=None,
        deadline=lambda: 15.0,
    )
    assert res is not None
    new_shifts, stage = res
    assert stage.status in ("OPTIMAL", "FEASIBLE") and new_shifts

    def on_shift(roster) -> list[int]:
        on = [0] * week.n_intervals
        for p in week.people:
            if p.counsellor:
                for s in roster.get(p.index, []):
                    for t in range(s.start // week.step, s.end // week.step):
                        on[t] += 1
        return on

    # the profile: the requirement (with room for meals) as far as the greedy roster reached it
    on, before = on_shift(new_shifts), on_shift(shifts)
    assert all(on[t] >= min(need, before[t]) for t, need in week.required.items())
    _, report = roster_from(week, new_shifts, greedy_activities(week, new_shifts))
    assert report.hard == []


def test_decomposed_solve_returns_a_valid_roster_even_with_little_time():
    inst = _round_the_clock(30, lawyers=0)
    inst = inst.model_copy(
        update={"options": inst.options.model_copy(update={"method": "decomposed"})}
    )
    seen = []
    sol = solve(inst, time_limit=2, progress=seen.append)
    assert sol.people and sol.stats.objective is not None
    assert validate(inst, sol).hard == []
    assert seen and seen[0].stage == "greedy"
    assert sol.stats.best_bound <= sol.stats.objective + 1e-6


def test_the_live_progress_of_a_decomposed_solve_ends_near_the_saved_objective():
    """The indicator plots whole-roster points only: its last value is the roster the stages
    improved, not a stage's own score on a scale of its own."""
    inst = _round_the_clock(30, lawyers=0)
    inst = inst.model_copy(
        update={"options": inst.options.model_copy(update={"method": "decomposed"})}
    )
    seen = []
    sol = solve(inst, time_limit=6, progress=seen.append)
    points = roster_progress(seen)
    assert points and points[0][1] >= points[-1][1]
    best = [p[1] for p in points]
    assert best == sorted(best, reverse=True)
    # The saved roster may add line switches placed after the last report, never remove points.
    assert points[-1][1] <= sol.stats.objective + 1e-6
    assert sol.stats.objective <= points[-1][1] * 1.05


def test_large_week_bound_counts_the_shortfall_no_roster_can_avoid():
    # Six people cannot keep two counsellors on the line around the clock: the bound a manager
    # sees must include that shortfall (the contract minimums alone give 60 points), and no
    # roster may beat it.
    from scheduling.roster.decompose import cover
    from scheduling.roster.result import contract_bound

    inst = synthetic_instance(
        staff=6,
        open_minutes=(0, 1440),
        interval=30,
        base=2,
        peak=3,
        supervisors=2,
        lawyers=0,
        seed=5,
        time_limit=8,
    )
    week = Week(inst)
    c = cover(week, time_limit=5, workers=2, bound_only=True)
    assert c.bound is not None and c.bound > 100 * contract_bound(week)
    for method in ("full", "decomposed"):
        opts = inst.options.model_copy(update={"method": method})
        sol = solve(inst.model_copy(update={"options": opts}))
        assert sol.stats.objective is not None
        assert c.bound <= sol.stats.objective + 1e-6
    st = sol.stats  # the decomposed solve reports it
    assert "bound" in [s.name for s in st.stages]
    assert st.best_bound == pytest.approx(c.bound, rel=1e-6)
