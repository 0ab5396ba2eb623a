"""Screenshots of every screen, with demo data and empty, in light and dark.

    python -m momentum_app.gui.screenshots OUTDIR [--only NAME …] [--theme light|dark]

Every registered view gets a scene automatically (``views.VIEWS``); other scenes
(dialogs, toasts, alternative modes) add themselves by appending to :data:`EXTRA_SCENES`.
Files are named ``{scene}-{dataset}-{theme}.png``. The clock is fixed and animations
are off, so the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from ..core.catalog import Kind  # noqa: E402
from ..core.clock import FixedClock  # noqa: E402
from ..core.db import open_database  # noqa: E402
from ..core.demo import create_demo_database  # noqa: E402
from ..core.services import Momentum  # noqa: E402
from .app import Composition, compose, ensure_application  # noqa: E402
from .changes import ItemRef  # noqa: E402
from .settings import settings_at  # noqa: E402
from .theme import ThemeMode  # noqa: E402
from .toast_text import ToastMessage  # noqa: E402
from .views import VIEWS  # noqa: E402

#: A Wednesday afternoon in Berlin: the demo's "now".
SCREENSHOT_NOW = datetime(2026, 3, 11, 14, 30, tzinfo=timezone.utc)
SCREENSHOT_ZONE = "Europe/Berlin"
WINDOW_SIZE = (1280, 820)
DATASETS = ("demo", "empty")
THEMES = (ThemeMode.LIGHT, ThemeMode.DARK)

Prepare = Callable[[Composition], QWidget | QPixmap]


@dataclass(frozen=True)
class Scene:
    """A named picture: ``prepare`` sets the window up and returns what to grab."""

    name: str
    prepare: Prepare


def settle(composition: Composition, rounds: int = 4) -> None:
    """Let queued work (background reads, layouts, paints) finish."""
    for _ in range(rounds):
        composition.ctx.worker.wait()
        QApplication.processEvents()


def view_scene(view_id: str) -> Scene:
    def prepare(composition: Composition) -> QWidget:
        composition.window.show_view(view_id)
        settle(composition)
        return composition.window
    return Scene(view_id, prepare)


def with_dialog(window: QWidget, dialog: QDialog) -> QPixmap:
    """The window, dimmed, with ``dialog`` drawn over its centre (as a person sees it)."""
    dialog.adjustSize()
    QApplication.processEvents()
    backdrop = window.grab()
    front = dialog.grab()
    painter = QPainter(backdrop)
    painter.fillRect(backdrop.rect(), QColor(0, 0, 0, 110))
    corner = QPoint((backdrop.width() - front.width()) // 2,
                    (backdrop.height() - front.height()) // 2)
    frame = QRect(corner, front.size())
    for spread in range(1, 13):  # a soft drop shadow
        painter.fillRect(frame.adjusted(-spread, -spread + 4, spread, spread + 4),
                         QColor(0, 0, 0, 7))
    painter.drawPixmap(corner, front)
    painter.setPen(dialog.palette().color(QPalette.ColorRole.Mid))
    painter.drawRect(QRect(corner, front.size()).adjusted(0, 0, -1, -1))
    painter.end()
    dialog.close()
    return backdrop


def task_dialog_scene(composition: Composition) -> QPixmap:
    window = composition.window
    window.show_view("today")
    settle(composition)
    tasks = composition.momentum.items.list_tasks(status="open", order="due", limit=1)
    if tasks:
        dialog = window.open_editor(ItemRef(Kind.TASK, tasks[0].id))
    else:
        dialog = window.new_task()
    assert dialog is not None
    return with_dialog(window, dialog)


def validation_scene(composition: Composition) -> QPixmap:
    window = composition.window
    window.show_view("today")
    settle(composition)
    dialog = window.new_slot()
    dialog.title_edit.setText("Focus block")  # type: ignore[attr-defined]
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-3600))  # type: ignore[attr-defined]
    dialog.accept()
    return with_dialog(window, dialog)


def toast_scene(composition: Composition) -> QWidget:
    window = composition.window
    window.show_view("today")
    settle(composition)
    window.toasts.notify(ToastMessage(25, ("Achievement unlocked: First Step",), "fa5s.trophy",
                                      ("achievements", "tasks")))
    settle(composition)
    return window


def schedule_day_scene(composition: Composition) -> QWidget:
    window = composition.window
    view = window.show_view("schedule")
    assert view is not None
    view.mode.set_value("day")  # type: ignore[attr-defined]
    view.refresh_now()
    settle(composition)
    return window


EXTRA_SCENES: list[Scene] = [
    Scene("schedule-day", schedule_day_scene),
    Scene("task-dialog", task_dialog_scene),
    Scene("validation", validation_scene),
    Scene("toast", toast_scene),
]


def all_scenes() -> list[Scene]:
    return [view_scene(spec.id) for spec in VIEWS] + EXTRA_SCENES


def make_database(folder: Path, dataset: str) -> Path:
    path = folder / f"{dataset}.sqlite3"
    if dataset == "demo":
        create_demo_database(path, now=SCREENSHOT_NOW, timezone_name=SCREENSHOT_ZONE)
    else:
        database = open_database(path)
        Momentum(database, FixedClock(SCREENSHOT_NOW)).profiles.update(
            timezone=SCREENSHOT_ZONE, name="Alex")
        database.close()
    return path


def render(outdir: Path, *, scenes: Sequence[Scene] | None = None,
           datasets: Sequence[str] = DATASETS, themes: Sequence[ThemeMode] = THEMES
           ) -> list[Path]:
    """Render ``scenes`` × ``datasets`` × ``themes`` into ``outdir``; returns the files."""
    ensure_application()
    outdir.mkdir(parents=True, exist_ok=True)
    chosen = list(scenes) if scenes is not None else all_scenes()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="momentum-shots-") as scratch:
        folder = Path(scratch)
        for dataset in datasets:
            database = open_database(make_database(folder, dataset))
            try:
                for theme in themes:
                    composition = compose(database, FixedClock(SCREENSHOT_NOW),
                                          settings=settings_at(folder / f"{theme}.ini"),
                                          theme_mode=theme, animations=False)
                    window = composition.window
                    window.resize(*WINDOW_SIZE)
                    window.show()
                    settle(composition)
                    for scene in chosen:
                        picture = scene.prepare(composition)
                        pixmap = picture if isinstance(picture, QPixmap) else picture.grab()
                        target = outdir / f"{scene.name}-{dataset}-{theme.value}.png"
                        pixmap.save(str(target))
                        written.append(target)
                        window.toasts.dismiss()
                    composition.close()
                    window.deleteLater()
                    QApplication.processEvents()
            finally:
                database.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m momentum_app.gui.screenshots",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--only", nargs="*", metavar="SCENE", help="scene names to render")
    parser.add_argument("--theme", choices=[t.value for t in THEMES], action="append")
    parser.add_argument("--dataset", choices=DATASETS, action="append")
    args = parser.parse_args(argv)
    scenes = [s for s in all_scenes() if not args.only or s.name in args.only]
    themes = [ThemeMode(t) for t in args.theme] if args.theme else THEMES
    written = render(args.outdir, scenes=scenes, datasets=args.dataset or DATASETS,
                     themes=themes)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
