"""The demo helpline: calibrated to DOMAIN.md, deterministic, seeded once."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from data.access import allowed_site_ids
from data.accounts import authenticate, list_accounts
from data.call_history import load_call_history
from data.db import session_scope
from data.demo import (
    DEMO_ACCOUNTS,
    ISB_SITE_NAME,
    SAMPLE_LAST_DAY,
    SAMPLES_DIR,
    SITE_NAME,
    demo_history,
    demo_staff,
    month_starts,
    seed_demo,
    staff_json,
    sunday_before,
    write_samples,
)
from data.models import AuditLog, CallInterval, Staff
from data.sites import get_site_profile, get_staffing_settings, list_sites
from data.staff_repo import list_staff
from scheduling.domain import Role, SiteProfile, Skill, StaffMember
from scheduling.history import read_call_history_csv

TZ = ZoneInfo("Asia/Karachi")


@pytest.fixture(scope="module")
def history():
    return demo_history(SAMPLE_LAST_DAY)


@pytest.fixture(scope="module")
def monthly(history) -> list[int]:
    bounds = month_starts(SAMPLE_LAST_DAY)
    totals: Counter[int] = Counter()
    for r in history:
        day = r.start_utc.astimezone(TZ).date()
        totals[max(i for i in range(24) if bounds[i] <= day)] += r.offered
    return [totals[m] for m in range(24)]


def test_history_spans_24_months_of_open_intervals(history) -> None:
    local = [r.start_utc.astimezone(TZ) for r in history]
    assert local[0].date() == date(2024, 11, 23)
    assert local[-1].date() == SAMPLE_LAST_DAY
    assert {(t.hour, t.minute) for t in local} == {(h, m) for h in range(9, 17) for m in (0, 30)}
    assert len(history) == 730 * 16


def test_first_months_and_yearly_totals_match_the_domain(monthly) -> None:
    assert 75 <= monthly[0] <= 125  # about 100 calls in the first month
    assert 125 <= monthly[1] <= 195  # about 160 in the second
    assert monthly[0] < monthly[1]
    first_year, second_year = sum(monthly[:12]), sum(monthly[12:])
    assert 1_500 <= first_year < second_year <= 4_500
    assert monthly[23] > monthly[2]  # growth


def test_one_surge_month_near_three_times_its_years_mean(monthly) -> None:
    surge = max(range(24), key=monthly.__getitem__)
    year = monthly[12:] if surge >= 12 else monthly[:12]
    assert 2.5 <= monthly[surge] / (sum(year) / 12) <= 3.5
    assert sorted(monthly)[-2] < monthly[surge] / 2  # only one


def test_shape_difficult_share_talk_and_abandonment(history) -> None:
    answered = sum(r.answered for r in history)
    assert 0.27 <= sum(r.difficult for r in history) / answered <= 0.33
    handle_minutes = sum(r.handle_seconds for r in history) / answered / 60
    assert 23 <= handle_minutes <= 27  # talk ~20 min + wrap-up ~5
    by_weekday: Counter[int] = Counter()
    by_hour: Counter[int] = Counter()
    for r in history:
        local = r.start_utc.astimezone(TZ)
        by_weekday[local.weekday()] += r.offered
        by_hour[local.hour] += r.offered
    assert by_weekday[0] > by_weekday[4]  # Mondays busier than Fridays
    assert by_hour[11] > by_hour[9] and by_hour[15] > by_hour[13]
    abandoned = sum(r.abandoned for r in history) / sum(r.offered for r in history)
    assert 0.02 <= abandoned <= 0.15
    assert all(r.answered + r.abandoned == r.offered for r in history)


def test_abandonment_rises_in_the_surge(history, monthly) -> None:
    bounds = month_starts(SAMPLE_LAST_DAY)
    surge = max(range(24), key=monthly.__getitem__)

    def share(month: int) -> float:
        rows = [
            r
            for r in history
            if bounds[month] <= r.start_utc.astimezone(TZ).date() < bounds[month + 1]
        ]
        return sum(r.abandoned for r in rows) / sum(r.offered for r in rows)

    assert share(surge) > 2 * share(surge - 1)


def test_deterministic_from_the_seed(history) -> None:
    assert demo_history(SAMPLE_LAST_DAY) == history
    assert demo_history(SAMPLE_LAST_DAY, seed=1) != history


def test_sunday_before() -> None:
    assert sunday_before(date(2026, 11, 23)) == date(2026, 11, 22)
    assert sunday_before(date(2026, 11, 22)) == date(2026, 11, 15)
    assert sunday_before(date(2026, 11, 28)) == date(2026, 11, 22)


def test_staff_cover_the_domain(tmp_path: Path) -> None:
    staff = demo_staff()
    assert 9 <= len(staff) <= 12
    skills = Counter(s for m in staff for s in m.skills)
    assert skills[Skill.SUPERVISOR] >= 2 and skills[Skill.LAWYER] == 1
    assert skills[Skill.DIGITAL_SECURITY] == 1
    assert {"ur", "en", "pa"} <= {lang for m in staff for lang in m.languages}
    assert any(m.employment == "part_time" for m in staff)
    assert any("psychologist" in m.display_name and Skill.SUPERVISOR in m.skills for m in staff)


def test_committed_samples_are_what_write_samples_writes(tmp_path: Path) -> None:
    written = write_samples(tmp_path)
    for path in written:
        assert path.read_bytes() == (SAMPLES_DIR / path.name).read_bytes(), path.name
    site = json.loads((SAMPLES_DIR / "demo_site.json").read_text())
    SiteProfile.model_validate(site["site"])
    staff = [
        StaffMember.model_validate(s)
        for s in json.loads((SAMPLES_DIR / "demo_staff.json").read_text())
    ]
    assert staff_json(staff) == staff_json(demo_staff())
    read = read_call_history_csv(
        SAMPLES_DIR / "demo_call_history.csv", site_timezone="Asia/Karachi", interval_minutes=30
    )
    assert read.records == demo_history(SAMPLE_LAST_DAY)


def test_seed_demo_once_then_never_again(engine) -> None:
    with session_scope(engine) as session:
        first = seed_demo(session=session, last_day=SAMPLE_LAST_DAY)
    with session_scope(engine) as session:
        counts = [
            session.exec(select(func.count()).select_from(t)).one()
            for t in (CallInterval, Staff, AuditLog)
        ]
        second = seed_demo(session=session, last_day=date(2026, 12, 6))
    with session_scope(engine) as session:
        after = [
            session.exec(select(func.count()).select_from(t)).one()
            for t in (CallInterval, Staff, AuditLog)
        ]
    assert first.seeded and not second.seeded
    assert "already has a site" in second.message
    assert after == counts

    with session_scope(engine) as session:
        isb, site = list_sites(session=session)
        assert site.is_demo and site.name == SITE_NAME
        assert isb.is_demo and isb.name == ISB_SITE_NAME
        isb_profile = get_site_profile(session=session, site_id=isb.id)
        assert {(w.start_minute, w.end_minute) for w in isb_profile.opening_hours} == {(600, 960)}
        isb_staff = list_staff(session=session, site_id=isb.id)
        assert len([m for m in isb_staff if Skill.COUNSELLOR in m.skills]) == 4
        isb_calls = sum(r.offered for r in load_call_history(session=session, site_id=isb.id))
        assert isb_calls > 0
        assert allowed_site_ids(session=session, username="demo-manager") == [site.id]
        assert allowed_site_ids(session=session, username="demo-manager-isb") == [isb.id]
        assert allowed_site_ids(session=session, username="demo-leadership") is None
        profile = get_site_profile(session=session, site_id=site.id)
        assert len(profile.opening_hours) == 7 and profile.interval_minutes == 30
        settings = get_staffing_settings(session=session, site_id=site.id)
        assert settings.floors.languages_required == ("ur",)
        assert {c.skill for c in settings.floors.specialist_cover} == {
            Skill.LAWYER,
            Skill.DIGITAL_SECURITY,
        }
        staff = list_staff(session=session, site_id=site.id)
        assert [m.display_name for m in staff] == sorted(m.display_name for m in demo_staff())
        assert any(m.leave for m in staff)
        history = load_call_history(session=session, site_id=site.id)
        assert history == demo_history(SAMPLE_LAST_DAY)
        accounts = {a.username: a for a in list_accounts(session=session)}
    assert set(accounts) == {a.username for a in DEMO_ACCOUNTS}
    assert {a.role for a in accounts.values()} == set(Role)
    by_id = {int(m.id): m for m in staff}
    assert Skill.COUNSELLOR in by_id[accounts["demo-staff"].staff_id].skills
    assert "psychologist" in by_id[accounts["demo-supervisor"].staff_id].display_name
    demo = next(a for a in DEMO_ACCOUNTS if a.role == Role.MANAGER)
    with session_scope(engine) as session:
        assert authenticate(session=session, username=demo.username, password=demo.password).ok


def test_no_demo_once_a_real_install_has_an_account(engine) -> None:
    from data.accounts import create_account
    from data.models import AccountCreate

    with session_scope(engine) as session:
        create_account(
            session=session,
            account_in=AccountCreate(username="root", password="a real admin pass", role="admin"),
            actor="cli",
        )
        result = seed_demo(session=session)
    assert not result.seeded and "accounts" in result.message
