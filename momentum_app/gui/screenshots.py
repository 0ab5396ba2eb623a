"""Screenshots of every screen, with demo data and empty, in light and dark.

    python -m momentum_app.gui.screenshots OUTDIR [--only NAME …] [--theme light|dark]
                                           [--variant default|min|min-large]

Every registered view gets a scene automatically (``views.VIEWS``); other scenes
(dialogs, toasts, alternative modes) add themselves by appending to :data:`EXTRA_SCENES`.
Each is rendered at the default size and, as variants, at the window's minimum size and
at the minimum size with 1.5× text. Files are named ``{scene}-{dataset}-{theme}.png``
(variants add ``-min`` / ``-min-large``). Whatever a picture cuts off (a label smaller
than its text, cards behind a horizontal scroll bar) is printed to stderr. The clock is
fixed and animations are off, so the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ..core import catalog
from ..core.catalog import Kind
from ..core.clock import FixedClock
from ..core.db import open_database
from ..core.demo import create_demo_database
from ..core.kinds import Status
from ..core.services import Momentum
from .app import Composition, compose
from .changes import Change, ItemRef
from .launch import ensure_application
from .layout_check import cut_text
from .main_window import MINIMUM_SIZE, MainWindow
from .perks import PerkLocked
from .settings import settings_at
from .theme import ThemeMode
from .views import VIEWS
from .views.tasks import TasksView

#: A Wednesday afternoon in Berlin: the demo's "now".
SCREENSHOT_NOW = datetime(2026, 3, 11, 14, 30, tzinfo=UTC)
SCREENSHOT_ZONE = "Europe/Berlin"
WINDOW_SIZE = (1280, 820)
DATASETS = ("demo", "empty")
THEMES = (ThemeMode.LIGHT, ThemeMode.DARK)


@dataclass(frozen=True)
class Variant:
    """A window size and text size every scene is also rendered at."""

    name: str
    size: tuple[int, int]
    text_scale: float

    @property
    def suffix(self) -> str:
        return f"-{self.name}" if self.name != "default" else ""


VARIANTS = (Variant("default", WINDOW_SIZE, 1.0), Variant("min", MINIMUM_SIZE, 1.0),
            Variant("min-large", MINIMUM_SIZE, 1.5))

Prepare = Callable[[Composition], QWidget | QPixmap]


@dataclass(frozen=True)
class Scene:
    """A named picture: ``prepare`` sets the window up and returns what to grab;
    ``cleanup`` (optional) puts back what it changed, so later scenes are not affected."""

    name: str
    prepare: Prepare
    cleanup: Callable[[Composition], None] | None = None


def settle(composition: Composition, rounds: int = 4) -> None:
    """Let queued work (background reads, layouts, paints) finish."""
    for _ in range(rounds):
        composition.ctx.worker.wait()
        QApplication.processEvents()


def on_view(composition: Composition, view_id: str) -> MainWindow:
    """The window showing ``view_id``, with what it reads settled."""
    composition.window.show_view(view_id)
    settle(composition)
    return composition.window


def view_scene(view_id: str) -> Scene:
    return Scene(view_id, partial(on_view, view_id=view_id))


#: What the last dialogs drawn by :func:`with_dialog` cut off (``render`` reports it).
DIALOG_PROBLEMS: list[str] = []


def with_dialog(window: QWidget, dialog: QDialog) -> QPixmap:
    """The window, dimmed, with ``dialog`` drawn over its centre (as a person sees it)."""
    dialog.adjustSize()
    QApplication.processEvents()
    DIALOG_PROBLEMS.extend(cut_text(dialog))
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
    window = on_view(composition, "today")
    tasks = composition.momentum.items.list_tasks(status=Status.OPEN, order="due", limit=1)
    if tasks:
        dialog = window.open_editor(ItemRef(Kind.TASK, tasks[0].id))
    else:
        dialog = window.new_task()
    assert dialog is not None
    return with_dialog(window, dialog)


_HIDDEN_IN_SCENE: list[int] = []


def tasks_hidden_scene(composition: Composition) -> QWidget:
    """Tasks ▸ All with two tasks hidden until a later day (their marker, issue 18)."""
    items = composition.momentum.items
    today = composition.ctx.today()
    first = items.list_tasks(status=Status.OPEN, order="due", limit=1)
    project = first[0].project if first else None
    for task, days in zip(items.list_tasks(status=Status.OPEN, order="due", project=project,
                                           limit=2), (1, 9), strict=False):
        items.edit_task(task.id, hide_until=today + timedelta(days=days))
        _HIDDEN_IN_SCENE.append(task.id)
    view = _tasks_view(composition)
    view.set_project_filter(project)
    view.status.button("all").click()
    settle(composition)
    view.table.scrollToBottom()  # the open tasks come after the done ones
    settle(composition)
    return composition.window


def tasks_hidden_cleanup(composition: Composition) -> None:
    while _HIDDEN_IN_SCENE:
        composition.momentum.items.edit_task(_HIDDEN_IN_SCENE.pop(), hide_until=None)
    view = _tasks_view(composition)
    view.set_project_filter(None)
    view.status.button("open").click()


def _tasks_view(composition: Composition) -> TasksView:
    view = composition.window.show_view("tasks")
    assert isinstance(view, TasksView)
    return view


def welcome_scene(composition: Composition) -> QPixmap:
    """The first-run welcome over an empty Today (it opens on any dataset here)."""
    from .welcome import WelcomeDialog  # noqa: PLC0415

    window = on_view(composition, "today")
    dialog = WelcomeDialog(composition.ctx, window)
    dialog.show()
    return with_dialog(window, dialog)


def validation_scene(composition: Composition) -> QPixmap:
    window = on_view(composition, "today")
    dialog = window.new_slot()
    dialog.title_edit.setText("Focus block")  # type: ignore[attr-defined]
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-3600))  # type: ignore[attr-defined]
    dialog.accept()
    return with_dialog(window, dialog)


def toast_scene(composition: Composition) -> QWidget:
    """A real completion's toast: its sources line by line and the Undo button."""
    window = on_view(composition, "today")
    controller = composition.controller
    tasks = composition.momentum.items.list_tasks(status=Status.OPEN, order="due", limit=1)
    task = tasks[0] if tasks else controller.add_task("Water the plants", complexity=2)
    controller.complete(ItemRef(Kind.TASK, task.id))
    settle(composition)
    return window


def toast_cleanup(composition: Composition) -> None:
    """Undo the completion (and the task made for an empty database)."""
    stack = composition.controller.undo_stack
    stack.setIndex(0 if stack.count() <= 2 else stack.index() - 1)
    settle(composition)


def schedule_day_scene(composition: Composition) -> QWidget:
    window = composition.window
    view = window.show_view("schedule")
    assert view is not None
    view.mode.set_value("day")  # type: ignore[attr-defined]
    view.refresh_now()
    settle(composition)
    return window


def dashboard_charts_scene(composition: Composition) -> QWidget:
    """The lower half of the dashboard: focus per week, trends and the heatmap."""
    view = composition.window.show_view("dashboard")
    assert view is not None
    settle(composition)
    bar = view.scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
    bar.setValue(bar.maximum())
    settle(composition)
    return composition.window


def dashboard_to_top(composition: Composition) -> None:
    view = composition.window.views["dashboard"]
    view.scroll_area.verticalScrollBar().setValue(0)  # type: ignore[attr-defined]
    settle(composition)


#: How far into the focus session the picture is taken.
FOCUS_ELAPSED = timedelta(minutes=17, seconds=25)


def focus_scene(composition: Composition) -> QWidget:
    """A focus session running on an open time slot, 17 minutes in."""
    window = on_view(composition, "today")
    slots = composition.momentum.items.list_slots(status=Status.OPEN)
    if slots:
        slot = slots[0]
    else:
        now = composition.momentum.clock.now()
        slot = composition.controller.add_slot("Deep work", now, now + timedelta(minutes=50))
    window.start_focus(ItemRef(Kind.SLOT, slot.id))
    clock = composition.momentum.clock
    assert isinstance(clock, FixedClock)
    clock.advance(FOCUS_ELAPSED)
    window.focus.tick()
    settle(composition)
    return window


def focus_cleanup(composition: Composition) -> None:
    window = composition.window
    window.focus.cancel()
    clock = composition.momentum.clock
    assert isinstance(clock, FixedClock)
    clock.advance(-FOCUS_ELAPSED)
    for slot in composition.momentum.items.list_slots(status=Status.OPEN):
        if slot.title == "Deep work" and slot.start == SCREENSHOT_NOW:
            composition.controller.delete(ItemRef(Kind.SLOT, slot.id))
    window.statusBar().clearMessage()
    settle(composition)


def level_up_scene(composition: Composition) -> QWidget:
    """The level-up banner over the dashboard, as after reaching the next level."""
    window = on_view(composition, "dashboard")
    level = catalog.LEVELS[min(composition.ctx.perks.level, catalog.MAX_LEVEL - 1)]
    window.banner.celebrate(level.number, level.title, level.perk)
    settle(composition)
    return window


_SAVED_THEMES: dict[int, ThemeMode] = {}


def personalized_scene(composition: Composition) -> QWidget:
    """The dashboard with the perks a level-6 profile can use: the Nord theme, a dotted
    background and a hexagon badge (refused, so plain, where the level is too low)."""
    look = composition.ctx.look
    _SAVED_THEMES[id(composition)] = composition.ctx.theme.mode
    steps: list[Callable[[], None]] = [partial(look.set_theme, ThemeMode.NORD),
                                       partial(look.set_background, "dots"),
                                       partial(look.set_badge_style, "hexagon")]
    for step in steps:
        try:
            step()
        except PerkLocked:
            pass
    window = on_view(composition, "dashboard")
    return window


def personalized_cleanup(composition: Composition) -> None:
    settings, look = composition.ctx.settings, composition.ctx.look
    settings.background, settings.badge_style = "plain", "classic"
    look.apply()
    composition.window.set_theme(_SAVED_THEMES.pop(id(composition)))


def set_game_mode(composition: Composition, mode: str) -> None:
    composition.momentum.profiles.update(game_mode=mode)
    composition.ctx.changes.publish(Change.everything())
    settle(composition)


def game_mode_scene(composition: Composition, mode: str) -> QWidget:
    """The Dashboard with the game switched off (SPEC v2 §11): a neutral page."""
    set_game_mode(composition, mode)
    return on_view(composition, "dashboard")


EXTRA_SCENES: list[Scene] = [
    Scene("schedule-day", schedule_day_scene),
    Scene("task-dialog", task_dialog_scene),
    Scene("tasks-hidden", tasks_hidden_scene, tasks_hidden_cleanup),
    Scene("welcome", welcome_scene),
    Scene("validation", validation_scene),
    Scene("toast", toast_scene, toast_cleanup),
    Scene("dashboard-charts", dashboard_charts_scene, dashboard_to_top),
    Scene("focus", focus_scene, focus_cleanup),
    Scene("level-up", level_up_scene, lambda c: c.window.banner.dismiss()),
    Scene("personalized", personalized_scene, personalized_cleanup),
    Scene("game-off", lambda c: game_mode_scene(c, "off"), lambda c: set_game_mode(c, "full")),
]


def all_scenes() -> list[Scene]:
    from .planning_scenes import scenes as planning_scenes  # noqa: PLC0415 (SPEC §12)
    from .sync_scenes import scenes as sync_scenes  # noqa: PLC0415 (SPEC v2 §13)

    return ([view_scene(spec.id) for spec in VIEWS] + EXTRA_SCENES
            + planning_scenes() + sync_scenes())


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
           datasets: Sequence[str] = DATASETS, themes: Sequence[ThemeMode] = THEMES,
           variants: Sequence[Variant] = VARIANTS[:1],
           problems: list[str] | None = None) -> list[Path]:
    """Render ``scenes`` × ``datasets`` × ``themes`` × ``variants`` into ``outdir``;
    returns the files. What a picture cuts off is appended to ``problems``."""
    ensure_application()
    outdir.mkdir(parents=True, exist_ok=True)
    chosen = list(scenes) if scenes is not None else all_scenes()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="momentum-shots-") as scratch:
        folder = Path(scratch)
        for dataset in datasets:
            database = open_database(make_database(folder, dataset))
            try:
                for theme, variant in ((t, v) for t in themes for v in variants):
                    store = settings_at(folder / f"{theme}-{variant.name}.ini")
                    store.setValue("view/text_scale", variant.text_scale)
                    composition = compose(database, FixedClock(SCREENSHOT_NOW),
                                          settings=store, theme_mode=theme, animations=False)
                    window = composition.window
                    window.resize(*variant.size)
                    window.show()
                    settle(composition)
                    for scene in chosen:
                        picture = scene.prepare(composition)
                        pixmap = picture if isinstance(picture, QPixmap) else picture.grab()
                        name = f"{scene.name}-{dataset}-{theme.value}{variant.suffix}"
                        if problems is not None and picture is window:
                            problems.extend(f"{name}: {p}" for p in cut_text(window))
                        if problems is not None:
                            problems.extend(f"{name}: {p}" for p in DIALOG_PROBLEMS)
                        DIALOG_PROBLEMS.clear()
                        target = outdir / f"{name}.png"
                        pixmap.save(str(target))
                        written.append(target)
                        window.toasts.dismiss()
                        if scene.cleanup is not None:
                            scene.cleanup(composition)
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
    parser.add_argument("--variant", choices=[v.name for v in VARIANTS], action="append",
                        help="default size, minimum size, minimum size with 1.5× text "
                             "(all three unless given)")
    args = parser.parse_args(argv)
    scenes = [s for s in all_scenes() if not args.only or s.name in args.only]
    themes = [ThemeMode(t) for t in args.theme] if args.theme else THEMES
    variants = [v for v in VARIANTS if not args.variant or v.name in args.variant]
    problems: list[str] = []
    written = render(args.outdir, scenes=scenes, datasets=args.dataset or DATASETS,
                     themes=themes, variants=variants, problems=problems)
    for path in written:
        print(path)
    for problem in problems:
        print(f"cut off: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
