"""The engine's fold, CPU per event: ``load_log`` + ``fold_log`` from ``empty_state()``.

What ``momentum doctor`` spends between reading the file and comparing (SPEC v2 §8), on a
copy of a generated history (:mod:`bench.generate`). Each run is a fresh interpreter
timing ``time.process_time`` around the load and the fold (the load read lazily, as the
doctor does, and once more materialised first, to split it from the fold). With
``--before DIR`` (e.g. ``git archive main`` unpacked in DIR) the same runs are made with
DIR's ``momentum_app`` first on the path, alternating with this tree's, so that both
sides see the same load on the machine; medians are printed, and the ratio.

    .venv/bin/python -m bench.fold_bench [--sizes 10k 100k] [--runs 5] [--before DIR]
                                         [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from .generate import OUT_DIR, ensure_history, parse_size, size_label

ROOT = Path(__file__).resolve().parent.parent

#: The child: one timed load + fold of the file in argv[1]; prints a JSON line.
CHILD = """
import json, sys, time
from sqlalchemy import create_engine
import momentum_app
from momentum_app.core.engine.state import empty_state
from momentum_app.core.services.doctor import fold_log, load_log
engine = create_engine("sqlite:///" + sys.argv[1])
with engine.connect() as conn:
    started = time.process_time()
    defs, events = load_log(conn)
    builder, count = fold_log(empty_state(), events, defs)
    whole = time.process_time() - started
    started = time.process_time()
    defs, events = load_log(conn)
    events = list(events)
    loaded = time.process_time()
    fold_log(empty_state(), iter(events), defs)
    folded = time.process_time()
print(json.dumps({"events": count, "cpu_s": whole, "load_cpu_s": loaded - started,
                  "fold_cpu_s": folded - loaded, "points": builder.top.counter(
                      1, ("global", "points_total")), "code": momentum_app.__file__}))
"""


def one_run(path: Path, code: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, check=True,
                         capture_output=True, text=True, cwd=code or ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    expected = (code or ROOT).resolve()
    if not Path(result["code"]).resolve().is_relative_to(expected):
        raise SystemExit(f"ran {result['code']}, not the code in {expected}")
    return result


def run(sizes: list[int], runs: int, before: Path | None) -> dict[str, Any]:
    results: dict[str, Any] = {"load_average": [os.getloadavg()], "sizes": {}}
    work = OUT_DIR / "work"
    work.mkdir(parents=True, exist_ok=True)
    for events in sizes:
        history = ensure_history(events)
        label = size_label(events)
        path = work / f"fold-{label}.sqlite3"
        shutil.copyfile(history.path, path)
        sides: dict[str, list[dict[str, Any]]] = {"after": []}
        if before is not None:
            sides["before"] = []
        try:
            for _ in range(runs):
                for side in sides:
                    sides[side].append(one_run(path, before if side == "before" else None))
        finally:
            path.unlink(missing_ok=True)
        entry: dict[str, Any] = {}
        for side, found in sides.items():
            entry[side] = {key: round(statistics.median(r[key] for r in found), 4)
                           for key in ("cpu_s", "load_cpu_s", "fold_cpu_s")}
            entry[side]["us_per_event"] = round(entry[side]["cpu_s"] / events * 1e6, 1)
            entry[side]["fold_us_per_event"] = round(
                entry[side]["fold_cpu_s"] / events * 1e6, 1)
            entry[side]["all_cpu_s"] = [round(r["cpu_s"], 3) for r in found]
            entry[side]["points"] = sorted({r["points"] for r in found})
        if before is not None:
            if entry["before"]["points"] != entry["after"]["points"]:
                raise SystemExit(f"{label}: the folds differ: {entry}")
            entry["after_over_before"] = round(entry["after"]["cpu_s"]
                                               / entry["before"]["cpu_s"], 3)
        results["sizes"][label] = entry
        print(label, json.dumps(entry), flush=True)
    results["load_average"].append(os.getloadavg())
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fold_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="a source tree to compare with")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    results = run([parse_size(s) for s in args.sizes], args.runs, args.before)
    print("load average", results["load_average"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
