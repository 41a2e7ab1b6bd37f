"""Scenario evaluations in a worker thread: the page starts the job on Run, keeps it in
st.session_state and polls it, drawing the progress bar. The thread never touches Streamlit;
it evaluates each scenario (the roster engine included) and reports progress through a queue.
One job runs at a time per server process (the machine is small; CP-SAT is busy enough)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scheduling.scenarios import Baseline, EvaluateOptions, Scenario, ScenarioResult, evaluate
from scheduling.sweep import cache_key

log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class ScenarioJob:
    names: list[str]
    events: queue.Queue[tuple[float, str]] = field(default_factory=queue.Queue)
    last: tuple[float, str] = (0.0, "waiting for another run to finish")
    # cache key -> {"summary", "monthly", "notes", "inputs"}, in the scenarios' order
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    def progress(self) -> tuple[float, str]:
        while True:
            try:
                self.last = self.events.get_nowait()
            except queue.Empty:
                return self.last


def evaluated(scenario: Scenario, result: ScenarioResult) -> dict[str, Any]:
    """What the page keeps of one evaluation (plain JSON, as it is saved)."""
    return {
        "summary": result.summary(),
        "monthly": [
            {"scenario": scenario.name, **m.model_dump(mode="json")} for m in result.months
        ],
        "notes": list(result.notes),
        "inputs": scenario.model_dump(mode="json"),
    }


def _run(
    job: ScenarioJob,
    baseline: Baseline,
    scenarios: Sequence[Scenario],
    options: EvaluateOptions,
    known: dict[str, dict[str, Any]],
) -> None:
    try:
        with _ONE_AT_A_TIME:
            n = len(scenarios)
            for i, (scenario, key) in enumerate(zip(scenarios, job.keys, strict=True)):
                if key in known:
                    job.results[key] = known[key]
                    continue

                def report(share: float, what: str, i: int = i, name: str = scenario.name) -> None:
                    job.events.put((min(1.0, (i + share) / n), f"{name}: {what}"))

                r = evaluate(baseline, scenario, options=options, progress=report)
                job.results[key] = evaluated(scenario, r)
            job.events.put((1.0, "done"))
    except Exception as exc:  # shown on the page; the traceback goes to the server log
        log.exception("scenario evaluation failed")
        job.error = f"{type(exc).__name__}: {exc}"
    finally:
        job.done.set()


def start_scenario_job(
    baseline: Baseline,
    scenarios: Sequence[Scenario],
    options: EvaluateOptions,
    known: dict[str, dict[str, Any]],
) -> ScenarioJob:
    """Evaluate `scenarios` in a thread; results already in `known` (by cache key) are reused."""
    b_json, o_json = baseline.model_dump_json(), options.model_dump_json()
    job = ScenarioJob(names=[s.name for s in scenarios])
    job.keys = [cache_key(b_json, s.model_dump_json(), o_json) for s in scenarios]
    threading.Thread(
        target=_run, args=(job, baseline, list(scenarios), options, dict(known)), daemon=True
    ).start()
    return job
