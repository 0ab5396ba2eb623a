"""The sync's fold writes its rows with only the date and instant columns converted
(issue 19's speed, docs/BENCHMARKS.md §10): every row must be the same parameters the
value-by-value conversion gives, for a history that fills every derived table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.core.services.doctor import DoctorService
from momentum_app.core.services.engine_store import _sql_rows, row_tuples, sql_value

UTC = timezone.utc


def test_fold_rows_are_converted_as_value_by_value(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    clock = FixedClock(start + timedelta(days=90))
    db = open_database(tmp_path / "m.sqlite3", clock=clock, scheduled_backup=False)
    try:
        app = Momentum(db, clock)
        with db.transaction() as session:
            for n in range(120):  # two a day for 60 days: streaks, weeks, achievements
                app.ctx.process(session, "task_completion",
                                {"item_id": None, "title": f"t {n}", "complexity": 1 + n % 5},
                                start + timedelta(hours=12 * n), f"t:{n}")
        with db.reading() as session:
            state, _, _ = DoctorService._fold(session.connection())
        tables = row_tuples(state)
        filled = {name for name, rows in tables.items() if rows}
        assert {"completions", "ledger", "counters", "day_stats", "week_stats", "streaks",
                "achievement_progress"} <= filled
        for name, rows in tables.items():
            expected = [tuple(sql_value(value) for value in row) for row in rows]
            assert [tuple(row) for row in _sql_rows(name, rows)] == expected, name
    finally:
        db.close()
