"""The window's composition root: database → services → controller → window.

:func:`compose` builds the whole object graph from an open database without entering the
event loop, so tests and the screenshot tool get a real window in one call.
:func:`start_gui` adds what a real launch needs (single-instance guard, demo data,
error boxes, the first-run welcome); :func:`momentum_app.gui.launch.run_gui` runs the event loop.
There are no module-level
singletons: everything is passed explicitly.

A real launch opens the window on the first screen's plain reads when it can, before
SQLAlchemy is loaded, and loads the services after the first paint
(:mod:`.opening`; docs/BENCHMARKS.md §4a); tests and screenshots compose on a database
opened in full, as before.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen

from ..core.clock import Clock, clock_from_env
from ..core.dbfile import canonical_path, default_db_path
from ..core.errors import MomentumError
from ..core.services import Momentum
from .changes import Changes
from .context import GuiContext
from .controller import Controller
from .launch import app_icon, ensure_application, import_in_steps
from .main_window import MainWindow
from .opening import FULL_OPENING_STEPS, first_screen_opening
from .outside_changes import OutsideChangeWatcher
from .perks import Perks, Personalization
from .settings import UiSettings, default_settings
from .single_instance import InstanceGuard
from .sync_window import SyncSession
from .theme import ThemeManager, ThemeMode
from .views import VIEWS, ViewSpec
from .worker import SerialWorker

if TYPE_CHECKING:  # SQLAlchemy: loaded after the window's first paint when it can be
    from ..core.db import Database

log = logging.getLogger(__name__)
DEMO_FILENAME = "momentum-demo.sqlite3"


@dataclass
class Composition:
    """Everything the window is made of; :meth:`close` tears it down in order."""

    qapp: QApplication
    momentum: Momentum
    ctx: GuiContext
    window: MainWindow
    guard: InstanceGuard | None = None
    owns_database: bool = False
    cleanup: list[Path] = field(default_factory=list)
    watcher: OutsideChangeWatcher | None = None
    #: Reminders (scheduler and notifier) and the tray, once started (SPEC §12).
    planning: Any = None
    #: The first-run welcome, when this start showed it (:mod:`.welcome`).
    welcome: Any = None
    #: Loading the services after the first paint (:class:`.opening.ServicesOpening`).
    opening: Any = None

    @property
    def controller(self) -> Controller:
        return self.ctx.controller

    @property
    def database(self) -> Database:
        """The database opened in full (waits for it when the window opened first)."""
        return self.momentum.db

    def close(self) -> None:
        if self.planning is not None:
            self.planning.stop()  # first: closing must close, not hide in the tray
        if self.welcome is not None:
            self.welcome.close()  # a top-level of its own: closing the window leaves it
        self.window.save_state()
        self.window.close()
        self.ctx.theme.detach()
        self.controller.ops.wait()  # an op still in flight is written before the last sync
        self.ctx.sync_session.stop()  # the last sync (when a folder is set), waited for
        self.ctx.worker.wait()
        QApplication.processEvents()  # deliver the worker's last answers before closing
        if self.guard is not None:
            self.guard.release()
        if self.watcher is not None:
            self.watcher.stop()
        if self.opening is not None:
            self.opening.close()  # the light connection, if the services never loaded
        if self.owns_database:
            self.database.close()
        for folder in self.cleanup:
            shutil.rmtree(folder, ignore_errors=True)


def compose(database: Database | Momentum, clock: Clock, *, profile: str | None = None,
            settings: QSettings | None = None, theme_mode: ThemeMode | None = None,
            animations: bool = True, views: Sequence[ViewSpec] | None = None) -> Composition:
    """Build services, controller and window on ``database`` (or on the services of one,
    e.g. a :meth:`Momentum.opening`), the event loop not run."""
    qapp = ensure_application()
    momentum = database if isinstance(database, Momentum) else Momentum(database, clock,
                                                                         profile)
    ui_settings = UiSettings(settings if settings is not None else default_settings())
    theme = ThemeManager(qapp, theme_mode or ui_settings.theme_mode)
    theme.set_text_scale(ui_settings.text_scale, apply=False)
    perks = Perks(momentum.reads.progress().level.number)
    look = Personalization(perks, ui_settings, theme)
    look.apply()  # the theme with what the level allows (applied if that changes it)
    theme.apply()  # cheap when already applied: the style sheet is only set when it differs
    changes = Changes()
    worker = SerialWorker()  # slow reads, syncs, transfers; the controller has its own
    controller = Controller(momentum, changes)
    ctx = GuiContext(momentum, controller, changes, theme, ui_settings, worker, perks, look,
                     animations)
    window = MainWindow(ctx, list(views) if views is not None else VIEWS)
    for owned in (changes, controller, worker, perks, look):
        owned.setParent(window)
    ctx.sync_session = SyncSession(ctx, window)
    ctx.sync_session.points_arrived.connect(window.celebrate)
    return Composition(qapp, momentum, ctx, window)


def _refuse(title: str, message: str) -> int:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    box.exec()
    return 1


def start_gui(db: str | None, profile: str | None, demo: bool, *,
              settings: QSettings | None = None,
              clock: Clock | None = None) -> Composition | int:
    """Open the window (shown, event loop not started) or return an exit status.

    ``clock`` (default: ``MOMENTUM_NOW`` or the system clock, as for the CLI) is the one
    clock of the session: it stamps a new database's profile, Inbox and first settings
    event as well as everything the window does."""
    ensure_application()
    try:
        clock = clock or clock_from_env()
        cleanup: list[Path] = []
        splash: QSplashScreen | None = None
        if demo:
            splash = QSplashScreen(app_icon().pixmap(160, 160))
            splash.showMessage("Preparing a few weeks of demo history…",
                               Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter)
            splash.show()
            QApplication.processEvents()
            folder = Path(tempfile.mkdtemp(prefix="momentum-demo-"))
            cleanup.append(folder)
            db_path = folder / DEMO_FILENAME
            from ..core.demo import create_demo_database  # noqa: PLC0415 (only for --demo)

            create_demo_database(db_path, now=clock.now())
        else:
            db_path = Path(db).expanduser() if db else default_db_path()
        guard = InstanceGuard(db_path)
        if not guard.try_become_primary():
            if guard.ask_primary_to_raise():
                return 0
            return _refuse("Momentum is already running",
                           "Momentum is already open on this database but does not answer. "
                           "Close it (or end it in the task manager) and try again.")
        # The first screen on plain reads when the file needs nothing of the full
        # opening (not the demo's, not another profile's): the services load after the
        # first paint (.opening). Otherwise the full opening now, with the daily rotated
        # backup (docs/RELIABILITY.md) as the command line makes it.
        opening = None if demo or profile is not None else first_screen_opening(
            db_path, clock)
        if opening is not None:
            composition = compose(opening.momentum, clock, settings=settings)
        else:
            import_in_steps(FULL_OPENING_STEPS)
            from ..core.db import open_database  # noqa: PLC0415 (SQLAlchemy)

            database = open_database(db_path, scheduled_backup=not demo, clock=clock)
            composition = compose(database, clock, profile=profile, settings=settings)
    except MomentumError as exc:
        return _refuse("Momentum cannot start", str(exc))
    composition.guard = guard
    composition.owns_database = True
    composition.cleanup = cleanup
    guard.raise_requested.connect(composition.window.bring_to_front)
    if demo:
        # The platform adds the application name ("… — Momentum"): say it once.
        composition.window.setWindowTitle("Demo (changes are not kept)")
    # The CLI or a script may write while the window is open: refresh when they do.
    composition.watcher = OutsideChangeWatcher(
        canonical_path(db_path), composition.ctx.changes, composition.window)
    composition.watcher.start()
    composition.window.show()
    if opening is not None:
        def loaded() -> None:
            composition.window.sidebar.reload_tags()  # skipped until now
            _services_loaded(composition, demo)
        opening.attach(composition, loaded)
    else:
        _services_loaded(composition, demo)
    if splash is not None:
        splash.finish(composition.window)
    return composition


def _services_loaded(composition: Composition, demo: bool) -> None:
    """What waits for the services: reminders, the sync, the first-run welcome."""
    from .reminders import PlanningRuntime  # noqa: PLC0415 (after the window is up)

    composition.planning = PlanningRuntime(composition.ctx, composition.window)
    composition.ctx.sync_session.start()  # sync on start, then every few minutes
    if not demo:
        from .welcome import welcome_if_new  # noqa: PLC0415 (only on a first run)

        composition.welcome = welcome_if_new(composition)
