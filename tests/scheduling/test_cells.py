"""Text that a spreadsheet would run is made inert; everything else is left as it was."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scheduling.cells import FORMULA_STARTS, inert, inert_frame


@given(st.text())
def test_no_text_cell_starts_a_formula_and_nothing_is_lost(text: str) -> None:
    out = inert(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out in (text, "'" + text)
    assert out == text or text.startswith(FORMULA_STARTS)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none()))
def test_numbers_are_left_alone(value: object) -> None:
    assert inert(value) == value


def test_a_frame_keeps_its_numbers_and_neutralises_its_text() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "Sana"], "shortfall": [-1, 2]})
    out = inert_frame(frame)
    assert out["name"].tolist() == ["'=1+1", "Sana"]
    assert out["shortfall"].tolist() == [-1, 2]
    assert frame["name"].tolist() == ["=1+1", "Sana"]  # the input is not changed
