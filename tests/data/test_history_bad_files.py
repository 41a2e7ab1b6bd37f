"""A corpus of bad call-history files through the import, on SQLite and PostgreSQL: each is
refused with HistoryFileError (never another exception), nothing is written, and every
problem names its line (and its field, where a field is at fault). Two imports of the same
intervals at once both succeed."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from data.call_history import import_call_history, load_call_history
from data.db import session_scope
from data.models import CallInterval
from scheduling.history import HistoryFileError

HEADER = "interval_start,offered,answered,abandoned,handle_seconds,difficult\n"
GOOD_ROW = "2026-11-16 09:00,3,2,1,3000,1\n"

# name -> (file text, field the first problem must name, or None for a whole-line problem)
CORPUS: dict[str, tuple[str, str | None]] = {
    "a 20-digit count": (HEADER + "2026-11-16 09:00," + "9" * 20 + ",1,0,0,0\n", "offered"),
    "a count past the cap": (HEADER + "2026-11-16 09:00,1000001,1,0,0,0\n", "offered"),
    "20-digit handle time": (
        HEADER + "2026-11-16 09:00,3,2,1," + "9" * 20 + ",0\n",
        "handle_seconds",
    ),
    "year 1": (HEADER + "0001-01-01 00:00,1,1,0,0,0\n", "interval_start"),
    "year 1 with an offset": (HEADER + "0001-01-01T00:00+05:00,1,1,0,0,0\n", "interval_start"),
    "year 9999": (HEADER + "9999-12-31 23:30,1,1,0,0,0\n", "interval_start"),
    "year 2126": (HEADER + "2126-11-11 09:00,1,1,0,0,0\n", "interval_start"),
    "a cell over 131,072 characters": (HEADER + GOOD_ROW + "x" * 140_000 + ",1,1,0,0,0\n", None),
    "a quoted cell over the limit": (HEADER + '"' + "y" * 140_000 + '",1,1,0,0,0\n', None),
    "a long bad count": (HEADER + "2026-11-16 09:00," + "z" * 100_000 + ",1,0,0,0\n", "offered"),
    "per call in year 9999": ("timestamp,outcome\n9999-12-31 23:59,answered\n", "timestamp"),
    "a NUL byte": (HEADER + "2026-11-16 09:00,1\x00,1,0,0,0\n", "offered"),
    "negative": (HEADER + "2026-11-16 09:00,-1,0,0,0,0\n", "offered"),
}


def _count(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(CallInterval)).one()


def _refused(engine, site_id: int, text: str) -> HistoryFileError:
    with pytest.raises(HistoryFileError) as refused, session_scope(engine) as session:
        import_call_history(session=session, site_id=site_id, source=io.StringIO(text), actor="m")
    return refused.value


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_bad_file_is_refused_by_line_and_field(engine, site_id, name: str) -> None:
    text, field = CORPUS[name]
    error = _refused(engine, site_id, text)
    problem = error.problems[0]
    assert problem.line >= 2
    assert problem.field == field
    assert len(str(error)) < 400  # a long bad value is shown by its start, not whole
    assert _count(engine) == 0


BAD_CELLS = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=10**12, max_value=10**40).map(str),
    st.integers(max_value=-1).map(str),
    st.sampled_from(["", "nan", "inf", "1e400", "0x10", "1,5", "½", "٣"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(column=st.sampled_from(range(6)), cell=BAD_CELLS)
def test_generated_bad_cells_are_refused_or_read_never_raised(
    engine, site_id, column, cell
) -> None:
    row = GOOD_ROW.rstrip("\n").split(",")
    row[column] = cell.replace(",", ";").replace("\n", " ").replace("\r", " ").replace('"', "'")
    text = HEADER + ",".join(row) + "\n"
    before = _count(engine)
    try:
        with session_scope(engine) as session:
            import_call_history(
                session=session, site_id=site_id, source=io.StringIO(text), actor="m"
            )
    except HistoryFileError as exc:
        assert all(p.line >= 1 for p in exc.problems)
        assert _count(engine) == before
    else:
        with session_scope(engine) as session:
            assert load_call_history(session=session, site_id=site_id)


def test_two_imports_of_the_same_intervals_at_once_both_succeed(engine, site_id) -> None:
    rows = "".join(
        f"2026-11-16 {9 + i // 2:02d}:{30 * (i % 2):02d},3,2,1,3000,1\n" for i in range(16)
    )
    text = HEADER + rows
    for _ in range(4):
        barrier = threading.Barrier(2)

        def run(_: int, barrier: threading.Barrier = barrier) -> int:
            barrier.wait()
            with session_scope(engine) as session:
                result = import_call_history(
                    session=session, site_id=site_id, source=io.StringIO(text), actor="m"
                )
            return result.counts.inserted

        with ThreadPoolExecutor(2) as pool:
            inserted = list(pool.map(run, range(2)))
        assert sum(inserted) <= 16
    assert _count(engine) == 16
