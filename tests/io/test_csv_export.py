"""CSV exports: RFC 4180 files with headers, safe in spreadsheets, streamed from SQLite."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from io_support import INJECTIONS, services

from momentum_app.core.exports import Cancelled, export_csv, neutralise
from momentum_app.core.exports.csv_export import (
    DAILY_HEADER,
    LEDGER_HEADER,
    TASKS_HEADER,
    csv_field,
)
from momentum_app.core.models import LedgerEntry, Profile


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")  # RFC 4180 records end with CRLF
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_cli_exports_three_tables_into_a_folder(seeded_db, cli, tmp_path):
    out = tmp_path / "csv"
    result = cli(seeded_db, "export", "--format", "csv", "--out", f"{out}/", "--json")
    data = result.json()["exported"]
    assert set(data["files"]) == {"ledger", "tasks", "daily_stats"}
    ledger = read_csv(out / "ledger.csv")
    tasks = read_csv(out / "tasks.csv")
    daily = read_csv(out / "daily_stats.csv")
    assert list(ledger[0]) == list(LEDGER_HEADER)
    assert list(tasks[0]) == list(TASKS_HEADER)
    assert list(daily[0]) == list(DAILY_HEADER)
    assert data["rows"] == {"ledger": len(ledger), "tasks": len(tasks),
                            "daily_stats": len(daily)}
    with services(seeded_db) as app:
        history = app.reads.history(limit=None)
        total = app.reads.progress().total_points
    assert len(ledger) == len(history)
    # signed points add up to the total, and stay numbers (debits are negative numbers)
    assert sum(int(row["signed_points"]) for row in ledger) == total
    debits = [row for row in ledger if row["type"] == "debit"]
    assert debits and all(int(row["signed_points"]) < 0 for row in debits)
    assert sum(int(row["points"]) for row in daily) == total
    # one row per day, no gap, from the first day with activity to the last
    days = [row["date"] for row in daily]
    assert days == sorted(days) and len(days) == len(set(days))
    # unicode survives
    titles = {row["title"] for row in tasks}
    assert {"Plant tomatoes 🍅", "学习中文", "שלום עולם", "Email, \"quoted\" reply"} <= titles
    assert ledger[0]["created_at"].endswith("Z") and "T" in ledger[0]["created_at"]


def test_text_cells_that_look_like_formulas_are_neutralised(seeded_db, cli, tmp_path):
    out = tmp_path / "csv"
    result = cli(seeded_db, "export", "--format", "csv", "--out", str(out) + "/")
    assert result.returncode == 0, result.stderr
    tasks = read_csv(out / "tasks.csv")
    ledger = read_csv(out / "ledger.csv")
    titles = {row["title"] for row in tasks}
    for text in INJECTIONS:
        assert "'" + text in titles
        assert text not in titles
    assert "'=cmd|' /C calc'!A0" in {row["project"] for row in tasks}
    assert any(row["notes"].startswith("'@home") for row in tasks)
    assert "'=evil()" in {row["reason"] for row in ledger}  # a custom event's reason
    for rows in (tasks, ledger):
        for row in rows:
            for value in row.values():
                assert not value.startswith(("=", "+", "@", "\t", "\r"))
                if value.startswith("-"):  # only numbers may start with a minus
                    int(value)


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, ""),
    ("'quoted", "'quoted"),
])
def test_neutralise_rule(text, safe):
    assert neutralise(text) == safe


def test_ledger_fast_path_writes_what_the_csv_module_would(seeded_db, tmp_path):
    """The ledger is formatted in SQL for speed: byte for byte csv.writer's output."""
    with services(seeded_db) as app:
        result = export_csv(app, tmp_path / "ledger.csv", all_profiles=True)
        assert result.rows["ledger"] > 50
        expected = io.StringIO(newline="")
        writer = csv.writer(expected, lineterminator="\r\n")
        writer.writerow(LEDGER_HEADER)
        with app.db.reading() as session:
            names = {p.id: p.name for p in session.query(Profile)}
            for row in session.query(LedgerEntry).order_by(LedgerEntry.id):
                signed = row.points if row.entry_type == "credit" else -row.points
                writer.writerow([row.id, neutralise(names[row.profile_id]),
                                 row.activity_day.isoformat(),
                                 row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 row.entry_type, row.points, signed, row.source,
                                 neutralise(row.reason), row.event_id])
    written = (tmp_path / "ledger.csv").read_bytes().decode("utf-8")
    assert written == expected.getvalue()
    assert '"Ada, ""the"" Countess"' in written
    assert csv_field('a,"b"') == '"a,""b"""'


def test_file_out_table_range_and_profiles(seeded_db, main, tmp_path):
    target = tmp_path / "daily.csv"
    result = main(seeded_db, "export", "--format", "csv", "--out", str(target), "--table",
                  "daily_stats", "--from", "2026-01-01", "--to", "2026-01-03")
    assert result.returncode == 0, result.stderr
    rows = read_csv(target)
    assert [r["date"] for r in rows] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert {r["profile"] for r in rows} == {"Ada, \"the\" Countess"}
    everyone = tmp_path / "all.csv"
    assert main(seeded_db, "export", "--format", "csv", "--out", str(everyone),
                "--all-profiles").returncode == 0
    assert {r["profile"] for r in read_csv(everyone)} == {"Ada, \"the\" Countess", "Bob"}
    bob = tmp_path / "bob.csv"
    assert main(seeded_db, "--profile", "Bob", "export", "--format", "csv", "--out",
                str(bob), "--table", "tasks").returncode == 0
    assert {r["profile"] for r in read_csv(bob)} == {"Bob"}
    bad = main(seeded_db, "export", "--format", "csv", "--out", str(tmp_path / "no/x.csv"))
    assert bad.returncode == 2 and bad.stderr.startswith("error: out: folder does not exist")
    bad = main(seeded_db, "export", "--format", "csv", "--out", str(target), "--from",
               "2026-02-01", "--to", "2026-01-01")
    assert bad.returncode == 2 and "from" in bad.stderr


def test_progress_and_cancel_leave_no_partial_file(seeded_db, tmp_path):
    seen: list[tuple[str, int, int | None]] = []
    with services(seeded_db) as app:
        export_csv(app, tmp_path / "ok.csv", progress=lambda *a: seen.append(a))
        assert seen and seen[-1][0] == "ledger" and seen[-1][1] == seen[-1][2]
        calls = iter(range(100))
        with pytest.raises(Cancelled):  # cancelled in the middle of the second file
            export_csv(app, f"{tmp_path / 'out'}/", should_cancel=lambda: next(calls) > 3)
    assert list((tmp_path / "out").iterdir()) == []
