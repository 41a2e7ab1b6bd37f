"""The Copenhagen Burnout Inventory as a counsellor answers it each quarter."""

from __future__ import annotations

from datetime import date

import pytest

from wellbeing.checkin import CbiScores, cbi, item_score, median_scores, quarter_of, score_cbi


def test_nineteen_items_in_three_subscales_with_the_citation() -> None:
    questionnaire = cbi()
    assert len(questionnaire.items) == 19
    assert [
        sum(i.subscale == s for i in questionnaire.items) for s in ("personal", "work", "client")
    ] == [6, 7, 6]
    assert "Kristensen" in questionnaire.citation and "2005" in questionnaire.citation
    assert [i.id for i in questionnaire.items if i.reversed] == ["w7"]


def test_answers_score_100_75_50_25_0_and_the_reversed_item_the_other_way() -> None:
    items = {i.id: i for i in cbi().items}
    assert [item_score(items["p1"], a) for a in range(5)] == [100, 75, 50, 25, 0]
    assert [item_score(items["w7"], a) for a in range(5)] == [0, 25, 50, 75, 100]
    with pytest.raises(ValueError, match="item p1"):
        item_score(items["p1"], 5)


def test_a_subscale_is_the_mean_of_its_items() -> None:
    answers = {i.id: 1 for i in cbi().items}  # "Often" / "To a high degree": 75
    scores = score_cbi(answers)
    assert scores.personal == 75 and scores.client == 75
    assert scores.work == pytest.approx((6 * 75 + 25) / 7)  # w7 reversed
    assert scores.above_threshold() == ["personal", "work", "client"]
    low = score_cbi({i.id: 3 for i in cbi().items})
    assert low.above_threshold() == []


def test_fewer_than_half_answered_gives_no_score() -> None:
    scores = score_cbi({"p1": 0, "p2": 0, "w1": 0, "w2": 0, "w3": 0, "w4": 0})
    assert scores.personal is None and scores.work == 100 and scores.client is None
    with pytest.raises(ValueError, match="unknown check-in item"):
        score_cbi({"q9": 1})


def test_quarters_and_medians() -> None:
    assert quarter_of(date(2026, 11, 29)) == "2026-Q4"
    assert quarter_of(date(2027, 1, 1)) == "2027-Q1"
    medians = median_scores([CbiScores(personal=v) for v in (10, 20, 90)])
    assert medians.personal == 20 and medians.work is None
