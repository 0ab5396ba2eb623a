"""Desktop notifications: freedesktop Notifications over D-Bus, else the tray's message.

:class:`DBusNotifier` talks to ``org.freedesktop.Notifications`` on the session bus
(``DBUS_SESSION_BUS_ADDRESS``) with jeepney, a small pure-Python D-Bus library: PySide6's
QtDBus cannot send the ``u`` (replaces_id) and ``a{sv}`` (hints) arguments that ``Notify``
needs from Python. jeepney is imported only when the first reminder is due or at the
reminder check after start (about 1 ms), never on the window's start path. Incoming
signals (``ActionInvoked``, ``NotificationClosed``) are read when the bus socket becomes
readable (a ``QSocketNotifier``), so nothing blocks or polls.

:class:`TrayNotifier` is the fallback where no notification service answers: Qt's
``QSystemTrayIcon.showMessage`` (no action buttons; clicking it opens the window).

Both emit ``action(notification_id, key)``; the keys are :data:`ACTIONS`'.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
APP_NAME = "Momentum"
#: The notification's buttons: (key, label). "default" is a click on the bubble itself.
ACTIONS: tuple[tuple[str, str], ...] = (
    ("default", "Open Momentum"), ("done", "Done"), ("snooze-10m", "Snooze 10 min"),
    ("snooze-1h", "Snooze 1 h"), ("snooze-tomorrow", "Tomorrow"))
#: Snooze action → the duration the core's ``snooze`` takes.
SNOOZES = {"snooze-10m": "10m", "snooze-1h": "1h", "snooze-tomorrow": "tomorrow"}
CALL_TIMEOUT = 2.0


@dataclass(frozen=True)
class Bubble:
    """What one notification shows (also rendered offscreen for screenshots)."""

    summary: str
    body: str
    actions: tuple[tuple[str, str], ...] = ACTIONS


class DBusNotifier(QObject):
    """``Notify`` / ``CloseNotification`` on the session bus, and the service's signals."""

    action = Signal(int, str)
    closed = Signal(int)

    def __init__(self, address: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from jeepney import DBusAddress, MatchRule
        from jeepney.bus import get_bus
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import DBusConnection, Proxy, prep_socket

        bus = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not bus:
            raise OSError("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        self._conn = DBusConnection(prep_socket(get_bus(bus), timeout=CALL_TIMEOUT))
        self._address = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        self._signals: deque[Any] = deque(maxlen=256)
        rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
        self._filter = self._conn.filter(rule, queue=self._signals)
        Proxy(message_bus, self._conn, timeout=CALL_TIMEOUT).AddMatch(rule)
        self.sent: list[Bubble] = []
        self._notifier = QSocketNotifier(self._conn.sock.fileno(), QSocketNotifier.Type.Read,
                                         self)
        self._notifier.activated.connect(self._read)

    @classmethod
    def connect_if_available(cls, address: str | None = None,
                             parent: QObject | None = None) -> DBusNotifier | None:
        """A notifier when a session bus with a notification service answers, else None."""
        try:
            notifier = cls(address, parent)
        except Exception as exc:  # noqa: BLE001 (no bus, refused: fall back)
            log.info("no session bus for desktop notifications: %s", exc)
            return None
        try:
            notifier.capabilities()
        except Exception as exc:  # noqa: BLE001 (no notification service: fall back)
            log.info("no desktop notification service on the session bus: %s", exc)
            notifier.close()
            notifier.deleteLater()
            return None
        return notifier

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()
              ) -> tuple[Any, ...]:
        from jeepney import new_method_call
        from jeepney.wrappers import unwrap_msg

        message = new_method_call(self._address, method, signature, body)
        reply = self._conn.send_and_get_reply(message, timeout=CALL_TIMEOUT)
        result: tuple[Any, ...] = unwrap_msg(reply)
        self._deliver()  # signals that arrived while waiting for the reply
        return result

    def capabilities(self) -> list[str]:
        return list(self._call("GetCapabilities")[0])

    def notify(self, bubble: Bubble, replaces: int = 0) -> int:
        flat: list[str] = [part for pair in bubble.actions for part in pair]
        hints = {"category": ("s", "x-momentum.reminder"), "urgency": ("y", 1)}
        (notification_id,) = self._call(
            "Notify", "susssasa{sv}i",
            (APP_NAME, replaces, "momentum", bubble.summary, bubble.body, flat, hints, -1))
        self.sent.append(bubble)
        return int(notification_id)

    def close_notification(self, notification_id: int) -> None:
        self._call("CloseNotification", "u", (notification_id,))

    def _read(self) -> None:
        """The socket is readable: take every complete message, then hand out signals."""
        while True:
            try:
                self._conn.recv_messages(timeout=0)
            except TimeoutError:
                break
            except (OSError, ValueError) as exc:
                log.warning("notification bus closed: %s", exc)
                self._notifier.setEnabled(False)
                break
        self._deliver()

    def _deliver(self) -> None:
        while self._signals:
            message = self._signals.popleft()
            from jeepney import HeaderFields
            member = message.header.fields.get(HeaderFields.member)
            if member == "ActionInvoked":
                notification_id, key = message.body
                self.action.emit(int(notification_id), str(key))
            elif member == "NotificationClosed":
                self.closed.emit(int(message.body[0]))

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._filter.close()
        self._conn.close()


class TrayNotifier(QObject):
    """Qt's tray message where no notification service exists (no buttons)."""

    action = Signal(int, str)
    closed = Signal(int)

    def __init__(self, tray: QSystemTrayIcon, icon: QIcon, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.tray = tray
        self.icon = icon
        self.sent: list[Bubble] = []
        self._last = 0
        tray.messageClicked.connect(lambda: self.action.emit(self._last, "default"))

    def notify(self, bubble: Bubble, replaces: int = 0) -> int:
        self._last += 1
        self.sent.append(bubble)
        self.tray.show()
        self.tray.showMessage(bubble.summary, bubble.body, self.icon, 15_000)
        return self._last

    def close_notification(self, notification_id: int) -> None:
        """A tray message cannot be taken back; it times out by itself."""

    def close(self) -> None:
        """Nothing to release: the tray icon belongs to the window."""


def action_labels(bubble: Bubble) -> Sequence[str]:
    return [label for key, label in bubble.actions if key != "default"]
