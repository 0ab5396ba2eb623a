"""Command-line benchmark (issue 14): whole ``momentum`` commands at 100,000 tasks.

A database of 100,000 tasks (80% open, :func:`bench.gui_bench.build_database`, cached in
``bench/out/cli-100k.sqlite3``) and the same tasks in Taskwarrior (``momentum export
--format taskwarrior`` then ``task import``, cached in ``bench/out/cli-taskwarrior/``).
Then, interleaved round by round, each timed as a whole process (start-up included):

* ``python -c pass`` — the interpreter alone, the floor of any Python command;
* ``momentum task list`` (every open task: ~80,000 lines), ``task list --search WORD``
  (a few hundred), ``task add``, ``task done`` (of the task just added), ``progress``;
* Taskwarrior's ``task list`` and ``task WORD list`` on the same tasks;
* ``python -c "import sqlalchemy.orm"`` — what the full command line pays before a query;
* with ``--before DIR`` (a checkout of the code to compare with, e.g. ``git archive
  main | tar -x -C DIR``), each ``momentum`` command again from that code
  (``PYTHONPATH=DIR``), in the same rounds: "before" and "after" side by side.

The four hot commands (``task list``, ``task add``, ``task done``, ``progress``) take the
light path without SQLAlchemy (``momentum_app/cli_light.py``); ``task list --search``
does not (it needs the full parser's filters), and is listed for comparison.

The commands run with the bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed from
their environment), as an installed Momentum runs; the first round is a warm-up (it also
makes the CLI's daily backup) and is not counted. Target: every command's median
≤ 150 ms wall.

    .venv/bin/python -m bench.cli_bench [--runs 5] [--json FILE] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .export_bench import cpu_children, ensure_tool
from .generate import OUT_DIR

TASKS = 100_000
MAX_COMMAND_MS = 150.0
SEARCH_WORD = "invoice"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("MOMENTUM_NOW", None)
    return env


def database() -> Path:
    path = OUT_DIR / "cli-100k.sqlite3"
    if not path.exists():
        from .gui_bench import build_database  # noqa: PLC0415

        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"building {TASKS:,} tasks -> {path.name} ...", flush=True)
        build_database(partial, TASKS)
        partial.rename(path)
    return path


def taskwarrior_home(db: Path, task_cli: str) -> dict[str, str]:
    home = OUT_DIR / "cli-taskwarrior"
    env = {"HOME": str(home), "TASKDATA": str(home / "data"), "TASKRC": str(home / "taskrc"),
           "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    if not (home / "data" / "pending.data").exists():
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        (home / "taskrc").write_text("confirmation=off\nverbose=nothing\nhooks=off\n")
        export = home / "tasks.json"
        subprocess.run([sys.executable, "-m", "momentum_app", "--db", str(db), "export",
                        "--format", "taskwarrior", "--out", str(export)], env=_env(),
                       check=True, capture_output=True)
        print("importing the same tasks into Taskwarrior ...", flush=True)
        subprocess.run([task_cli, "rc.confirmation=off", "import", str(export)], env=env,
                       check=True, capture_output=True)
    return env


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    cpu, wall = cpu_children(), time.perf_counter()
    # From bench/out, so that `python -m` (which puts the working folder first on the
    # path) runs the installed code, or the code PYTHONPATH names (--before).
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False,
                          cwd=OUT_DIR)
    elapsed, used = time.perf_counter() - wall, cpu_children() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed, used, done.stdout


def run(runs: int, before: Path | None = None) -> dict[str, Any]:
    db = database()
    momentum = [sys.executable, "-m", "momentum_app", "--db", str(db)]
    env = _env()
    before_env = {**env, "PYTHONPATH": str(before)} if before else None
    task_cli = ensure_tool("task", "taskwarrior")
    tw_env = taskwarrior_home(db, task_cli) if task_cli else None
    added: dict[str, list[str]] = {}

    def add(name: str) -> Any:
        return lambda: [*momentum, "task", "add", f"Benchmark task {len(added[name]) + 1}"]

    def done(name: str) -> Any:
        return lambda: [*momentum, "task", "done", added[name].pop()]

    commands: dict[str, Any] = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "python -c 'import sqlalchemy.orm'":
            ([sys.executable, "-c", "import sqlalchemy.orm"], env),
    }
    for label, command_env in (("", env), ("before: ", before_env)):
        if command_env is None:
            continue
        added[f"{label}momentum task add"] = []
        commands.update({
            f"{label}momentum task list": ([*momentum, "task", "list"], command_env),
            f"{label}momentum task list --search {SEARCH_WORD}":
                ([*momentum, "task", "list", "--search", SEARCH_WORD], command_env),
            f"{label}momentum task add": (add(f"{label}momentum task add"), command_env),
            f"{label}momentum task done": (done(f"{label}momentum task add"), command_env),
            f"{label}momentum progress": ([*momentum, "progress"], command_env),
        })
    if task_cli and tw_env:
        commands["taskwarrior task list"] = ([task_cli, "list"], tw_env)
        commands[f"taskwarrior task {SEARCH_WORD} list"] = (
            [task_cli, "rc.search.case.sensitive=no", SEARCH_WORD, "list"], tw_env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    load_before = os.getloadavg()
    lines: dict[str, int] = {}
    for round_ in range(runs + 1):
        for name, (args, command_env) in commands.items():
            argv = args() if callable(args) else args
            wall, cpu, out = timed(argv, command_env)
            if name in added:
                added[name].append(out.split()[2].rstrip(":"))  # "Added task N: title"
            lines[name] = out.count("\n")
            if round_:
                samples[name].append((wall, cpu))
    pass_ms = statistics.median(w for w, _ in samples["python -c pass"]) * 1000
    tw_ms = (statistics.median(w for w, _ in samples["taskwarrior task list"]) * 1000
             if "taskwarrior task list" in samples else None)
    rows = []
    for name, values in samples.items():
        wall_ms = statistics.median(w for w, _ in values) * 1000
        cpu_ms = statistics.median(c for _, c in values) * 1000
        ours = name.startswith("momentum")  # "before: …" rows are for comparison
        rows.append({"command": name, "wall_median_ms": round(wall_ms, 1),
                     "cpu_median_ms": round(cpu_ms, 1), "lines": lines[name],
                     "runs": len(values), "vs_python_pass": round(wall_ms / pass_ms, 1),
                     "vs_taskwarrior_list": round(wall_ms / tw_ms, 2) if tw_ms else None,
                     "target": f"<= {MAX_COMMAND_MS:.0f} ms" if ours else "",
                     "met": wall_ms <= MAX_COMMAND_MS if ours else None})
    version = (subprocess.run([task_cli, "--version"], capture_output=True, text=True,
                              check=False).stdout.strip() if task_cli else None)
    return {"tasks": TASKS, "runs": runs, "rows": rows, "taskwarrior": version,
            "python_pass_ms": round(pass_ms, 1),
            "load_average": [list(load_before), list(os.getloadavg())]}


def table(result: dict[str, Any]) -> str:
    out = [f"{'command':<50} {'wall ms':>8} {'cpu ms':>7} {'lines':>7} {'x pass':>7} "
           f"{'x tw list':>9}  target"]
    for row in result["rows"]:
        tw = f"{row['vs_taskwarrior_list']:.2f}" if row["vs_taskwarrior_list"] else "-"
        verdict = "" if row["met"] is None else ("met" if row["met"] else "MISSED")
        out.append(f"{row['command']:<50} {row['wall_median_ms']:>8.1f} "
                   f"{row['cpu_median_ms']:>7.1f} {row['lines']:>7,} "
                   f"{row['vs_python_pass']:>7.1f} {tw:>9}  {row['target']} {verdict}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also time each momentum command from the code in DIR")
    args = parser.parse_args(argv)
    result = run(args.runs, args.before)
    print(table(result))
    print(f"(medians over {args.runs} rounds, {TASKS:,} tasks; Taskwarrior "
          f"{result['taskwarrior'] or 'not installed'}; load average (1/5/15 min) "
          + " -> ".join("/".join(f"{x:.2f}" for x in load) for load in result["load_average"])
          + ")")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
