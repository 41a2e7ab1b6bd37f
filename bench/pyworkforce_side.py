"""The pyworkforce half of bench/staffing.py, run in its own interpreter.

pyworkforce 0.5.4 needs Python >= 3.12 (the project is on 3.11), so it lives in
bench/.venv-pyworkforce and this script is run there with the job as JSON on stdin; it prints
the answers and timings as JSON on stdout. It imports nothing from the project.
"""

from __future__ import annotations

import json
import sys
import time


def run(job: dict) -> dict:
    import pyworkforce
    from pyworkforce.queuing import ErlangA, ErlangC

    out = {}
    for name, case in job["cases"].items():
        best = float("inf")
        raw: list[int] = []
        sl: list[float] = []
        for _ in range(case["repeats"]):
            t0 = time.perf_counter()
            raw, sl = [], []
            for calls in case["calls"]:
                if calls <= 0:  # pyworkforce refuses zero traffic
                    raw.append(0)
                    sl.append(1.0)
                    continue
                common = {
                    "transactions": calls,
                    "aht": job["aht_min"],
                    "asa": job["target_min"],
                    "interval": job["interval_min"],
                }
                if case["model"] == "c":
                    r = ErlangC(**common, shrinkage=0.0).required_positions(
                        service_level=job["service_level"], max_occupancy=job["max_occupancy"]
                    )
                else:
                    r = ErlangA(**common, patience=job["patience_min"]).required_positions(
                        service_level=job["service_level"],
                        max_abandonment=1.0 - job["answered_share"],
                    )
                raw.append(int(r["raw_positions"]))
                sl.append(float(r["service_level"]))
            best = min(best, time.perf_counter() - t0)
        out[name] = {"seconds": best, "raw_positions": raw, "service_level": sl}
    return {"version": getattr(pyworkforce, "__version__", "?"), "cases": out}


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
