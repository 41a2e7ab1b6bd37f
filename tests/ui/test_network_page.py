"""The Network page: leadership sees Lahore and Islamabad side by side and pooled; managers do
not get it."""

from __future__ import annotations

from datetime import timedelta

from data.db import get_engine
from data.services.network import network_week
from scheduling.domain import Role
from tests.ui.conftest import DEMO_LAST_DAY, page_as

WEEK_AFTER_HISTORY = DEMO_LAST_DAY + timedelta(days=1)


def test_leadership_sees_both_centres_side_by_side_and_pooled(demo_database: str) -> None:
    at = page_as("network.py", Role.LEADERSHIP)
    at.date_input(key="network_week").set_value(WEEK_AFTER_HISTORY).run()
    assert not at.exception, at.exception
    assert not at.error
    text = " ".join(m.value for m in at.markdown)
    assert "Lahore" in text and "Islamabad" in text
    labels = [m.label for m in at.metric]
    assert labels.count("Requirement (h)") == 2
    assert {"Separate queues (h)", "Pooled (h)", "Saving (h)"} <= set(labels)

    view = network_week(
        engine=get_engine(demo_database), actor="demo-leadership", week_start=WEEK_AFTER_HISTORY
    )
    ((number, pool),) = view.pools
    assert number == "National cyber-harassment helpline"
    assert [c.name for c in view.centres] == list(pool.centres)
    assert 0 < pool.pooled_hours <= pool.separate_total_hours
    assert sum(pool.share_hours) == pool.pooled_hours
    # Islamabad opens 10:00-16:00 only: no share of the pool outside its hours.
    isb = pool.centres.index(view.centres[1].name)
    assert all(i.shares[isb] == 0 for i in pool.intervals if len(i.open_centres) < 2)
    # Nothing is rostered in the demo yet: the whole requirement is short.
    for centre in view.centres:
        assert centre.staffed_hours == 0
        assert centre.shortfall_hours == centre.requirement_hours > 0


def test_managers_do_not_get_the_network_view(demo_database: str) -> None:
    at = page_as("network.py", Role.MANAGER)
    assert "not available to your role" in at.error[0].value


def test_leadership_rosters_the_pool_together_and_sees_it_per_centre(demo_database: str) -> None:
    at = page_as("network.py", Role.LEADERSHIP)
    at.date_input(key="network_week").set_value(WEEK_AFTER_HISTORY).run()
    number = "National cyber-harassment helpline"
    at.number_input(key=f"pool_limit_{number}").set_value(5).run()
    at.button(key=f"pool_solve_{number}").click().run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Joint roster:" in captions
    lines = [m.value for m in at.markdown if "below its share of the pool" in m.value]
    assert len(lines) == 2 and "Lahore" in lines[0] and "Islamabad" in lines[1]
