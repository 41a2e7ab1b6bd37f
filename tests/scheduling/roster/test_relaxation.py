"""The linear relaxation of a CP-SAT model: a bound below every solution, negated literals
read as 1 - x, constraints it cannot express dropped (never tightened)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduling.roster.relaxation import lp_bound


def test_bound_is_the_lp_optimum_below_the_integer_one():
    m = cp_model.CpModel()
    x = m.new_int_var(0, 10, "x")
    y = m.new_int_var(0, 10, "y")
    m.add(2 * x + 2 * y >= 3)
    m.minimize(x + y + 4)
    assert lp_bound(m, time_limit=5) == pytest.approx(5.5, abs=1e-4)  # integers: 6


def test_clauses_with_negated_literals_are_kept():
    m = cp_model.CpModel()
    a, b = m.new_bool_var("a"), m.new_bool_var("b")
    m.add_bool_or([a, b.Not()])
    m.add(b == 1)
    m.minimize(3 * a)
    assert lp_bound(m, time_limit=5) == pytest.approx(3, abs=1e-4)


def test_enforced_constraints_are_dropped_so_the_bound_stays_valid():
    m = cp_model.CpModel()
    a = m.new_bool_var("a")
    x = m.new_int_var(0, 10, "x")
    m.add(x >= 7).only_enforce_if(a)
    m.add(a == 1)
    m.minimize(x)
    bound = lp_bound(m, time_limit=5)
    assert bound is not None and bound <= 7


def test_no_objective_no_bound():
    m = cp_model.CpModel()
    m.new_int_var(0, 1, "x")
    assert lp_bound(m, time_limit=1) is None
