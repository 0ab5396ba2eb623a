"""Toasts: slide in at the bottom right, queue up, dismiss themselves, never take focus.

A toast is a child widget of the window (no top-level window that could steal focus);
only its own rectangle takes the mouse, the rest of the window stays usable. Messages
that arrive while one is waiting, or just after one appeared, are merged into it, so a
burst becomes one toast.
Clicking a toast opens the view it is about; its Undo button undoes the action(s) it
is about (as Ctrl+Z would), and a toast whose action is undone — from the button, the
Edit menu or Ctrl+Z — is withdrawn. While held (a quiet focus session), toasts wait in
the queue, merged into one, and appear when the hold is released.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import (
    QEasingCurve,
    QElapsedTimer,
    QEvent,
    QObject,
    QPoint,
    QPropertyAnimation,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QEnterEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..theme import ThemeManager
from ..toast_text import ToastMessage

MARGIN = 18
WIDTH = 380
SHOW_MS = 4500
SLIDE_MS = 260
#: Messages arriving this soon after a toast appeared join it (one toast per burst).
BURST_MS = 1500


class Toast(QFrame):
    """One message on screen. Emits ``clicked`` and pauses its timer under the mouse."""

    clicked = Signal()
    undo_clicked = Signal()
    hover_changed = Signal(bool)

    def __init__(self, message: ToastMessage, theme: ThemeManager, parent: QWidget) -> None:
        super().__init__(parent)
        self.message = message
        self.setObjectName("Toast")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedWidth(WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 16, 12)
        layout.setSpacing(12)
        icon_role = "danger" if message.tone == "error" else (
            "warning" if message.icon == "fa5s.star" else "accent")
        if theme.tokens.is_dark and icon_role == "accent":
            icon_role = "accent_hover"
        self.icon_label = QLabel()
        self.icon_label.setPixmap(theme.icon(message.icon, icon_role).pixmap(26, 26))
        self.icon_label.setFixedSize(28, 28)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.title_label = QLabel(message.title)
        self.title_label.setObjectName("ToastTitle")
        column.addWidget(self.title_label)
        self.detail_label = QLabel(message.detail)
        self.detail_label.setWordWrap(True)
        column.addWidget(self.detail_label)
        layout.addLayout(column, 1)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("ToastUndo")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+Z is the key
        self.undo_button.setAutoDefault(False)
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.setToolTip("Undo this (Ctrl+Z)")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.clicked.connect(self.undo_clicked)
        layout.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignTop)
        # only now, with a parent: showing a parentless label or button would open a window
        self.detail_label.setVisible(bool(message.detail))
        self.undo_button.setVisible(bool(message.commands))
        self.setAccessibleName("Notification")
        self.setAccessibleDescription(message.text)
        self.setToolTip("Click to open")
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 140 if theme.tokens.is_dark else 70))
        self.setGraphicsEffect(shadow)
        self.adjustSize()

    def update_message(self, message: ToastMessage) -> None:
        self.message = message
        self.title_label.setText(message.title)
        self.detail_label.setText(message.detail)
        self.detail_label.setVisible(bool(message.detail))
        self.undo_button.setVisible(bool(message.commands))
        self.setAccessibleDescription(message.text)
        self.adjustSize()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()

    def enterEvent(self, event: QEnterEvent) -> None:
        self.hover_changed.emit(True)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.hover_changed.emit(False)
        super().leaveEvent(event)


class ToastCenter(QObject):
    """Queues messages and shows them one at a time over ``host``."""

    shown = Signal(object)  # ToastMessage, as it went on screen
    updated = Signal(object)  # ToastMessage, when a burst grew the toast on screen
    activated = Signal(tuple)  # the message's target views
    undo_requested = Signal(tuple)  # the message's undo commands (latest last)

    def __init__(self, host: QWidget, theme: ThemeManager, *, animations: bool = True,
                 show_ms: int = SHOW_MS) -> None:
        super().__init__(host)
        self._host = host
        self._theme = theme
        self._animations = animations
        self._queue: deque[ToastMessage] = deque()
        self.current: Toast | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(show_ms)
        self._timer.timeout.connect(self.dismiss)
        self._slide: QPropertyAnimation | None = None
        self._shown_for = QElapsedTimer()
        self._held = False
        host.installEventFilter(self)

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def held(self) -> bool:
        return self._held

    def set_show_ms(self, milliseconds: int) -> None:
        """How long a toast stays up (Settings ▸ Notifications)."""
        self._timer.setInterval(milliseconds)

    def hold(self) -> None:
        """Keep new toasts back (they queue up, merged) until :meth:`release`."""
        self._held = True

    def release(self) -> None:
        self._held = False
        if self.current is None:
            self._show_next()

    def notify(self, message: ToastMessage) -> None:
        """Show ``message`` (merged into a waiting one, so a burst is one toast)."""
        if self._queue:
            self._queue[-1] = self._queue[-1].merged(message)
            return
        if self._held:
            self._queue.append(message)
            return
        if self.current is not None and self._shown_for.elapsed() < BURST_MS:
            if self._slide is not None:
                self._slide.stop()
                self._slide = None
            self.current.update_message(self.current.message.merged(message))
            self._place(self.current, final=True)
            self._timer.start()
            self.updated.emit(self.current.message)
            return
        self._queue.append(message)
        if self.current is None:
            self._show_next()

    def withdraw(self, command: object) -> bool:
        """Take back every toast about ``command`` (it was undone); True if one went."""
        before = len(self._queue)
        self._queue = deque(m for m in self._queue if not m.about(command))
        withdrawn = len(self._queue) != before
        if self.current is not None and self.current.message.about(command):
            self.dismiss()
            withdrawn = True
        return withdrawn

    def clear(self) -> None:
        """Dismiss the toast on screen and drop those waiting behind it (the game was
        hidden; a test starts from a quiet centre): nothing more shows until the next
        :meth:`notify`."""
        self._queue.clear()
        self.dismiss()

    def dismiss(self) -> None:
        toast, self.current = self.current, None
        self._slide = None
        self._timer.stop()
        if toast is not None:
            toast.hide()
            toast.deleteLater()
        if self._queue:
            QTimer.singleShot(120 if self._animations else 0, self._show_next)

    def _show_next(self) -> None:
        if self.current is not None or not self._queue or self._held:
            return
        message = self._queue.popleft()
        toast = Toast(message, self._theme, self._host)
        toast.clicked.connect(self._on_clicked)
        toast.undo_clicked.connect(self._on_undo)
        toast.hover_changed.connect(self._on_hover)
        self.current = toast
        toast.show()
        toast.raise_()
        self._place(toast, final=not self._animations)
        if self._animations:
            self._slide_in(toast)
        self._timer.start()
        self._shown_for.start()
        self.shown.emit(message)

    def _final_position(self, toast: Toast) -> QPoint:
        return QPoint(self._host.width() - toast.width() - MARGIN,
                      self._host.height() - toast.height() - MARGIN)

    def _place(self, toast: Toast, *, final: bool) -> None:
        target = self._final_position(toast)
        toast.move(target if final else QPoint(self._host.width() + 10, target.y()))

    def _slide_in(self, toast: Toast) -> None:
        slide = QPropertyAnimation(toast, b"pos", toast)
        slide.setDuration(SLIDE_MS)
        slide.setStartValue(toast.pos())
        slide.setEndValue(self._final_position(toast))
        slide.setEasingCurve(QEasingCurve.Type.OutCubic)
        slide.finished.connect(self._slide_finished)
        self._slide = slide
        slide.start(QPropertyAnimation.DeletionPolicy.DeleteWhenStopped)

    def _slide_finished(self) -> None:
        self._slide = None

    def _on_clicked(self) -> None:
        if self.current is not None:
            targets = self.current.message.targets
            self.dismiss()
            self.activated.emit(targets)

    def _on_undo(self) -> None:
        if self.current is not None:
            self.undo_requested.emit(self.current.message.commands)

    def _on_hover(self, inside: bool) -> None:
        if inside:
            self._timer.stop()
        elif self.current is not None:
            self._timer.start(1500)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.current:
            self._place(self.current, final=True)
        return False
