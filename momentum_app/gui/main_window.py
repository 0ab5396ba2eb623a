"""The main window: sidebar, header, the views' stack, toasts, menus and shortcuts.

It lays things out and routes: the current view answers "what is selected", the
controller performs changes, and the one change signal updates the header, the toasts
and the level-up banner. It also runs focus sessions: a time slot counted down under
the header (and in the system tray where there is one), completed through the
controller when time is up, with toasts held back meanwhile if the person wants quiet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ..core import catalog
from ..core.catalog import Kind
from ..core.engine.outcome import Outcome
from ..core.errors import ValidationError
from ..core.kinds import Status
from ..core.services.dto import SlotDTO
from .actions import WindowActions
from .changes import PROFILE, REWARDS, Change, ItemRef
from .context import GuiContext
from .dialogs import launcher
from .dialogs.form import FormDialog
from .game_mode import GAME_VIEWS, game_mode, game_shown, toasts_on
from .launch import app_icon
from .perks import Look, PerkLocked
from .theme import ThemeMode
from .toast_text import (
    ToastMessage,
    error_message,
    freeze_message,
    purchase_message,
    summarize,
)
from .views import View, ViewSpec
from .views.game_off import GameOffView
from .views.sidebar import Sidebar
from .widgets.backdrop import BackdropStack
from .widgets.busy import BusyIndicator
from .widgets.focus_timer import FocusBar, FocusSession, FocusState, countdown_text
from .widgets.header import HeaderBar
from .widgets.level_banner import LevelUpBanner
from .widgets.toast import ToastCenter

if TYPE_CHECKING:
    from ..core.services.rewards import BoughtDTO

DEFAULT_SIZE = (1280, 820)
MINIMUM_SIZE = (980, 640)


class LazyViews(Mapping[str, View]):
    """The window's views by id, each built the first time it is asked for.

    Start-up builds only the view on screen; the others cost nothing until opened (a
    view built late starts stale, so it reads its data when first shown).
    """

    def __init__(self, specs: Sequence[ViewSpec], build: Callable[[ViewSpec], View]) -> None:
        self._specs = {spec.id: spec for spec in specs}
        self._build = build
        self._built: dict[str, View] = {}

    def __getitem__(self, view_id: str) -> View:
        view = self._built.get(view_id)
        if view is None:
            view = self._build(self._specs[view_id])  # KeyError for an unknown id
            self._built[view_id] = view
        return view

    def __contains__(self, view_id: object) -> bool:
        return view_id in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def built(self) -> dict[str, View]:
        return dict(self._built)


class MainWindow(QMainWindow):
    def __init__(self, ctx: GuiContext, view_specs: Sequence[ViewSpec]) -> None:
        super().__init__()
        self.ctx = ctx
        self.view_specs = list(view_specs)
        self.setWindowTitle("Momentum")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = Sidebar(ctx, self.view_specs)
        row.addWidget(self.sidebar)
        self.content = QWidget()
        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = HeaderBar(ctx.theme, ctx.animation_ms(650))
        column.addWidget(self.header)
        self.focus = FocusSession(ctx.momentum.clock, self)
        self.focus_bar = FocusBar(self.focus, ctx.theme)
        column.addWidget(self.focus_bar)
        self.tray: QSystemTrayIcon | None = None
        self._focus_profile = ctx.momentum.profile_id
        self.stack = BackdropStack(ctx.theme)
        self.stack.setObjectName("Views")
        column.addWidget(self.stack, 1)
        row.addWidget(self.content, 1)
        self.setCentralWidget(central)

        self.views = LazyViews(self.view_specs, self._build_view)

        self._toast_seconds = ctx.settings.toast_seconds
        self.toasts = ToastCenter(self.content, ctx.theme, animations=ctx.animations,
                                  show_ms=self._toast_seconds * 1000)
        self.toasts.activated.connect(self.open_targets)
        self.toasts.undo_requested.connect(self.undo_commands)
        self.banner = LevelUpBanner(self.content, ctx.theme, animations=ctx.animations,
                                    top=self.header.height())
        self._pending_banner: tuple[int, str, str | None] | None = None
        self.focus.finished.connect(self._focus_finished)
        self.focus.stopped.connect(self._focus_stopped)
        self.focus.ticked.connect(self._focus_ticked)
        self.window_actions = WindowActions(self)
        self.window_actions.build_menus(self.menuBar())
        self.statusBar().setSizeGripEnabled(False)
        self.busy = BusyIndicator(ctx.controller.ops, self)  # a slow op (gui/ops.py)
        self.statusBar().addPermanentWidget(self.busy)

        self.sidebar.view_chosen.connect(self._on_nav_chosen)
        self.sidebar.project_chosen.connect(self.show_project)
        self.sidebar.tag_chosen.connect(self.show_tag)
        self.sidebar.new_project_requested.connect(self.new_project)
        self.sidebar.status_message.connect(self.show_status)
        ctx.changes.changed.connect(self._on_change)
        ctx.controller.failed.connect(self._on_failure)
        ctx.controller.replayed.connect(self.show_status)
        ctx.controller.rewards.purchased.connect(self._on_purchased)
        self.game_off: GameOffView | None = None
        self._game_off_for: str | None = None
        self.mode = game_mode(ctx.momentum)
        self.header.apply_progress(ctx.momentum.reads.progress())
        self._apply_game_mode()
        ctx.look.changed.connect(self._apply_look)
        self._apply_look(ctx.look.look())
        ctx.theme.changed.connect(lambda _tokens: self.window_actions.sync_themes())
        ctx.perks.changed.connect(self.window_actions.sync_themes)
        self.window_actions.sync_themes()
        self.setTabOrder(self.sidebar.nav, self.sidebar.projects)
        self._restore_state()

    # -- views -----------------------------------------------------------------------------

    def _build_view(self, spec: ViewSpec) -> View:
        view = spec.factory(self.ctx)
        view.setAccessibleName(spec.title)
        view.setAccessibleDescription(spec.accessible_description)
        view.edit_requested.connect(self.open_editor)
        view.status_message.connect(self.show_status)
        view.new_requested.connect(self._new_of_kind)
        self.stack.addWidget(view)
        return view

    def current_view(self) -> View:
        widget = self.stack.currentWidget()
        assert isinstance(widget, View)
        return widget

    def current_view_id(self) -> str:
        if self.game_off is not None and self.current_view() is self.game_off:
            return self._game_off_for or "today"
        return next(key for key, view in self.views.built().items()
                    if view is self.current_view())

    def show_view(self, view_id: str, *, focus: bool = False) -> View | None:
        if view_id in GAME_VIEWS and not game_shown(self.mode):
            return self._show_game_off(view_id)
        view = self.views.get(view_id)
        if view is None:
            return None
        self.stack.setCurrentWidget(view)
        self.sidebar.select_view(view_id)
        self.ctx.settings.last_view = view_id
        if focus:
            view.focus_content()
        return view

    def _show_game_off(self, view_id: str) -> View:
        """A game view while the game is off: the neutral page stands in for it."""
        if self.game_off is None:
            self.game_off = GameOffView(self.ctx)
            self.game_off.setAccessibleName("The game is off")
            self.stack.addWidget(self.game_off)
        self._game_off_for = view_id
        self.stack.setCurrentWidget(self.game_off)
        self.sidebar.select_view(view_id)
        return self.game_off

    def _apply_game_mode(self) -> None:
        """Show or hide the game (SPEC v2 §11) after the profile's mode was read."""
        self.header.set_game_mode(self.mode)
        self.sidebar.hide_views(GAME_VIEWS if not game_shown(self.mode) else frozenset())
        showing_off = self.game_off is not None and self.stack.currentWidget() is self.game_off
        if not game_shown(self.mode):
            self.toasts.clear()  # the waiting ones too: no points toast after the game went
            if self.stack.currentWidget() is not None and not showing_off \
                    and self.current_view_id() in GAME_VIEWS:
                self._show_game_off(self.current_view_id())
        elif showing_off:
            self.show_view(self._game_off_for or "today")

    def _on_nav_chosen(self, view_id: str) -> None:
        view = self.show_view(view_id)
        if view is not None and view.project_filter() is not None:
            view.set_project_filter(None)  # "Tasks" in the sidebar means all of them

    def show_project(self, project: str) -> None:
        view = self.show_view("tasks")
        if view is not None:
            view.set_project_filter(project)
            self.sidebar.select_project(project)

    def show_tag(self, tag: str) -> None:
        """The Tasks view filtered to one tag (the sidebar's tag list)."""
        view = self.show_view("tasks")
        if view is not None:
            view.set_tag_filter(tag)

    def open_targets(self, targets: tuple[str, ...]) -> None:
        """Open the first of a toast's target views that this window has."""
        for target in targets:
            if target in self.views:
                self.show_view(target, focus=True)
                return

    # -- actions on the selection ----------------------------------------------------------

    def _selected(self) -> ItemRef | None:
        ref = self.current_view().current_item()
        if ref is None:
            self.show_status("Select a task, step or time slot first")
        return ref

    def toggle_current(self) -> None:
        ref = self._selected()
        if ref is not None:
            self._and_move_on(self.ctx.controller.toggle_done, ref, in_place=True)

    def _and_move_on(self, action: Any, ref: ItemRef, *, in_place: bool = False) -> Any:
        """Do ``action`` on the selected item as the current view's own change (it
        updates in place when ``in_place`` and it can), then select the next one
        (Ctrl+Enter, Del)."""
        view = self.current_view()
        following = view.following_item()
        result = self._guarded(lambda: view.act(lambda: action(ref),
                                                view.in_place if in_place else None))
        if result is not None and following is not None:
            view.select_item(following)
        return result

    def complete_current_at(self) -> FormDialog | None:
        ref = self._selected()
        if ref is None:
            return None
        if self.ctx.controller.get(ref).status == Status.DONE:
            self.show_status("Already done: reopen it first to change when it was done")
            return None
        return launcher.open_complete_at(self.ctx, ref, self)

    def edit_current(self) -> None:
        ref = self._selected()
        if ref is not None:
            self.open_editor(ref)

    def delete_current(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        item = self._and_move_on(self.ctx.controller.delete, ref)
        if item is not None:
            self.show_status(f"Deleted “{item.title}”. Press Ctrl+Z to undo.")

    def open_editor(self, ref: ItemRef) -> FormDialog | None:
        return launcher.open_editor(self.ctx, ref, self)

    def find_tasks(self) -> None:
        view = self.show_view("tasks")
        if view is not None:
            view.focus_search()

    def new_task(self) -> FormDialog:
        view = self.current_view()
        due = self.ctx.today() if self.current_view_id() == "today" else None
        dialog = launcher.open_new_task(self.ctx, self, project=view.project_filter(), due=due)
        dialog.accepted.connect(lambda: self._select_made(dialog))
        return dialog

    def _select_made(self, dialog: FormDialog) -> None:
        """The task just made with Ctrl+N is selected and scrolled into view."""
        made = getattr(dialog, "made", None)
        if made is not None:
            self.current_view().select_item(made)

    def _new_of_kind(self, kind: Kind) -> FormDialog:
        return {Kind.GOAL: self.new_goal, Kind.SLOT: self.new_slot}.get(kind, self.new_task)()

    def new_goal(self) -> FormDialog:
        return launcher.open_new_goal(self.ctx, self)

    def new_slot(self) -> FormDialog:
        return launcher.open_new_slot(self.ctx, self)

    def new_project(self) -> FormDialog:
        return launcher.open_new_project(self.ctx, self)

    def _guarded(self, action: Any, *args: Any) -> Any:
        try:
            return action(*args)
        except ValidationError as exc:
            self.show_status(exc.message)
            return None

    # -- window chrome ---------------------------------------------------------------------

    def set_theme(self, mode: ThemeMode) -> bool:
        """Switch theme; an extra theme is refused (with a message) below its level."""
        try:
            self.ctx.look.set_theme(mode)
        except PerkLocked as locked:
            self.show_status(str(locked))
            self.window_actions.sync_themes()
            return False
        self.window_actions.sync_themes()
        return True

    def export_data(self) -> QDialog:
        from .dialogs.transfer import ExportDialog  # noqa: PLC0415

        dialog = ExportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def import_data(self) -> QDialog:
        from .dialogs.transfer import ImportDialog  # noqa: PLC0415

        dialog = ImportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def show_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About Momentum",
                          "<b>Momentum</b><br>An offline, gamified task planner.<br>"
                          "Your data stays on this computer.", QMessageBox.StandardButton.Ok,
                          self)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def bring_to_front(self) -> None:
        """A second launch asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # -- the change signal -----------------------------------------------------------------

    def undo_commands(self, commands: tuple[object, ...]) -> None:
        """A toast's Undo: undo its actions, latest first, as Ctrl+Z would."""
        undone = False
        for command in reversed(commands):
            if not self.ctx.controller.undo_command(command):
                break
            undone = True
        if not undone:
            self.show_status("Undo the later changes first (Ctrl+Z)")

    def _target_reached(self, change: Change) -> bool:
        """Did this task completion make today reach the daily target?"""
        outcome = change.outcome
        if change.item is None or change.item.kind is not Kind.TASK or outcome is None:
            return False
        today = self.ctx.today().isoformat()
        streak = next((s for s in outcome.streaks if s.type == catalog.StreakType.DAILY_TARGET),
                      None)
        if streak is None or streak.last_activity_date != today:
            return False
        reads = self.ctx.momentum
        return reads.reads.tasks_done_today() == reads.profiles.current().daily_target

    def _on_change(self, change: Change) -> None:
        if change.touches(PROFILE):
            mode = game_mode(self.ctx.momentum)
            if mode != self.mode:
                self.mode = mode
                self._apply_game_mode()
        if change.undone and change.command is not None:
            self.toasts.withdraw(change.command)
        if change.outcome is not None:
            news = self.header.apply_outcome(change.outcome)
            self._refresh_weekly_points()
            freeze_toast = freeze_message(news) if news is not None else None
            if change.announce and toasts_on(self.mode):
                settings = self.ctx.settings
                message = summarize(change.outcome, change.item.kind if change.item else None,
                                    settings.toast_kinds,
                                    target_reached=self._target_reached(change),
                                    command=change.command)
                if message is not None and freeze_toast is not None:
                    # One toast for one action: the points, then the freeze news.
                    message, freeze_toast = message.merged(replace(freeze_toast, heading="")), None
                if message is not None:
                    if settings.toast_seconds != self._toast_seconds:  # changed in Settings
                        self._toast_seconds = settings.toast_seconds
                        self.toasts.set_show_ms(self._toast_seconds * 1000)
                    self.toasts.notify(message)
                if freeze_toast is not None:  # no points toast (Settings): the freeze alone
                    self.toasts.notify(freeze_toast)
                self._celebrate(change.outcome)
        elif change.touches(PROFILE, REWARDS):
            self.header.apply_progress(self.ctx.momentum.reads.progress())
        if self.focus.active and self.ctx.momentum.profile_id != self._focus_profile:
            self.focus.cancel()  # the slot belongs to the profile that was left

    def _on_purchased(self, bought: BoughtDTO) -> None:
        """A reward bought (or bought again by a redo): a toast, in full mode."""
        self.celebrate(purchase_message(bought))

    def celebrate(self, message: ToastMessage) -> None:
        """A toast that celebrates (a purchase, points from another computer): only in
        full mode — quiet and off show no toasts (SPEC v2 §11)."""
        if toasts_on(self.mode):
            self.toasts.notify(message)

    def _celebrate(self, outcome: Outcome) -> None:
        """A level-up gets the banner (after the focus session, when it should be quiet)."""
        level_up = outcome.level_up
        if level_up is None or level_up.to <= level_up.previous:
            return
        level = catalog.LEVELS[min(level_up.to, catalog.MAX_LEVEL) - 1]
        celebration = (level.number, level.title, level.perk)
        if self.focus.active and self.ctx.settings.quiet_during_focus:
            self._pending_banner = celebration
            return
        self.banner.set_top(self.header.height() + (
            self.focus_bar.height() if self.focus_bar.isVisible() else 0))
        self.banner.celebrate(*celebration)

    def _refresh_weekly_points(self) -> None:
        reads = self.ctx.momentum.reads
        self.ctx.worker.submit(reads.progress, lambda progress: self.header.week_block.set_value(
            f"{progress.weekly_points:,}"))

    def _apply_look(self, look: Look) -> None:
        """The perks' look: badge shape and frame, gold header, background pattern."""
        self.header.apply_look(look.badge_style, look.prestige_frame, look.legendary)
        self.stack.set_pattern(look.background)

    def _on_failure(self, message: str) -> None:
        self.show_status(message)
        self.toasts.notify(error_message(message))

    # -- focus sessions --------------------------------------------------------------------

    def start_focus(self, ref: ItemRef | None = None) -> bool:
        """Run an open time slot (the selected one by default) as a focus session."""
        ref = ref or self.current_view().current_item()
        if ref is None or ref.kind is not Kind.SLOT:
            self.show_status("Select a time slot to focus on (Today or Schedule)")
            return False
        slot = self.ctx.controller.get(ref)
        assert isinstance(slot, SlotDTO), ref  # the focus takes a time slot
        if slot.status == Status.DONE:
            self.show_status("That time slot is already done")
            return False
        if self.ctx.settings.quiet_during_focus:
            self.toasts.hold()
        self._focus_profile = self.ctx.momentum.profile_id
        self.focus.start(ref, slot.title, slot.minutes)
        self._show_tray(slot.title)
        self.show_status(f"Focus: {slot.title} — {slot.minutes} minutes. Toasts wait."
                         if self.ctx.settings.quiet_during_focus
                         else f"Focus: {slot.title} — {slot.minutes} minutes")
        return True

    def _show_tray(self, title: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.activated.connect(lambda _reason: self.bring_to_front())
        self.tray.setToolTip(f"Focus: {title}")
        self.tray.show()

    def _focus_ticked(self, seconds: int) -> None:
        if self.tray is not None and self.focus.state is not None:
            self.tray.setToolTip(f"Focus: {self.focus.state.title} · "
                                 f"{countdown_text(seconds)} left")

    def _end_focus(self) -> None:
        """Give back the toasts and the banner that waited, and hide the tray icon."""
        self.toasts.release()
        if self.tray is not None:
            self.tray.hide()
        pending, self._pending_banner = self._pending_banner, None
        if pending is not None:
            self.banner.set_top(self.header.height())
            self.banner.celebrate(*pending)

    def _focus_finished(self, state: FocusState) -> None:
        self._end_focus()
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage("Focus session complete", state.title, app_icon(), 4000)
        done = self._guarded(self.ctx.controller.complete, state.ref)
        if done is not None:
            self.show_status(f"Focus session complete: “{state.title}” is done")

    def _focus_stopped(self, state: FocusState) -> None:
        self._end_focus()
        self.show_status(f"Focus session stopped; “{state.title}” is still open")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.banner.isVisible():
            self.banner.move((self.content.width() - self.banner.width()) // 2,
                             self.banner.y())

    # -- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.ctx.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.ctx.settings.window_state()
        if state is not None:
            self.restoreState(state)
        last = self.ctx.settings.last_view
        self.show_view(last if last in self.views else self.view_specs[0].id)

    def save_state(self) -> None:
        self.ctx.settings.save_geometry(self.saveGeometry(), self.saveState())
        self.ctx.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.focus.active:
            self.focus.cancel()
        super().closeEvent(event)
