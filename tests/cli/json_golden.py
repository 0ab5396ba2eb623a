"""The ``--json`` outputs of every read (and a few writes) on a rich database (issue 15).

:func:`build` makes the demo database at a fixed instant and adds what the demo lacks (an
event type, a custom achievement, a project milestone); :func:`capture` runs each command
of :data:`COMMANDS` through the real CLI and returns its stdout. ``python -m
tests.cli.json_golden OUT`` writes the golden file the test compares against
(``tests/cli/golden/demo_json.txt``, captured from main before the reads became typed;
the reward and sync commands at the end were added in session 8, captured from main's
code before ``buy``/``refund``/``sync.status`` became typed).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from tests.cli.cli_support import cli_env

NOW = datetime(2026, 3, 18, 19, 30, tzinfo=timezone.utc)
ZONE = "Europe/Berlin"
#: Read commands first; the writes at the end change the database in a fixed order.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("progress",), ("--profile", "Sam", "progress"),
    ("leaderboard",), ("leaderboard", "--period", "month"), ("leaderboard", "--period", "all"),
    ("achievements",), ("achievements", "--available"), ("achievements", "--all"),
    ("streaks",), ("stats",), ("stats", "--from", "2026-02-01", "--to", "2026-03-18"),
    ("levels",), ("milestones",), ("milestones", "--project", "Learning"),
    ("milestones", "--project", "Home"), ("history",), ("history", "--limit", "7"),
    ("event-type", "list"), ("profile", "list"), ("--profile", "Sam", "achievements"),
    ("--profile", "Sam", "history", "--limit", "4"),
    ("event-type", "add", "stretch", "15"), ("event", "stretch", "--meta", "where=desk", "--key", "s1"),
    ("event-type", "add", "marathon", "10000"), ("event", "marathon", "--key", "m1"),  # a level-up
    ("event-type", "list"), ("progress",), ("achievements", "--all"),
    ("history", "--limit", "3"), ("undo",), ("redo",), ("streaks",),
    # the reward shop's answers and the sync status (typed in session 8)
    ("reward", "list"), ("reward", "buy", "Movie night"), ("reward", "history", "--limit", "3"),
    ("reward", "refund"), ("reward", "list"), ("sync", "--status"),
)


def build(path: Path) -> None:
    from momentum_app.core.demo import create_demo_database

    from momentum_app.core.clock import FixedClock
    from momentum_app.core.db import open_database
    from momentum_app.core.services import Momentum

    create_demo_database(path, now=NOW, timezone_name=ZONE)
    database = open_database(path)
    try:  # level 7 (custom achievements), one of them, and a project's milestone shown
        app = Momentum(database, FixedClock(NOW))
        app.events.add_type("summit", 10_000)
        while app.reads.progress().level.number < 7:
            app.events.process_event("summit")
        app.events.add_custom_achievement("Summiteer", "event_count", 3, 50,
                                          event_type="summit", description="Three summits")
        app.events.add_custom_achievement("Long haul", "tasks_completed", 10**6, 5)
    finally:
        database.close()


def run(db: Path, args: tuple[str, ...]) -> str:
    wanted = [*args, "--json"] if args[-1] != "--help" else list(args)
    done = subprocess.run([sys.executable, "-m", "momentum_app", *wanted],
                          env=cli_env(db, MOMENTUM_NOW=NOW.isoformat()), capture_output=True,
                          text=True, timeout=120, check=False)
    return f"$ momentum {' '.join(wanted)}\nexit {done.returncode}\n{done.stdout}{done.stderr}"


#: A purchase's event key is a fresh uuid (``reward_purchase:<32 hex>``): the only part of
#: the outputs that is not fixed by the clock, so it is written as ``<key>``.
RANDOM_KEY = re.compile(r"(reward_purchase):[0-9a-f]{32}")


def capture(db: Path) -> str:
    return RANDOM_KEY.sub(r"\1:<key>", "".join(run(db, args) for args in COMMANDS))


if __name__ == "__main__":
    out = Path(sys.argv[1])
    database = out.with_suffix(".sqlite3")
    database.unlink(missing_ok=True)
    build(database)
    out.write_text(capture(database), encoding="utf-8")
