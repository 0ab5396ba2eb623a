"""The sync's fold writes its rows with only the date and instant columns converted
(issue 19's speed, docs/BENCHMARKS.md §10): every row must be the same parameters the
value-by-value conversion gives, for a history that fills every derived table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.services import Momentum
from momentum_app.core.services.doctor import DoctorService
from momentum_app.core.services.engine_store import _sql_rows, row_tuples, sql_value

UTC = timezone.utc


def _history(tmp_path: Path, count: int) -> Database:
    """A database with ``count`` task completions, two a day, through the live path."""
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    clock = FixedClock(start + timedelta(hours=12 * count + 24))
    db = open_database(tmp_path / "m.sqlite3", clock=clock, scheduled_backup=False)
    app = Momentum(db, clock)
    with db.transaction() as session:
        for n in range(count):
            app.ctx.process(session, "task_completion",
                            {"item_id": None, "title": f"t {n}", "complexity": 1 + n % 5},
                            start + timedelta(hours=12 * n), f"t:{n}")
    return db


def test_fold_rows_are_converted_as_value_by_value(tmp_path: Path) -> None:
    db = _history(tmp_path, 120)  # two a day for 60 days: streaks, weeks, achievements
    try:
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


def test_a_whole_fold_writes_only_the_keyed_rows_that_differ(tmp_path: Path) -> None:
    """``write_fold`` leaves the stored rows of the tables with natural keys (completions,
    counters, day and week stats, streaks) alone when they are the fold's, and still makes
    every table exactly the fold's: a changed, a missing and an extra row are put right,
    and only they are written (counted by temporary triggers on the real file)."""
    from momentum_app.core.services.doctor import write_fold  # noqa: PLC0415
    from momentum_app.core.services.engine_store import COLUMNS, KEYED  # noqa: PLC0415

    db = _history(tmp_path, 40)
    try:
        with db.transaction() as session:
            conn = session.connection()
            state, profiles, _ = DoctorService._fold(conn)
            sql = conn.connection.driver_connection
            sql.execute("UPDATE day_stats SET points = points + 1 WHERE rowid = "
                        "(SELECT min(rowid) FROM day_stats)")
            sql.execute("DELETE FROM completions WHERE rowid = (SELECT max(rowid) "
                        "FROM completions)")
            sql.execute("INSERT INTO counters (profile_id, scope, name, value) "
                        "SELECT profile_id, 'global', 'not_a_counter', 7 FROM counters LIMIT 1")
            sql.execute("CREATE TEMP TABLE written (tbl TEXT, what TEXT)")
            for name in KEYED:
                for what in ("INSERT", "DELETE", "UPDATE"):
                    sql.execute(f"CREATE TEMP TRIGGER w_{name}_{what} AFTER {what} ON "
                                f"main.{name} BEGIN INSERT INTO written VALUES "
                                f"('{name}', '{what}'); END")
            write_fold(conn, state, profiles)
            written = sorted(sql.execute("SELECT tbl, what FROM written").fetchall())
            assert written == [("completions", "INSERT"), ("counters", "DELETE"),
                               ("day_stats", "DELETE"), ("day_stats", "INSERT")]
            tables = row_tuples(state)
            for name in COLUMNS:
                stored = sorted(sql.execute(f"SELECT {', '.join(COLUMNS[name])} FROM {name}"),
                                key=repr)
                assert stored == sorted((tuple(r) for r in _sql_rows(name, tables[name])),
                                        key=repr), name
    finally:
        db.close()
