"""Run the Curtois & Qu benchmark: solve each instance, score the roster independently and
compare with the published lower bound and best known value."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from scheduling.benchmark.instance import read_instance
from scheduling.benchmark.score import score, write_solution
from scheduling.benchmark.solve import SearchOptions, solve_instance

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO.parent / "shared" / "benchmarks" / "curtois-qu"
COLUMNS = (
    "instance",
    "objective",
    "best_known",
    "lower_bound",
    "gap_pct",
    "solver_bound",
    "status",
    "time_to_best_s",
    "wall_s",
    "scorer_objective",
    "scorer_agrees",
    "hard_rules_broken",
)


@dataclass(frozen=True)
class Published:
    lower_bound: int
    best_known: int


@dataclass
class Row:
    instance: str
    objective: int | None
    best_known: int | None
    lower_bound: int | None
    gap_pct: float | None  # objective over the best known value, in %
    solver_bound: float | None
    status: str
    time_to_best_s: float | None
    wall_s: float
    scorer_objective: int | None
    scorer_agrees: bool
    hard_rules_broken: int


def parse_instances(text: str, highest: int = 24) -> list[int]:
    """ "1-12", "3", "1,4,7-9" -> instance numbers; ValueError naming the bad part."""
    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            raise ValueError(f"expected instance numbers like 1-12 or 1,3,5, got {part!r}")
        a, b = int(lo), int(hi) if sep else int(lo)
        if not 1 <= a <= b <= highest:
            raise ValueError(f"instances run from 1 to {highest}, got {part!r}")
        out.extend(n for n in range(a, b + 1) if n not in out)
    return out


def read_published(folder: Path) -> dict[str, Published]:
    path = folder / "best_known.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            r["instance"]: Published(int(r["lower_bound"]), int(r["best_known"]))
            for r in csv.DictReader(fh)
        }


def run_benchmark(
    folder: Path,
    numbers: Sequence[int],
    *,
    time_limit: float,
    workers: int,
    solutions: Path | None = None,
    options: SearchOptions | None = None,
    progress: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Solve each InstanceN.txt of the folder (OSError / InstanceFormatError propagate)."""
    published = read_published(folder)
    rows = []
    for n in numbers:
        inst = read_instance(folder / f"Instance{n}.txt")
        res = solve_instance(inst, time_limit=time_limit, workers=workers, options=options)
        roster = [(e, d, t) for (e, d), t in res.roster.items()]
        sc = score(inst, roster) if res.objective is not None else None
        if solutions is not None and res.objective is not None:
            solutions.mkdir(parents=True, exist_ok=True)
            write_solution(solutions / f"{inst.name}.csv", roster)
        pub = published.get(inst.name)
        gap = None
        if pub and res.objective is not None and pub.best_known:
            gap = round(100 * (res.objective - pub.best_known) / pub.best_known, 2)
        row = Row(
            instance=inst.name,
            objective=res.objective,
            best_known=pub.best_known if pub else None,
            lower_bound=pub.lower_bound if pub else None,
            gap_pct=gap,
            solver_bound=round(res.bound, 1) if res.bound is not None else None,
            status=res.status,
            time_to_best_s=round(res.best_seconds, 2) if res.best_seconds is not None else None,
            wall_s=round(res.wall_seconds, 2),
            scorer_objective=sc.objective if sc else None,
            scorer_agrees=sc is not None and sc.feasible and sc.objective == res.objective,
            hard_rules_broken=len(sc.violations) if sc else 0,
        )
        rows.append(row)
        if progress:
            progress(row)
    return rows


def write_rows(path: Path, rows: Sequence[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if v is None else v) for k, v in asdict(r).items()})
