"""Hypothesis: on small random weeks every returned roster keeps the hard rules, or names the
ones it had to drop."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.roster.schema import SkillCover, SolveOptions
from scheduling.roster.solve import solve
from scheduling.roster.validate import validate
from tests.scheduling.roster.rosterkit import at, instance, member

HOURS = [f"{h:02d}:00" for h in range(24)] + ["24:00"]


@st.composite
def weeks(draw):
    days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=3)))
    start = draw(st.integers(6, 12))
    length = draw(st.integers(4, 10))
    hours = (HOURS[start], HOURS[start + length])
    staff = []
    for n in range(draw(st.integers(2, 4))):
        skills = ["counsellor"] + (["supervisor"] if draw(st.booleans()) else [])
        avail = []
        if draw(st.booleans()):
            a = draw(st.integers(start, start + length - 4))
            avail = [(d, HOURS[a], HOURS[min(24, a + draw(st.integers(4, 8)))]) for d in days]
        leave = [(d, d)] if draw(st.booleans()) and (d := draw(st.sampled_from(days))) else []
        staff.append(
            member(
                f"p{n}",
                skills=skills,
                cmin=draw(st.sampled_from([0, 0, 4 * 60, 8 * 60])),
                availability=avail,
                leave=leave,
                decompression_minutes_per_shift=draw(st.sampled_from([0, 0, 30])),
            )
        )
    covers = ()
    if draw(st.booleans()):
        d = days[0]
        covers = (
            SkillCover(
                skill="supervisor",
                start=at(d, hours[0]),
                end=at(d + 1, "00:00") if hours[1] == "24:00" else at(d, hours[1]),
                mode="some_time",
            ),
        )
    interval = draw(st.sampled_from([15, 30]))
    needs = draw(st.lists(st.integers(0, 2), min_size=1, max_size=4))
    return instance(
        staff,
        days=days,
        hours=hours,
        interval=interval,
        required=lambda d, hhmm: needs[(int(hhmm[:2]) + d) % len(needs)],
        min_on_duty=draw(st.integers(0, 2)),
        skill_covers=covers,
        options=SolveOptions(time_limit_seconds=3, workers=2, allow_hires=False),
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks())
def test_every_returned_roster_keeps_the_hard_rules_or_names_them(inst):
    sol = solve(inst)
    hard = validate(inst, sol).hard
    if sol.infeasibility is None:
        assert hard == [], [b.message for b in hard]
    else:
        dropped = {c.rule for c in sol.infeasibility.relaxed}
        assert {b.rule for b in hard} <= dropped
        assert sol.infeasibility.conflicts
