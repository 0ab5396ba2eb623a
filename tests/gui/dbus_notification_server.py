"""The tests' own session bus and notification server (SPEC v2 §12 reminders).

:func:`session_bus` starts ``dbus-daemon --session`` (Debian package ``dbus``) and gives
its address; :class:`NotificationServer` owns ``org.freedesktop.Notifications`` on it,
answers ``Notify``, ``CloseNotification``, ``GetCapabilities`` and
``GetServerInformation``, records every ``Notify`` it received, and can emit
``ActionInvoked`` / ``NotificationClosed`` as a desktop would when a button is pressed.
It runs in a thread with jeepney's blocking connection.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return
from jeepney import new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, Proxy, open_dbus_connection

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


@contextmanager
def session_bus() -> Iterator[str]:
    """A private session bus for one test: its address (``DBUS_SESSION_BUS_ADDRESS``)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        raise RuntimeError("dbus-daemon is missing: install the Debian package `dbus` "
                           "(scripts/system-deps.sh)")
    process = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        address = process.stdout.readline().strip()
        assert address.startswith("unix:"), address
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@dataclass
class Received:
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    timeout: int

    @property
    def action_keys(self) -> list[str]:
        return self.actions[0::2]


class NotificationServer:
    """A minimal freedesktop notification daemon of the tests' own."""

    def __init__(self, address: str) -> None:
        self.conn: DBusConnection = open_dbus_connection(address)
        reply = Proxy(message_bus, self.conn, timeout=5).RequestName(SERVICE, 4)
        assert reply == (1,), reply  # primary owner
        self.received: list[Received] = []
        self.closed: list[int] = []
        self._next_id = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.conn.receive(timeout=0.05)
            except TimeoutError:
                continue
            except OSError:
                return
            if message.header.message_type is MessageType.method_call:
                self._answer(message)

    def _answer(self, message: Any) -> None:
        member = message.header.fields.get(HeaderFields.member)
        if member == "Notify":
            with self._lock:
                self._next_id += 1
                notification_id = self._next_id
                self.received.append(Received(*message.body))
            self.conn.send(new_method_return(message, "u", (notification_id,)))
        elif member == "CloseNotification":
            (notification_id,) = message.body
            with self._lock:
                self.closed.append(notification_id)
            self.conn.send(new_method_return(message))
            self.emit("NotificationClosed", "uu", (notification_id, 3))
        elif member == "GetCapabilities":
            self.conn.send(new_method_return(message, "as", (["actions", "body"],)))
        elif member == "GetServerInformation":
            self.conn.send(new_method_return(message, "ssss",
                                             ("tests", "momentum", "1", "1.2")))
        else:
            self.conn.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod"))

    def emit(self, name: str, signature: str, body: tuple[Any, ...]) -> None:
        self.conn.send(new_signal(DBusAddress(PATH, interface=SERVICE), name, signature,
                                  body))

    def invoke(self, notification_id: int, key: str) -> None:
        """As if the person pressed the button ``key`` on the notification."""
        self.emit("ActionInvoked", "us", (notification_id, key))
        self.emit("NotificationClosed", "uu", (notification_id, 2))

    def notifications(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.conn.close()
