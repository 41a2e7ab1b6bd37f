"""Erlang B / C / A: the oracle cases, textbook values, limits and properties users rely on."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.staffing.queueing import (
    Targets,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    fewest_agents,
    offered_load,
    positions_after_shrinkage,
    queue_metrics,
    target_failures,
)

ORACLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "oracles" / "erlang_c.json"


def _oracle_cases() -> list[dict]:
    if not ORACLE.is_file():
        return []
    return json.loads(ORACLE.read_text())["cases"]


# --- copied textbook cases: always run, even without ../shared ------------------------------

# The standard worked example: 100 calls in 30 min, AHT 180 s, 20 s target (A = 10 Erlangs).
# Values computed two independent ways from SL = 1 - Pw exp(-(N - A) t / AHT).
TEXTBOOK_100 = {
    12: {"Pw": 0.449388, "SL": 0.640158, "ASA_s": 40.4449, "occ": 0.833333},
    13: {"Pw": 0.28527, "SL": 0.795595, "ASA_s": 17.1162, "occ": 0.769231},
    14: {"Pw": 0.174132, "SL": 0.88835, "ASA_s": 7.8359, "occ": 0.714286},
}


def test_textbook_100_calls_example() -> None:
    agents = np.array(sorted(TEXTBOOK_100))
    m = erlang_c_metrics(agents, 10.0, handle_seconds=180, target_seconds=20)
    for i, n in enumerate(agents):
        expected = TEXTBOOK_100[int(n)]
        assert m.waiting_probability[i] == pytest.approx(expected["Pw"], abs=1e-6)
        assert m.service_level[i] == pytest.approx(expected["SL"], abs=1e-6)
        assert m.asa_seconds[i] == pytest.approx(expected["ASA_s"], abs=1e-4)
        assert m.occupancy[i] == pytest.approx(expected["occ"], abs=1e-6)
    goal = Targets(service_level=0.8, target_seconds=20)
    raw = fewest_agents(10.0, goal, handle_seconds=180, model="erlang_c")
    assert int(raw) == 14
    assert int(positions_after_shrinkage(raw, 0.3)) == 20


def test_classic_360_calls_55_agents() -> None:
    # The classic step-by-step Erlang C example (360 calls / 30 min, AHT 240 s, 55 agents,
    # 15 s target); same oracle file, case "textbook_360_calls_30min_aht240_55_agents".
    m = erlang_c_metrics(55, offered_load(360, 1800, 240), handle_seconds=240, target_seconds=15)
    assert float(m.traffic_erlangs) == pytest.approx(48.0)
    assert float(m.waiting_probability) == pytest.approx(0.238701, abs=1e-6)
    assert float(m.service_level) == pytest.approx(0.845883, abs=1e-6)
    assert float(m.asa_seconds) == pytest.approx(8.184, abs=1e-3)
    assert float(m.occupancy) == pytest.approx(0.872727, abs=1e-6)


# --- the oracle file ------------------------------------------------------------------------


def _check_pyworkforce_case(case: dict) -> None:
    i, out = case["inputs"], case["outputs"]
    traffic = offered_load(i["calls"], i["interval_min"] * 60, i["aht_min"] * 60)
    goal = Targets(
        service_level=i["service_level"],
        target_seconds=i["target_answer_min"] * 60,
        max_occupancy=i["max_occupancy"],
    )
    raw = int(fewest_agents(traffic, goal, handle_seconds=i["aht_min"] * 60, model="erlang_c"))
    assert raw == out["raw_positions"]
    assert int(positions_after_shrinkage(raw, i["shrinkage"])) == out["positions"]
    m = erlang_c_metrics(
        raw, traffic, handle_seconds=i["aht_min"] * 60, target_seconds=i["target_answer_min"] * 60
    )
    assert round(float(m.service_level), 3) == out["service_level"]
    assert round(float(m.occupancy), 3) == out["occupancy"]
    assert round(float(m.waiting_probability), 3) == out["waiting_probability"]


def _check_metrics(m, expected: dict) -> None:
    assert float(m.traffic_erlangs) == pytest.approx(expected["A"], abs=1e-9)
    assert float(m.waiting_probability) == pytest.approx(expected["Pw"], abs=1e-6)
    assert float(m.service_level) == pytest.approx(expected["SL"], abs=1e-6)
    assert float(m.asa_seconds) == pytest.approx(expected["ASA_s"], abs=1e-3)
    assert float(m.occupancy) == pytest.approx(expected["occ"], abs=1e-6)


@pytest.mark.parametrize("case", _oracle_cases(), ids=lambda c: c["id"])
def test_oracle_case(case: dict) -> None:
    i = case["inputs"]
    if "raw_positions" in case.get("outputs", {}):
        _check_pyworkforce_case(case)
        return
    traffic = offered_load(i["calls"], i["interval_s"], i["aht_s"])
    if "by_agents" in case:
        for agents, expected in case["by_agents"].items():
            m = erlang_c_metrics(
                int(agents), traffic, handle_seconds=i["aht_s"], target_seconds=i["target_s"]
            )
            _check_metrics(m, expected)
        goal = Targets(service_level=0.8, target_seconds=i["target_s"])
        raw = int(fewest_agents(traffic, goal, handle_seconds=i["aht_s"], model="erlang_c"))
        assert raw == case["min_agents_for_80pct_in_20s"]
        assert int(positions_after_shrinkage(raw, 0.3)) == case["positions_with_30pct_shrinkage"]
        return
    if "agents" in i:
        m = erlang_c_metrics(
            i["agents"], traffic, handle_seconds=i["aht_s"], target_seconds=i["target_s"]
        )
        _check_metrics(m, case["outputs"])
        return
    pytest.fail(f"oracle case {case['id']} has a shape this test does not know")


def test_oracle_file_is_used_when_present() -> None:
    if not ORACLE.is_file():
        pytest.skip("../shared is absent (a user's clone)")
    assert len(_oracle_cases()) >= 4


# --- Erlang B / C basics and stability -----------------------------------------------------


def test_erlang_b_matches_the_recursion() -> None:
    # B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))
    for a in (0.01, 0.7, 12.5, 300.0):
        b = 1.0
        for k in range(1, 400):
            b = a * b / (k + a * b)
            assert float(erlang_b(k, a)) == pytest.approx(b, rel=1e-10)


def test_erlang_c_is_one_when_the_queue_cannot_empty() -> None:
    assert np.all(erlang_c([3, 10], 10.0) == 1.0)
    m = erlang_c_metrics(10, 10.0, handle_seconds=180, target_seconds=20)
    assert float(m.service_level) == 0.0 and math.isinf(float(m.asa_seconds))


def test_no_calls_means_no_waiting() -> None:
    for model in ("erlang_a", "erlang_c"):
        m = queue_metrics([0, 1, 5], 0.0, handle_seconds=1500, target_seconds=60, model=model)
        assert np.all(m.waiting_probability == 0.0)
        assert np.all(m.service_level == 1.0)
        assert np.all(m.abandon_probability == 0.0)


@pytest.mark.parametrize("model", ["erlang_a", "erlang_c"])
def test_stable_from_tiny_loads_to_2000_agents(model: str) -> None:
    traffic = np.geomspace(0.01, 1990.0, 300)
    for n in (1, 2, 10, 100, 1000, 2000):
        for patience in (5.0, 120.0, 1e6):
            m = queue_metrics(
                n,
                traffic,
                handle_seconds=1500,
                target_seconds=60,
                model=model,
                patience_seconds=patience,
            )
            for arr in (m.waiting_probability, m.service_level, m.abandon_probability, m.occupancy):
                assert np.all(np.isfinite(arr))
                assert np.all((arr >= -1e-12) & (arr <= 1 + 1e-12))
            assert not np.any(np.isnan(m.asa_seconds))


def test_overloaded_erlang_b_does_not_underflow() -> None:
    b = float(erlang_b(10, 5000.0))
    assert 0.99 < b < 1.0


# --- Erlang A ----------------------------------------------------------------------------


def _brute_force_erlang_a(n: int, a: float, h: float, t: float, p: float) -> dict[str, float]:
    """Truncated birth-death chain; wait-within-t by direct sum over queue positions."""
    from scipy.special import betainc

    lam, mu, theta = a / h, 1.0 / h, 1.0 / p
    size = 3000
    logp = np.zeros(size)
    for k in range(1, size):
        logp[k] = logp[k - 1] + math.log(lam) - math.log(min(k, n) * mu + max(k - n, 0) * theta)
    pi = np.exp(logp - logp.max())
    pi /= pi.sum()
    x = n * mu / theta
    j = np.arange(size - n)
    share = x / (x + j + 1)
    in_time = share * (1 - betainc(x + 1, j + 1, math.exp(-theta * t)))
    return {
        "pw": float(pi[n:].sum()),
        "sl": float(pi[:n].sum() + (pi[n:] * in_time).sum()),
        "pab": float(1 - pi[:n].sum() - (pi[n:] * share).sum()),
    }


@pytest.mark.parametrize(
    ("n", "a", "h", "t", "p"),
    [
        (3, 2.0, 600, 60, 120),
        (1, 0.3, 1800, 60, 120),
        (5, 6.0, 1500, 60, 120),
        (20, 15, 300, 30, 60),
    ],
)
def test_erlang_a_matches_the_birth_death_chain(n, a, h, t, p) -> None:
    m = erlang_a_metrics(n, a, handle_seconds=h, target_seconds=t, patience_seconds=p)
    ref = _brute_force_erlang_a(n, a, h, t, p)
    assert float(m.waiting_probability) == pytest.approx(ref["pw"], abs=1e-9)
    assert float(m.service_level) == pytest.approx(ref["sl"], abs=1e-9)
    assert float(m.abandon_probability) == pytest.approx(ref["pab"], abs=1e-9)


def test_erlang_a_without_agents_loses_every_call() -> None:
    m = erlang_a_metrics(0, 1.5, handle_seconds=600, target_seconds=60, patience_seconds=120)
    assert float(m.abandon_probability) == 1.0 and float(m.service_level) == 0.0


traffic_st = st.floats(0.01, 150.0)
handle_st = st.floats(60.0, 3600.0)
target_st = st.floats(0.0, 300.0)


@settings(max_examples=60, deadline=None)
@given(
    a=traffic_st,
    h=handle_st,
    t=target_st,
    extra=st.integers(1, 40),
    model=st.sampled_from(["erlang_a", "erlang_c"]),
    p=st.floats(5.0, 3600.0),
)
def test_more_agents_never_lowers_the_service_level(a, h, t, extra, model, p) -> None:
    n = np.arange(0, int(a) + extra + 1)
    m = queue_metrics(n, a, handle_seconds=h, target_seconds=t, model=model, patience_seconds=p)
    # Up to rounding (values are exact to about 1e-13).
    assert np.all(np.diff(m.service_level) >= -1e-10)
    assert np.all(np.diff(m.abandon_probability) <= 1e-10)
    assert np.all(np.diff(m.occupancy[1:]) <= 1e-10)


@settings(max_examples=60, deadline=None)
@given(a=traffic_st, h=handle_st, t=target_st, extra=st.integers(1, 20))
def test_erlang_a_with_very_long_patience_equals_erlang_c(a, h, t, extra) -> None:
    # Keep n - A >= 0.5: right at A = n queues grow so long that even a billion handle times
    # of patience make a real (not numerical) difference.
    n = math.ceil(a + 0.5) + extra - 1
    c = erlang_c_metrics(n, a, handle_seconds=h, target_seconds=t)
    am = erlang_a_metrics(n, a, handle_seconds=h, target_seconds=t, patience_seconds=h * 1e9)
    assert float(am.waiting_probability) == pytest.approx(float(c.waiting_probability), abs=1e-6)
    assert float(am.service_level) == pytest.approx(float(c.service_level), abs=1e-6)
    assert float(am.abandon_probability) < 1e-6
    assert float(am.asa_seconds) == pytest.approx(float(c.asa_seconds), rel=1e-4, abs=1e-6)


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    c = erlang_c_metrics(14, 10.0, handle_seconds=180, target_seconds=20)
    gaps = []
    for patience in (1e2, 1e4, 1e6, 1e8):
        a = erlang_a_metrics(
            14, 10.0, handle_seconds=180, target_seconds=20, patience_seconds=patience
        )
        gaps.append(abs(float(a.service_level) - float(c.service_level)))
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-6


@settings(max_examples=60, deadline=None)
@given(
    a=st.lists(st.floats(0.0, 120.0), min_size=1, max_size=30),
    model=st.sampled_from(["erlang_a", "erlang_c"]),
    sl=st.floats(0.5, 0.95),
    answered=st.one_of(st.none(), st.floats(0.5, 0.98)),
    occupancy=st.one_of(st.none(), st.floats(0.6, 1.0)),
    h=handle_st,
)
def test_fewest_agents_is_the_fewest_meeting_every_target(a, model, sl, answered, occupancy, h):
    traffic = np.array(a)
    goal = Targets(
        service_level=sl, target_seconds=60, answered_share=answered, max_occupancy=occupancy
    )
    n = fewest_agents(traffic, goal, handle_seconds=h, model=model, patience_seconds=120)

    def misses(agents):
        m = queue_metrics(
            agents, traffic, handle_seconds=h, target_seconds=60, model=model, patience_seconds=120
        )
        return np.logical_or.reduce(list(target_failures(m, goal).values()))

    assert not misses(n).any()
    below = n > 0
    assert misses(np.maximum(n - 1, 0))[below].all()


def test_unreachable_target_is_refused() -> None:
    with pytest.raises(ValueError, match="below 1"):
        Targets(service_level=1.0, target_seconds=20)
