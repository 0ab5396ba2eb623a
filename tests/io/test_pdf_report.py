"""The PDF report card: real pages, drawn with Qt outside the core, and show_and_tell."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from io_support import services

from momentum_app.core.exports.report import DayFigures, ReportCard, build_report


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_cli_writes_a_report_and_unlocks_show_and_tell(seeded_db, cli, tmp_path):
    data = cli(seeded_db, "export", "--format", "pdf", "--out", f"{tmp_path}/",
               "--from", "2025-12-29", "--to", "2026-01-12", "--json").json()["exported"]
    path = tmp_path / "momentum-report-2025-12-29-2026-01-12.pdf"
    assert data["files"]["report"] == str(path)
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF")
    assert pdf_pages(raw) == data["pages"] >= 2
    assert [a["id"] for a in data["outcome"]["achievements"]] == ["show_and_tell"]
    with services(seeded_db) as app:
        unlocked = {a.id for a in app.reads.achievements()}
    assert "show_and_tell" in unlocked
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(rf"Pages:\s+{data['pages']}", info)
        assert "A4" in info


def test_report_figures(seeded_db):
    with services(seeded_db) as app:
        report = build_report(app, "2025-12-29", "2026-01-12")
        default = build_report(app)
    assert (report.start, report.end) == (date(2025, 12, 29), date(2026, 1, 12))
    assert len(report.days) == 15
    assert report.period_points == sum(d.points for d in report.days)
    assert report.totals["completions"] == sum(d.completions for d in report.days)
    assert report.best_day is not None and report.best_day.points == max(
        d.points for d in report.days)
    assert {a["id"] for a in report.achievements} >= {"first_step", "on_a_roll"}
    assert report.milestones
    assert (default.end - default.start).days == 29 and default.end == date(2026, 1, 12)


def test_pages_render_to_images_and_paginate(tmp_path):
    from momentum_app.reports import pdf

    achievements = tuple({"id": f"a{i}", "name": f"Achievement {i} ✓", "points": 10 * i,
                          "category": "growth", "description": "A long description " * 8,
                          "completed_at": "2026-01-05T12:00:00+00:00"} for i in range(40))
    report = ReportCard(
        profile="名前 — a long profile name that goes on", timezone="Asia/Tokyo",
        start=date(2025, 1, 1), end=date(2025, 12, 31),
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        level={"number": 10, "title": "Legend", "progress_percent": 100.0,
               "next_points_required": None},
        total_points=123_456,
        days=tuple(DayFigures(date.fromordinal(date(2025, 1, 1).toordinal() + i),
                              (i * 37) % 400 - 50, i % 5, i % 2, i % 3, 0, 30 * (i % 4))
                   for i in range(365)),
        totals={"points": 1, "completions": 10, "tasks": 5, "goal_steps": 2,
                "time_slots": 3, "goals": 0, "focus_minutes": 6000},
        best_day=None, streaks=(), achievements=achievements, achievements_unlocked=40,
        achievements_total=40, milestones=())
    pages = pdf.page_count(report)
    assert pages >= 3  # 40 achievements do not fit on one list page
    assert pdf.render_pdf(report, tmp_path / "year.pdf") == pages
    assert pdf_pages((tmp_path / "year.pdf").read_bytes()) == pages
    pdf.render_png(report, tmp_path / "p1.png", page=0, scale=0.5)
    pdf.render_png(report, tmp_path / "p3.png", page=2, scale=0.5)
    assert (tmp_path / "p1.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "p3.png").stat().st_size > 1000


def test_core_never_imports_qt():
    code = ("import sys, momentum_app.core.exports, momentum_app.core.imports, "
            "momentum_app.cli; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'momentum_app.gui', "
            "'momentum_app.reports'))]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("args, message", [
    (["--all-profiles"], "error: all-profiles: a report card is for one profile"),
    (["--from", "2026-02-01", "--to", "2026-01-01"], "error: from: must not be after --to"),
    (["--from", "yesterday"], "error: from: not a date"),
])
def test_pdf_bad_options(seeded_db, main, tmp_path, args, message):
    result = main(seeded_db, "export", "--format", "pdf", "--out", str(tmp_path / "r.pdf"),
                  *args)
    assert result.returncode == 2 and result.stderr.startswith(message)
    assert not (tmp_path / "r.pdf").exists()
