from datetime import UTC, datetime, timedelta

from scheduling.roster.schema import Activity, ActivitySegment, PlannedShift
from wellbeing.decompression import OffQueue
from wellbeing.intraday import IntervalNeed, PersonToday, needs_from_requirements, recheck_today


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 3, 2, h, m, tzinfo=UTC)


def needs(required: int = 2, first: int = 9, last: int = 17) -> list[IntervalNeed]:
    out = []
    t = at(first)
    while t < at(last):
        out.append(IntervalNeed(start=t, end=t + timedelta(minutes=30), required=required))
        t += timedelta(minutes=30)
    return out


def shift(sid: str, start: datetime, end: datetime, *segs) -> PlannedShift:
    return PlannedShift(
        staff_id=sid,
        start=start,
        end=end,
        activities=tuple(ActivitySegment(activity=a, start=s, end=e) for a, s, e in segs),
    )


def line(sid: str, start: datetime, end: datetime) -> PlannedShift:
    return shift(sid, start, end, (Activity.LINE, start, end))


def test_only_remaining_intervals_are_checked() -> None:
    check = recheck_today(
        needs(), [line("a", at(9), at(17)), line("b", at(9), at(17))], [], at(14, 10)
    )
    assert check.intervals[0].start == at(14)
    assert len(check.intervals) == 6
    assert check.ok


def test_someone_off_the_queue_leaves_one_alone_and_is_flagged() -> None:
    roster = [line("a", at(9), at(17)), line("b", at(9), at(17))]
    off = [OffQueue(staff_id="a", until=at(14, 40))]
    check = recheck_today(needs(), roster, off, at(14, 30))
    first = check.intervals[0]
    assert first.on_line == 1 and first.off_queue_ids == ("a",)
    assert first.below_floor
    assert [f.kind for f in check.flags] == ["below_floor"]
    assert "fewer than the floor of 2" in check.flags[0].message
    # from 15:00 "a" is back
    assert check.intervals[1].on_line == 2
    assert check.off_queue == tuple(off)


def test_back_before_the_interval_counts() -> None:
    roster = [line("a", at(9), at(17)), line("b", at(9), at(17))]
    check = recheck_today(needs(), roster, [OffQueue(staff_id="a", until=at(15))], at(14, 50))
    assert check.intervals[1].start == at(15) and check.intervals[1].on_line == 2


def test_below_requirement_but_above_floor() -> None:
    roster = [line(s, at(9), at(17)) for s in "abc"]
    check = recheck_today(needs(required=3), roster, [OffQueue(staff_id="c", until=at(16))], at(15))
    kinds = {f.start: f.kind for f in check.flags}
    assert kinds == {at(15): "below_requirement", at(15, 30): "below_requirement"}


def test_meal_and_offline_time_are_not_on_the_line() -> None:
    roster = [
        shift(
            "a",
            at(9),
            at(17),
            (Activity.LINE, at(9), at(12)),
            (Activity.MEAL, at(12), at(12, 30)),
            (Activity.OFFLINE, at(12, 30), at(13)),
            (Activity.LINE, at(13), at(17)),
        ),
        line("b", at(9), at(17)),
    ]
    check = recheck_today(needs(), roster, [], at(11, 50))
    by_start = {c.start: c.on_line for c in check.intervals}
    assert by_start[at(12)] == 1 and by_start[at(12, 30)] == 1 and by_start[at(13)] == 2


def test_cover_suggestions_rank_offline_work_before_off_shift() -> None:
    roster = [
        line("a", at(9), at(17)),
        line("b", at(9), at(17)),
        shift("c", at(9), at(17), (Activity.OFFLINE, at(9), at(17))),
    ]
    people = [
        PersonToday(staff_id="d", display_name="Dana", line_minutes_left_week=600),
        PersonToday(staff_id="c", display_name="Chen", line_minutes_left_today=120),
        PersonToday(staff_id="e", display_name="Eli", available_from=at(18)),
        PersonToday(staff_id="f", display_name="Fay", line_minutes_left_week=0),
    ]
    off = [OffQueue(staff_id="a", until=at(15))]
    check = recheck_today(needs(), roster, off, at(14, 30), people)
    assert [(s.rank, s.staff_id, s.kind) for s in check.suggestions] == [
        (1, "c", "on_shift_offline"),
        (2, "d", "off_shift"),
    ]
    assert "off-line work" in check.suggestions[0].why
    assert "2 h of line time left today" in check.suggestions[0].why
    assert check.suggestions[1].covers == (at(14, 30),)


def test_a_person_off_the_queue_is_never_suggested() -> None:
    roster = [line("a", at(9), at(17))]
    people = [PersonToday(staff_id="a", display_name="Ann")]
    check = recheck_today(needs(), roster, [OffQueue(staff_id="a", until=at(17))], at(14), people)
    assert check.suggestions == ()


def test_no_flags_no_suggestions() -> None:
    roster = [line("a", at(9), at(17)), line("b", at(9), at(17))]
    people = [PersonToday(staff_id="d", display_name="Dana")]
    assert recheck_today(needs(), roster, [], at(10), people).suggestions == ()


def test_a_higher_floor_from_decompression_cover_is_flagged() -> None:
    roster = [line(s, at(9), at(17)) for s in "ab"]
    raised = [n.model_copy(update={"floor": 3}) for n in needs(required=2)]
    check = recheck_today(raised, roster, [], at(16))
    assert all(f.kind == "below_floor" for f in check.flags) and len(check.flags) == 2


def test_needs_from_requirements_keep_today_and_open_intervals() -> None:
    from scheduling.staffing.requirement_types import IntervalRequirement

    def req(h: int, required: int, binding: str = "queue") -> IntervalRequirement:
        return IntervalRequirement(
            start=at(h),
            end=at(h) + timedelta(minutes=30),
            forecast_calls=1,
            band_low=0,
            band_high=2,
            required=required,
            queue_required=1,
            workload_erlangs=0.5,
            binding=binding,
        )

    reqs = [req(8, 0, "closed"), req(9, 3), req(10, 2), req(23, 2)]
    out = needs_from_requirements(reqs, at(0), at(23), floor=2)
    assert [(n.start, n.required, n.floor) for n in out] == [(at(9), 3, 2), (at(10), 2, 2)]
