"""The quarterly check-in: the Copenhagen Burnout Inventory (Kristensen et al. 2005).

19 items in three subscales (personal 6, work-related 7, client-related 6). Each answer is one
of five options scored 100/75/50/25/0 (the reversed item the other way round); a subscale
score is the mean of its answered items, given when at least half of them are answered;
50 or more is the usual burnout threshold. The item text and its citation live in
questionnaires/cbi.json. Scores screen; they do not diagnose.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from scheduling.domain import Frozen

CBI_FILE = Path(__file__).resolve().parent / "questionnaires" / "cbi.json"
SUBSCALES = ("personal", "work", "client")
OPTIONS = 5  # an answer is the index of its option, 0 (first listed) to 4


class CbiItem(Frozen):
    id: str
    subscale: str
    scale: str
    text: str
    reversed: bool = False


class Questionnaire(Frozen):
    name: str
    short_name: str
    citation: str
    licence: str
    adaptation: str = ""
    scales: dict[str, list[tuple[str, int]]]
    subscales: dict[str, str]
    threshold: float
    items: tuple[CbiItem, ...]

    def options(self, item: CbiItem) -> list[str]:
        return [label for label, _ in self.scales[item.scale]]


class CbiScores(Frozen):
    """Subscale scores 0-100 (None when fewer than half the subscale's items were answered)."""

    personal: float | None = Field(default=None, ge=0, le=100)
    work: float | None = Field(default=None, ge=0, le=100)
    client: float | None = Field(default=None, ge=0, le=100)

    def of(self, subscale: str) -> float | None:
        value: float | None = getattr(self, subscale)
        return value

    def above_threshold(self, threshold: float = 50.0) -> list[str]:
        return [s for s in SUBSCALES if (v := self.of(s)) is not None and v >= threshold]


@lru_cache(maxsize=1)
def cbi() -> Questionnaire:
    raw = json.loads(CBI_FILE.read_text(encoding="utf-8"))
    questionnaire = Questionnaire.model_validate(raw)
    counts = {s: sum(i.subscale == s for i in questionnaire.items) for s in SUBSCALES}
    if counts != {"personal": 6, "work": 7, "client": 6}:
        raise ValueError(f"{CBI_FILE}: expected 6/7/6 items per subscale, found {counts}")
    return questionnaire


def item_score(item: CbiItem, answer: int, questionnaire: Questionnaire | None = None) -> int:
    """The 0-100 score of one answer (the option's index as listed in the file)."""
    if not 0 <= answer < OPTIONS:
        raise ValueError(f"item {item.id}: expected an answer 0-{OPTIONS - 1}, got {answer}")
    points = (questionnaire or cbi()).scales[item.scale][answer][1]
    return 100 - points if item.reversed else points


def score_cbi(answers: Mapping[str, int | None]) -> CbiScores:
    """Subscale scores from answers keyed by item id; unknown ids are refused."""
    questionnaire = cbi()
    known = {i.id for i in questionnaire.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"unknown check-in item(s): {', '.join(unknown)}")
    scores: dict[str, float | None] = {}
    for subscale in SUBSCALES:
        items = [i for i in questionnaire.items if i.subscale == subscale]
        points = [
            item_score(i, answer, questionnaire)
            for i in items
            if (answer := answers.get(i.id)) is not None
        ]
        scores[subscale] = statistics.fmean(points) if len(points) * 2 >= len(items) else None
    return CbiScores(**scores)


def quarter_of(day: date) -> str:
    """'2026-Q4': a person answers once per quarter."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def median_scores(scores: Sequence[CbiScores]) -> CbiScores:
    """Per-subscale medians (callers apply the group-size rule first)."""
    out: dict[str, float | None] = {}
    for subscale in SUBSCALES:
        values = [v for s in scores if (v := s.of(subscale)) is not None]
        out[subscale] = statistics.median(values) if values else None
    return CbiScores(**out)
