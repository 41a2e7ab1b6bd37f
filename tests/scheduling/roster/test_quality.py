"""The optimality gap and the count of hard rules broken, as every screen and file shows them."""

from __future__ import annotations

import pytest

from scheduling.roster.quality import hard_rules_broken, relative_gap
from scheduling.roster.schema import RuleBreak


def test_the_gap_is_the_share_of_the_objective_the_bound_leaves_open() -> None:
    assert relative_gap(200.0, 150.0) == pytest.approx(0.25)
    assert relative_gap(-200.0, -250.0) == pytest.approx(0.25)
    assert relative_gap(150.0, 150.0) == 0.0


def test_the_gap_is_never_negative_and_a_zero_objective_does_not_divide_by_zero() -> None:
    assert relative_gap(100.0, 100.5) == 0.0
    assert relative_gap(0.0, 0.0) == 0.0
    assert relative_gap(0.0, -1.0) > 1.0


def test_only_hard_breaks_are_counted() -> None:
    def broken(hard: bool) -> RuleBreak:
        return RuleBreak(rule="r", title="A rule", hard=hard, message="broken")

    assert hard_rules_broken([]) == 0
    assert hard_rules_broken([broken(True), broken(False), broken(True)]) == 2
