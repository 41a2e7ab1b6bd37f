"""A pooled queue: the requirement on the pooled calls, split across the open centres, and never
above the sum of the centres staffed separately."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.domain import Floors, ServiceTargets, StaffingSettings
from scheduling.staffing.pooled import pooled_interval_requirements, service_level_at

DEFAULT = StaffingSettings()


def _settings(model: str, min_on_line: int) -> StaffingSettings:
    return StaffingSettings(
        targets=ServiceTargets(model=model),
        floors=Floors(min_on_line=min_on_line),
    )


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[list[float]], list[list[bool]], StaffingSettings]:
    centres = draw(st.integers(1, 4))
    intervals = draw(st.integers(1, 12))
    calls = [
        draw(st.lists(st.floats(0, 12, allow_nan=False), min_size=intervals, max_size=intervals))
        for _ in range(centres)
    ]
    is_open = [
        draw(st.lists(st.booleans(), min_size=intervals, max_size=intervals))
        for _ in range(centres)
    ]
    staffing = _settings(draw(st.sampled_from(["erlang_a", "erlang_c"])), draw(st.integers(0, 3)))
    return calls, is_open, staffing


@settings(max_examples=150, deadline=None)
@given(pools())
def test_a_pooled_requirement_is_never_above_the_sum_of_separate_ones(pool) -> None:  # type: ignore[no-untyped-def]
    calls, is_open, staffing = pool
    result = pooled_interval_requirements(
        calls,
        is_open,
        [staffing] * len(calls),
        pool_settings=staffing,
        interval_minutes=30,
    )
    separate = np.asarray(result.separate).sum(axis=0)
    pooled = np.asarray(result.pooled)
    assert (pooled <= separate).all()
    # Erlang on the sum of the calls never needs more than the queues apart.
    assert (np.asarray(result.pooled_queue) <= np.asarray(result.separate_queue).sum(axis=0)).all()
    # The split hands out exactly the pooled requirement, only to open centres, each at
    # least its own floor.
    shares = np.asarray(result.shares)
    assert (shares.sum(axis=0) == pooled).all()
    assert (shares[~np.asarray(is_open)] == 0).all()
    assert (shares >= np.asarray(result.floors)).all()


def test_two_busy_centres_need_fewer_counsellors_pooled_than_apart() -> None:
    calls = [[6.0] * 4, [3.0] * 4]
    result = pooled_interval_requirements(
        calls,
        [[True] * 4, [True] * 4],
        [DEFAULT, DEFAULT],
        pool_settings=DEFAULT,
        interval_minutes=30,
    )
    separate = [a + b for a, b in zip(*result.separate, strict=True)]
    assert all(p < s for p, s in zip(result.pooled, separate, strict=True))
    # Lahore's larger load takes the larger share; each keeps the floor of 2.
    lahore, islamabad = result.shares
    assert all(a > b >= 2 for a, b in zip(lahore, islamabad, strict=True))


def test_a_closed_centre_gets_no_share_and_its_calls_are_not_pooled() -> None:
    calls = [[4.0, 4.0], [4.0, 4.0]]
    alone = pooled_interval_requirements(
        [calls[0]], [[True, True]], [DEFAULT], pool_settings=DEFAULT, interval_minutes=30
    )
    pooled = pooled_interval_requirements(
        calls,
        [[True, True], [False, False]],
        [DEFAULT, DEFAULT],
        pool_settings=DEFAULT,
        interval_minutes=30,
    )
    assert pooled.pooled == alone.pooled
    assert pooled.shares[1] == (0, 0)


def test_the_service_level_rises_with_counsellors_and_is_nil_with_nobody() -> None:
    calls = [2.0, 2.0, 0.0]
    nobody = service_level_at(calls, [0, 0, 0], DEFAULT, interval_minutes=30)
    two = service_level_at(calls, [2, 2, 2], DEFAULT, interval_minutes=30)
    four = service_level_at(calls, [4, 4, 4], DEFAULT, interval_minutes=30)
    assert nobody == 0.0
    assert two is not None and four is not None and 0 < two < four <= 1
    assert service_level_at([0.0], [2], DEFAULT, interval_minutes=30) is None


def test_the_cover_on_pooled_calls_never_asks_more_than_the_centres_apart() -> None:
    # The decompression cover spreads its share of open time over the week, so on the pooled
    # calls it can land an interval higher than the centres' own covers would.
    floors = DEFAULT.floors.model_copy(update={"min_on_line": 3})
    staffing = DEFAULT.model_copy(update={"floors": floors})
    calls = [[0.0] * 4 + [3.0] + [0.0] * 4, [0.0] * 8 + [2.0]]
    is_open = [[t == 4 for t in range(9)], [t >= 6 for t in range(9)]]
    result = pooled_interval_requirements(
        calls, is_open, [staffing, staffing], pool_settings=staffing, interval_minutes=30
    )
    separate = np.asarray(result.separate).sum(axis=0)
    assert (np.asarray(result.pooled) <= separate).all()
