"""Single instance per database: a second launch raises the running window.

A ``QLockFile`` next to the database decides who is primary (the operating system
releases it if the primary dies, and Qt detects the stale file by its process id). The
primary also listens on a ``QLocalServer`` whose only message is "raise your window";
it answers with an acknowledgement, so a hung primary is told apart from a busy one.
The socket name is a stable hash of the user and the database path (never Python's
randomised ``hash()``), so every launch on the same file finds the same primary.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_REQUEST = b"raise\n"
ACKNOWLEDGEMENT = b"ok\n"
DEFAULT_TIMEOUT_MS = 3000


def instance_key(db_path: Path) -> str:
    """A short, stable local-socket name for this user and database file."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name on some containers
        user = "user"
    identity = f"{user}\0{Path(db_path).expanduser().resolve()}".encode()
    return "momentum-" + hashlib.sha256(identity).hexdigest()[:24]


def lock_path_for(db_path: Path) -> Path:
    db_path = Path(db_path).expanduser()
    return db_path.parent / f".{db_path.name}.lock"


class InstanceGuard(QObject):
    """Decides primary or secondary and carries the one message between them."""

    raise_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server_name = instance_key(db_path)
        self._lock_path = lock_path_for(db_path)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    @property
    def is_primary(self) -> bool:
        return self._server is not None

    def try_become_primary(self) -> bool:
        """Take the lock and start listening; False when another instance holds it."""
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self._lock_path))
        lock.setStaleLockTime(0)  # only a dead owner makes the lock stale, never its age
        if not lock.tryLock(0):
            return False
        self._lock = lock
        QLocalServer.removeServer(self.server_name)  # a socket left by a crashed primary
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            log.warning("cannot listen on %s: %s", self.server_name, server.errorString())
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def ask_primary_to_raise(self, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> bool:
        """Secondary side: ask for the window; True once the primary acknowledged."""
        socket = QLocalSocket()
        socket.connectToServer(self.server_name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(RAISE_REQUEST)
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        answer = b""
        while ACKNOWLEDGEMENT not in answer and socket.waitForReadyRead(timeout_ms):
            answer += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return ACKNOWLEDGEMENT in answer

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._on_ready_read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _on_ready_read(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            return
        request = bytes(connection.readLine().data())
        if request == RAISE_REQUEST:
            self.raise_requested.emit()
            connection.write(ACKNOWLEDGEMENT)
            connection.flush()
        connection.disconnectFromServer()
