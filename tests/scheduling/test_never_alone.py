"""Never alone while a colleague decompresses: the staffing floor keeps two free to answer."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import poisson

from scheduling.domain import Floors, HandleTimes, StaffingSettings
from scheduling.staffing.never_alone import (
    below_free,
    decompressing_mean,
    never_alone_floor,
    open_time_below,
)
from scheduling.staffing.requirements import interval_requirements

PLAIN = StaffingSettings(floors=Floors(free_probability=None))
COVERED = StaffingSettings()


def test_below_free_is_the_poisson_tail() -> None:
    n = np.array([2, 3, 4, 1])
    m = np.array([0.1, 0.1, 0.7, 0.3])
    got = below_free(n, m, 2)
    assert got[0] == pytest.approx(poisson.sf(0, 0.1))
    assert got[1] == pytest.approx(poisson.sf(1, 0.1))
    assert got[2] == pytest.approx(poisson.sf(2, 0.7))
    assert got[3] == 1.0  # one on the line can never leave two free


def test_more_calls_more_decompression() -> None:
    calls = np.array([0.0, 0.5, 2.0])
    m = decompressing_mean(calls, COVERED, interval_minutes=30, on_line=np.array([2, 2, 2]))
    assert m[0] == 0 and 0 < m[1] < m[2]
    # a call every hour, 30% difficult, at least the 10-minute decompression
    assert m[1] >= 0.5 / 30 * 0.3 * 10


def test_the_plain_floor_counts_a_decompressing_counsellor() -> None:
    # One call an hour all day: with 2 on the line, someone decompressing leaves one free
    calls = np.full(16, 0.5)
    is_open = np.ones(16, dtype=bool)
    plain = interval_requirements(calls, is_open, PLAIN, interval_minutes=30)
    assert (plain.required == 2).all()
    below = open_time_below(calls, is_open, plain.required, PLAIN, interval_minutes=30)
    assert below > 0.005

    covered = interval_requirements(calls, is_open, COVERED, interval_minutes=30)
    after = open_time_below(calls, is_open, covered.required, COVERED, interval_minutes=30)
    assert after <= 0.005
    assert (covered.required >= plain.required).all() and covered.required.sum() > 32
    assert "free to answer while colleagues decompress" in covered.binding[0]


def test_the_cover_is_named_only_where_it_adds_someone() -> None:
    # Quiet intervals need the cover; busy ones already have more than enough for the queue.
    calls = np.array([0.5] * 8 + [6.0] * 8)
    is_open = np.ones(16, dtype=bool)
    plain = interval_requirements(calls, is_open, PLAIN, interval_minutes=30)
    covered = interval_requirements(calls, is_open, COVERED, interval_minutes=30)
    raised = covered.required > plain.required
    assert raised[:8].any() and not raised[8:].any()
    for i in range(16):
        if raised[i]:
            assert "free to answer while colleagues decompress" in covered.binding[i]
        else:
            assert covered.binding[i] == plain.binding[i]


def test_cover_goes_where_volume_needs_it() -> None:
    calls = np.array([0.05] * 8 + [1.5] * 8)
    is_open = np.ones(16, dtype=bool)
    loose = StaffingSettings(floors=Floors(free_probability=0.97))
    out = interval_requirements(calls, is_open, loose, interval_minutes=30)
    quiet, busy = out.required[:8], out.required[8:]
    assert quiet.max() == 2 and busy.min() >= 3


def test_no_calls_keep_the_plain_floor_and_closed_stays_closed() -> None:
    calls = np.array([0.0, 0.0, 3.0])
    is_open = np.array([True, False, False])
    out = interval_requirements(calls, is_open, COVERED, interval_minutes=30)
    assert out.required.tolist() == [2, 0, 0]


def test_the_share_is_a_setting() -> None:
    calls = np.full(16, 0.5)
    is_open = np.ones(16, dtype=bool)
    staffed = np.full(16, 2)
    strict = StaffingSettings(floors=Floors(free_probability=0.999))
    loose = StaffingSettings(floors=Floors(free_probability=0.9))
    a = never_alone_floor(calls, is_open, staffed, strict, interval_minutes=30)
    b = never_alone_floor(calls, is_open, staffed, loose, interval_minutes=30)
    assert a.sum() > b.sum() >= staffed.sum()


def test_longer_decompression_needs_more_cover() -> None:
    calls = np.full(16, 0.5)
    is_open = np.ones(16, dtype=bool)
    staffed = np.full(16, 2)
    short = StaffingSettings(floors=Floors(free_probability=0.99))
    long = StaffingSettings(
        handle=HandleTimes(decompression_minutes=20), floors=Floors(free_probability=0.99)
    )
    a = never_alone_floor(calls, is_open, staffed, short, interval_minutes=30)
    b = never_alone_floor(calls, is_open, staffed, long, interval_minutes=30)
    assert b.sum() >= a.sum()
    assert open_time_below(calls, is_open, b, long, interval_minutes=30) <= 0.01
