"""Streak freezes and perfect weeks (SPEC v2 §2, §4) worked by hand through the real CLI.

Tasks are added in-process (the prepared-database trick of cli_support); every
completion and every reading is a ``momentum`` subprocess with its own MOMENTUM_NOW.
Day 1 is Monday 2026-01-05, UTC.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from cli_support import cli_env, run_cli
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum

START = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


def day(n: int) -> str:
    return (date(2026, 1, 5) + timedelta(days=n - 1)).isoformat()


def at(db: Path, n: int, *args: str) -> Any:
    """``momentum ARGS --json`` with the clock at 20:00 UTC of day ``n``."""
    result = run_cli(db, *args, "--json", env=cli_env(db, MOMENTUM_NOW=f"{day(n)}T20:00:00Z"))
    return result.json()


def activity(streaks: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    entry = next(s for s in streaks if s["type"] == "daily_activity")
    return entry["current"], entry["freezes"], entry["frozen_days"]


def new_db(path: Path, tasks: int, *, days_off: str | None = None) -> Path:
    database = open_database(path)
    app = Momentum(database, FixedClock(START))
    app.profiles.update(timezone="UTC", day_start_hour=0,
                        **({"days_off": days_off} if days_off else {}))
    for n in range(1, tasks + 1):
        app.items.add_task(f"Task {n}")
    database.close()
    return path


@pytest.fixture(scope="module")
def seven_days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """Tasks 1–7 done on days 1–7, each on its own day."""
    db = new_db(tmp_path_factory.mktemp("seven") / "momentum.sqlite3", 10)
    outcomes = [at(db, n, "task", "done", str(n)) for n in range(1, 8)]
    return db, outcomes


def copy_of(seven_days: tuple[Path, list[Any]], tmp_path: Path) -> Path:
    target = tmp_path / "momentum.sqlite3"
    shutil.copyfile(seven_days[0], target)
    return target


def test_seven_days_earn_one_freeze(seven_days):
    db, outcomes = seven_days
    assert [o["freezes"]["earned"] for o in outcomes] == [0] * 6 + [1]
    assert outcomes[-1]["freezes"]["held"] == 1
    assert activity(at(db, 7, "streaks")) == (7, 1, [])


def test_a_missed_eighth_day_is_frozen_the_streak_reads_8_and_backdating_gives_it_back(
        seven_days, tmp_path):
    db = copy_of(seven_days, tmp_path)
    # Day 9, day 8 over and missed: frozen (the open gap, judged by the days over).
    assert activity(at(db, 9, "streaks")) == (7, 0, [day(8)])
    ninth = at(db, 9, "task", "done", "8")
    assert ninth["freezes"]["used"] == [day(8)]
    assert activity(ninth["streaks"]) == (8, 0, [day(8)])
    assert activity(at(db, 9, "streaks")) == (8, 0, [day(8)])
    text = run_cli(db, "streaks", env=cli_env(db, MOMENTUM_NOW=f"{day(9)}T20:00:00Z")).ok()
    assert "Streak freezes held: 0 (of 2)" in text and f"Frozen days: {day(8)}" in text
    # Backdating the frozen day makes it qualify and gives its freeze back.
    back = at(db, 9, "task", "done", "9", "--at", f"{day(8)}T10:00:00Z")
    assert back["freezes"]["returned"] == [day(8)] and back["freezes"]["held"] == 1
    assert activity(at(db, 9, "streaks")) == (9, 1, [])
    doctor = run_cli(db, "doctor", env=cli_env(db, MOMENTUM_NOW=f"{day(9)}T20:00:00Z"))
    assert doctor.returncode == 0 and "No problems found" in doctor.stdout


def test_two_missed_days_break_the_streak_and_the_freeze_stays(seven_days, tmp_path):
    db = copy_of(seven_days, tmp_path)
    assert activity(at(db, 10, "streaks")) == (0, 1, [])
    tenth = at(db, 10, "task", "done", "8")
    assert tenth["freezes"]["used"] == []
    assert activity(tenth["streaks"]) == (1, 1, [])


def test_a_week_with_weekends_off_is_perfect_and_a_missed_friday_is_not(tmp_path):
    db = new_db(tmp_path / "momentum.sqlite3", 12, days_off="sat,sun")
    week1 = [at(db, n, "task", "done", str(n)) for n in range(1, 6)]
    perfect = [[c["points"] for c in o["credits"] if c["source"] == "perfect_week"]
               for o in week1]
    assert perfect == [[], [], [], [], [100]]
    # The next week, Friday (day 12) missed: not perfect, even with the weekend off.
    week2 = [at(db, n, "task", "done", str(n - 2)) for n in (8, 9, 10, 11)]
    assert not any(c["source"] == "perfect_week" for o in week2 for c in o["credits"])
