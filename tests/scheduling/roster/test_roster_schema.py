"""The instance and solution files: JSON Schemas in docs/ are current, bad input is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from scheduling.roster.schema import RosterInstance, json_schema_texts
from tests.scheduling.roster.rosterkit import MONDAY, at, instance, member

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("name", sorted(json_schema_texts()))
def test_committed_json_schemas_are_current(name):
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == json_schema_texts()[name], (
        f"docs/{name} is stale: run `python -m scheduling.roster.schema`"
    )


def test_instance_round_trips_through_json():
    inst = instance([member("a"), member("b")], days=(0, 1))
    assert RosterInstance.model_validate_json(inst.model_dump_json()) == inst
    assert '"2025-03-03T09:00:00+05:00"' in inst.model_dump_json()


def test_week_must_start_on_a_monday():
    inst = instance([member("a")])
    raw = inst.model_dump(mode="json") | {"week_start": "2025-03-04"}
    with pytest.raises(ValidationError, match="not a Monday"):
        RosterInstance.model_validate(raw)


def test_duplicate_staff_and_unknown_published_staff_are_named():
    with pytest.raises(ValidationError, match="duplicate id"):
        instance([member("a"), member("a")])
    raw = instance([member("a")]).model_dump(mode="json")
    raw["published"] = [
        {"staff_id": "zz", "start": at(0, "09:00").isoformat(), "end": at(0, "13:00").isoformat()}
    ]
    with pytest.raises(ValidationError, match="unknown staff_id 'zz'"):
        RosterInstance.model_validate(raw)


def test_times_must_carry_an_offset():
    raw = instance([member("a")]).model_dump(mode="json")
    raw["intervals"][0]["start"] = f"{MONDAY}T09:00:00"
    with pytest.raises(ValidationError, match="timezone"):
        RosterInstance.model_validate(raw)
