"""The Network page: leadership sees Lahore and Islamabad side by side and pooled, and rosters
the pool's week together as a job that saves each centre's draft; managers do not get it."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from data.db import get_engine, session_scope
from data.demo import ISB_SITE_NAME, NATIONAL_NUMBER, SITE_NAME
from data.rosters import list_rosters
from data.services.network import network_week
from scheduling.domain import Role
from tests.ui.conftest import DEMO_LAST_DAY, demo_site_id, page_as

WEEK_AFTER_HISTORY = DEMO_LAST_DAY + timedelta(days=1)
# a week no other page test rosters: the joint roster saves drafts in the shared demo database
POOL_WEEK = WEEK_AFTER_HISTORY + timedelta(days=28)
NUMBER = NATIONAL_NUMBER


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


def _pool_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "below its share of the pool" in m.value]


def test_leadership_rosters_the_pool_as_a_job_saved_as_each_centres_draft(
    demo_database: str,
) -> None:
    at = page_as("network.py", Role.LEADERSHIP)
    at.date_input(key="network_week").set_value(POOL_WEEK).run()
    at.number_input(key=f"pool_limit_{NUMBER}").set_value(5).run()
    at.button(key=f"pool_solve_{NUMBER}").click().run()  # returns once the polled job ended
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "the pool's roster is saved as drafts" in at.success[0].value
    lines = _pool_lines(at)
    assert len(lines) == 2 and "Lahore" in lines[0] and "Islamabad" in lines[1]
    assert all("draft v1 saved" in line for line in lines)

    # saved: each centre's manager finds a draft of the week on their Roster page
    with session_scope(get_engine(demo_database)) as session:
        for name in (SITE_NAME, ISB_SITE_NAME):
            site_id = demo_site_id(demo_database, name)
            (draft,) = list_rosters(session=session, site_id=site_id, week_start=POOL_WEEK)
            assert (draft.version, draft.status, draft.created_by) == (
                1,
                "draft",
                "demo-leadership",
            )

    # a reload finds the job again and shows its result from the job row; the centres' cards
    # read the new drafts
    again = page_as("network.py", Role.LEADERSHIP)
    again.date_input(key="network_week").set_value(POOL_WEEK).run()
    assert not again.exception, again.exception
    assert _pool_lines(again) == lines
    captions = " ".join(c.value for c in again.caption)
    assert captions.count("Roster: draft v1.") == 2
