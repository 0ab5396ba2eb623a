"""The window's reminder scheduler (SPEC v2 §12).

One single-shot ``QTimer`` is armed for the next pending reminder, its delay computed from
the injected clock (so a test moves a ``FixedClock`` and calls :meth:`check`; nothing
sleeps). When it fires, every reminder whose time has come is shown as one desktop
notification with Done and Snooze 10 min / 1 h / tomorrow, and marked shown (so it is shown
once). Reminders that fell due while Momentum was not running are shown at start as *one*
summary. An action on a notification completes the task through the controller (so it is
undoable and earns its points like any completion) or snoozes the reminder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ..core.catalog import Kind
from ..core.errors import MomentumError
from ..core.services.planning import PlanningService, ReminderDTO
from .changes import TASKS, Change, ItemRef
from .context import GuiContext
from .notify import SNOOZES, Bubble

log = logging.getLogger(__name__)
#: Re-check at least this often (a clock change, a reminder added by the CLI).
MAX_WAIT_MS = 15 * 60 * 1000
SUMMARY_LIMIT = 5


@dataclass
class Shown:
    """A notification on screen: the reminders it stands for."""

    reminders: tuple[ReminderDTO, ...]
    summary: bool = False


def bubble_for(reminders: list[ReminderDTO], zone: object, *, missed: bool) -> Bubble:
    """One notification's text: a reminder's task and due, or a summary of several."""
    def due_text(r: ReminderDTO) -> str:
        if not r.due:
            return ""
        return "due " + r.due.replace("T", " at ")
    if len(reminders) == 1 and not missed:
        [r] = reminders
        when = f"{r.offset} before" if r.offset else "reminder"
        return Bubble(r.task, (due_text(r).capitalize() + " · " if r.due else "") + when)
    count = f"{len(reminders)} reminder" + ("s" if len(reminders) != 1 else "")
    head = f"{count} while Momentum was closed" if missed else count
    lines = [f"• {r.task}" + (f" ({due_text(r)})" if r.due else "")
             for r in reminders[:SUMMARY_LIMIT]]
    if len(reminders) > SUMMARY_LIMIT:
        lines.append(f"… and {len(reminders) - SUMMARY_LIMIT} more")
    return Bubble(head, "\n".join(lines))


class ReminderScheduler(QObject):
    """Arms a timer for the next reminder, shows due ones, handles their actions."""

    shown = Signal(object)  # the Bubble just sent
    open_requested = Signal()

    def __init__(self, ctx: GuiContext, notifier: QObject, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notifier = notifier
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        self.on_screen: dict[int, Shown] = {}
        notifier.action.connect(self._on_action)  # type: ignore[attr-defined]
        notifier.closed.connect(lambda nid: self.on_screen.pop(nid, None))  # type: ignore[attr-defined]
        ctx.changes.changed.connect(self._on_change)

    @property
    def planning(self) -> PlanningService:
        return self.ctx.momentum.planning

    def start(self) -> None:
        """At start: one summary of what fell due while Momentum was closed, then arm."""
        missed = self.planning.due_now()
        if missed:
            self._show(missed, missed=True)
        self.arm()

    def arm(self) -> datetime | None:
        """Arm the timer for the next pending reminder (from the injected clock)."""
        upcoming = self.planning.next_time()
        if upcoming is None:
            self.timer.stop()
            return None
        wait = (upcoming - self.ctx.now()).total_seconds() * 1000
        self.timer.start(int(min(max(wait, 0), MAX_WAIT_MS)))
        return upcoming

    def check(self) -> None:
        """Show every reminder whose time has come, then arm for the next one."""
        due = self.planning.due_now()
        if due:
            self._show(due, missed=False)
        self.arm()

    def _show(self, reminders: list[ReminderDTO], *, missed: bool) -> None:
        zone = self.ctx.profile_time()
        groups = [reminders] if missed or len(reminders) > SUMMARY_LIMIT else [
            [r] for r in reminders]
        for group in groups:
            bubble = bubble_for(group, zone, missed=missed)
            if missed or len(group) > 1:
                bubble = Bubble(bubble.summary, bubble.body,
                                tuple(a for a in bubble.actions if a[0] == "default"))
            try:
                notification_id = self.notifier.notify(bubble)  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 (the service went away: try again later)
                log.warning("could not show a reminder: %s", exc)
                return
            self.on_screen[notification_id] = Shown(tuple(group), summary=len(group) > 1)
            self.planning.mark_shown([r.id for r in group])
            self.shown.emit(bubble)

    def _on_action(self, notification_id: int, key: str) -> None:
        shown = self.on_screen.get(notification_id)
        if key == "default" or shown is None:
            self.open_requested.emit()
            return
        [reminder] = shown.reminders[:1]
        try:
            if key == "done":
                self.planning.mark_done(reminder.id)
                self.ctx.controller.complete(ItemRef(Kind.TASK, reminder.task_id))
            elif key in SNOOZES:
                self.ctx.controller.snooze(reminder.id, SNOOZES[key])
        except MomentumError as exc:
            log.warning("reminder action %s failed: %s", key, exc)
        self.on_screen.pop(notification_id, None)
        self.arm()

    def _on_change(self, change: Change) -> None:
        if TASKS in change.scopes:
            self.arm()

    def stop(self) -> None:
        self.timer.stop()


def install(ctx: GuiContext, window: QObject, address: str | None = None
            ) -> ReminderScheduler:
    """The scheduler with the platform's notifier: D-Bus where a notification service
    answers, else the tray's message. Shows the missed-reminders summary and arms."""
    from .notify import DBusNotifier, TrayNotifier
    from .tray import ensure_tray

    notifier: QObject | None = DBusNotifier.connect_if_available(address, window)
    if notifier is None:
        tray = ensure_tray(window)
        notifier = TrayNotifier(tray, tray.icon(), window)
    scheduler = ReminderScheduler(ctx, notifier, window)
    bring = getattr(window, "bring_to_front", None)
    if bring is not None:
        scheduler.open_requested.connect(bring)
    scheduler.start()
    return scheduler


class PlanningRuntime(QObject):
    """What the running app adds for reminders: the scheduler (started on the next turn
    of the event loop, so connecting to the bus never delays the window) and the
    "keep running in the tray" behaviour."""

    def __init__(self, ctx: GuiContext, window: QWidget, address: str | None = None
                 ) -> None:
        super().__init__(window)
        from .tray import KeepInTray

        self.ctx = ctx
        self.window = window
        self.scheduler: ReminderScheduler | None = None
        self.keep = KeepInTray(window, self.keep_in_tray)
        self._address = address
        QTimer.singleShot(0, self.start)

    def keep_in_tray(self) -> bool:
        chosen = self.ctx.settings.keep_in_tray
        if chosen is not None:
            return chosen
        return self.ctx.momentum.planning.has_reminders()

    def start(self) -> None:
        if self.scheduler is None:
            self.scheduler = install(self.ctx, self.window, self._address)

    def stop(self) -> None:
        self.window.removeEventFilter(self.keep)
        if self.scheduler is not None:
            self.scheduler.stop()
            close = getattr(self.scheduler.notifier, "close", None)
            if close is not None:
                close()
