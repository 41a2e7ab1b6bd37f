"""The linear relaxation of a CP-SAT model, solved with GLOP: a lower bound of a minimisation
that holds for every solution, found in a fraction of the time CP-SAT needs to reach its own
root LP on a large model (presolve alone can take the whole time limit).

Linear constraints, clauses and at-most-one / exactly-one constraints without enforcement
literals are kept (variables relaxed to their bounds); every other constraint is dropped.
Dropping constraints only loosens the model, so the optimum of what is left is still a valid
bound of the original model.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

# GLOP's optimum is exact up to its tolerances; the bound is lowered by this much (relative) so
# that rounding can never lift it above the true optimum
SAFETY = 1e-6


def _ends(domain) -> tuple[int, int]:
    # the proto's repeated fields take no negative index
    values = list(domain)
    return values[0], values[-1]


def lp_bound(model: cp_model.CpModel, *, time_limit: float) -> float | None:
    """A lower bound of the minimised objective of `model`, in the model's own units, or None
    when the LP is not solved to optimality within the time limit (or there is no objective)."""
    proto = model.proto
    if not proto.has_objective():
        return None
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with ortools
        return None
    lp.SetTimeLimit(max(1, round(time_limit * 1000)))
    xs = []
    for i, v in enumerate(proto.variables):
        xs.append(lp.NumVar(*map(float, _ends(v.domain)), f"v{i}"))

    def terms(refs, coeffs) -> tuple[list[tuple[pywraplp.Variable, float]], float]:
        """(variable, coefficient) pairs and the constant: a negative reference is a negated
        Boolean, not(x) = 1 - x."""
        out, constant = [], 0.0
        for ref, coeff in zip(refs, coeffs, strict=True):
            if ref >= 0:
                out.append((xs[ref], float(coeff)))
            else:
                out.append((xs[-ref - 1], -float(coeff)))
                constant += coeff
        return out, constant

    infinity = lp.infinity()

    def add_row(pairs: list[tuple[pywraplp.Variable, float]], lo: float, hi: float) -> None:
        row = lp.Constraint(lo, hi)
        for x, coeff in pairs:
            row.SetCoefficient(x, row.GetCoefficient(x) + coeff)

    for ct in proto.constraints:
        if len(ct.enforcement_literal) > 0:
            continue
        if ct.has_linear():
            pairs, constant = terms(ct.linear.vars, ct.linear.coeffs)
            lo, hi = _ends(ct.linear.domain)
            add_row(
                pairs,
                -infinity if lo <= cp_model.INT_MIN else lo - constant,
                infinity if hi >= cp_model.INT_MAX else hi - constant,
            )
        elif ct.has_bool_or() or ct.has_at_most_one() or ct.has_exactly_one():
            lits = (
                ct.bool_or.literals
                if ct.has_bool_or()
                else ct.at_most_one.literals
                if ct.has_at_most_one()
                else ct.exactly_one.literals
            )
            pairs, constant = terms(lits, [1] * len(lits))
            add_row(
                pairs,
                -infinity if ct.has_at_most_one() else 1 - constant,
                infinity if ct.has_bool_or() else 1 - constant,
            )
    obj = lp.Objective()
    pairs, constant = terms(proto.objective.vars, proto.objective.coeffs)
    for x, coeff in pairs:
        obj.SetCoefficient(x, obj.GetCoefficient(x) + coeff)
    obj.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = proto.objective.scaling_factor or 1.0
    value = (obj.Value() + constant + proto.objective.offset) * scale
    return value - SAFETY * max(1.0, abs(value))
