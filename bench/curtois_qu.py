"""Curtois & Qu benchmark: the roster engine's benchmark model on the 24 public instances.

  .venv/bin/python bench/curtois_qu.py [--instances 1-12] [--time-limit S] [--workers 2]
                                       [--variant NAME ...] [--seed N] [--dir FOLDER]

Without --time-limit, instances 1-12 get 60 s and 13-24 get 120 s. Each --variant is a search
setting measured on its own (default: the shipped settings only):
  base       the shipped settings (LP-heavy subsolver pair, symmetry breaking)
  cpdefault  CP-SAT's own choice of subsolvers
  interleave CP-SAT's own subsolvers, interleaved (LNS included) on the 2 workers
  lp_default max_lp next to default_lp instead of core
  nosym      no symmetry breaking between interchangeable staff
  hint       a quick first pass whose roster hints the main solve
  lns        the main solve on 30% of the time, then LNS by weeks / by people (always)
  nolns      no LNS (base turns it on from 6 weeks or 30 people)
  construct  a first roster person by person, improved a few people at a time, no whole
             model (base does this from 8 weeks above 100,000 candidate shifts)
  hinted     a first roster person by person hints the whole model, then LNS (base does
             this from 8 weeks up to 100,000 candidate shifts)
  hinted_nolns  the same hint, no LNS after the whole model
  noconstruct  the whole model from scratch whatever the size
  people     the last half of the time improves the roster four people at a time
--seed sets CP-SAT's random seed (default 0): the run-to-run spread on 2 cores is as large as
some of the aims, so a setting is worth comparing over a few seeds. Prints one line per
instance and variant; merges the figures into
bench/results/curtois_qu.json (keyed by variant and instance).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.benchmark.run import DEFAULT_DIR, parse_instances, run_benchmark
from scheduling.benchmark.solve import SearchOptions

VARIANTS = {
    "base": SearchOptions(),
    "cpdefault": SearchOptions(subsolvers=()),
    "interleave": SearchOptions(subsolvers=(), interleave=True),
    "lp_default": SearchOptions(subsolvers=("max_lp", "default_lp")),
    "nosym": SearchOptions(symmetry=False),
    "hint": SearchOptions(first_pass=True),
    "lns": SearchOptions(lns=True),
    "nolns": SearchOptions(lns=False),
    "construct": SearchOptions(construct=True, whole_model_upto=0),
    "hinted": SearchOptions(construct=True, whole_model_upto=10**9),
    "hinted_nolns": SearchOptions(construct=True, whole_model_upto=10**9, lns=False),
    "noconstruct": SearchOptions(construct=False),
    "people": SearchOptions(people_share=0.5),
}
OUT = Path(__file__).resolve().parent / "results" / "curtois_qu.json"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", default="1-24")
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = ap.parse_args()
    numbers = parse_instances(args.instances)
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results["machine"] = {"cpus": os.cpu_count(), "load_1min": os.getloadavg()[0]}
    for name in args.variant or ["base"]:
        for n in numbers:
            limit = args.time_limit or (60.0 if n <= 12 else 120.0)
            options = replace(VARIANTS[name], seed=args.seed)
            (row,) = run_benchmark(
                args.dir, [n], time_limit=limit, workers=args.workers, options=options
            )
            rec = asdict(row) | {
                "time_limit_s": limit,
                "workers": args.workers,
                "seed": args.seed,
                "load_1min": round(os.getloadavg()[0], 2),
            }
            results.setdefault(name, {})[row.instance] = rec
            print(
                f"{name:9s} seed {args.seed} {row.instance:10s} {row.status:8s} "
                f"obj {row.objective} "
                f"best known {row.best_known} gap {row.gap_pct}% bound {row.solver_bound} "
                f"best at {row.time_to_best_s}s scorer {'ok' if row.scorer_agrees else 'NO'} "
                f"load {rec['load_1min']}",
                flush=True,
            )
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
