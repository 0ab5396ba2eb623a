"""Small building blocks shared by the views: labels, cards, stat tiles, segmented buttons,
empty states, and the notice a locked perk shows in place of its feature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from ..theme import ThemeManager, Tokens

CHIP_HEIGHT = 20
#: Left, top, right, bottom, in pixels (``QLayout.setContentsMargins``).
Margins = tuple[int, int, int, int]
NO_MARGINS: Margins = (0, 0, 0, 0)
BoxT = TypeVar("BoxT", QHBoxLayout, QVBoxLayout)


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel with a style-sheet role (``h1``, ``h2``, ``muted``, ``caption``, ``chip``…)."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if role and role.startswith("chip"):
        widget.setFixedHeight(CHIP_HEIGHT)  # a pill: the radius is half the height
    widget.setWordWrap(wrap)
    return widget


class FullHeightLabel(QLabel):
    """A wrapped label (rich text with lists: the import preview) that no layout can
    squash: its minimum height follows its height at its real width. Qt's form layout
    sized it from a height-for-width estimate a line short at the dialog's minimum size,
    cutting the last line ("Nothing has been written yet.")."""

    def __init__(self, role: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if role:
            self.setProperty("role", role)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._keep_height()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._keep_height()

    def _keep_height(self) -> None:
        need = self.heightForWidth(self.width()) if self.text() else 0
        if need >= 0 and self.minimumHeight() != need:
            self.setMinimumHeight(need)


def text_scaled(pixels: int, most: float = 1.5) -> int:
    """``pixels`` grown with the application font (its size over the 9 pt the layout was
    drawn at), by at most ``most`` times: for panels that hold text at a fixed width."""
    size = QApplication.font().pointSizeF()
    factor = min(most, max(1.0, size / 9.0)) if size > 0 else 1.0
    return round(pixels * factor)


class ElidedLabel(QLabel):
    """One line of someone's own text (a slot title) that ends in "…" when it does not
    fit; the whole text is then its tooltip. Marked for the cut-text check
    (:mod:`momentum_app.gui.layout_check`) as eliding on purpose."""

    def __init__(self, text: str = "", role: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if role:
            self.setProperty("role", role)
        self.setProperty("elides", True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self.setProperty("full_text", text)
        self._elide()

    def full_text(self) -> str:
        return str(self.property("full_text") or "")

    def _elide(self) -> None:
        full = self.full_text()
        shown = self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight,
                                              max(0, self.width()))
        super().setText(shown)
        self.setToolTip(full if shown != full else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's style role and re-polish it so the style sheet applies."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def set_flag(widget: QWidget, name: str, value: bool) -> None:
    """Set a boolean style property (``invalid``, ``done``…) and re-polish."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def discard(widget: QWidget) -> None:
    """Take a widget out of its view for good (a rebuild replaces it).

    Hidden *explicitly* first: a widget added to a visible layout has a queued "show
    if not hidden"; unparented with that still pending, it would pop up as a window of
    its own (a flash on the desktop that takes the focus, and with it the window's
    shortcuts) until ``deleteLater`` runs."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    return frame


FOCUS_RING = 2  # pixels: the keyboard focus ring, in the ``focus`` colour of the theme


def paint_focus_ring(painter: QPainter, rect: QRectF, tokens: Tokens, radius: float = 6.0
                     ) -> None:
    """The 2 px keyboard focus ring (the text colour: distinct from the accent selection)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(tokens.color("text"), FOCUS_RING)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_RING / 2
    painter.drawRoundedRect(rect.adjusted(half, half, -half, -half), radius, radius)
    painter.restore()


def layout_of(widget: QWidget) -> QLayout:
    """The layout a widget was built with (Qt types ``layout()`` as optional)."""
    layout = widget.layout()
    assert layout is not None, f"{type(widget).__name__} has no layout"
    return layout


def spaced(layout: BoxT, spacing: int, margins: Margins | None = None) -> BoxT:
    """``layout`` with ``spacing`` between its items and, if given, ``margins`` around
    them: ``spaced(QHBoxLayout(self), 8, NO_MARGINS)``."""
    layout.setSpacing(spacing)
    if margins is not None:
        layout.setContentsMargins(*margins)
    return layout


def pushed_row(*widgets: QWidget, right: bool = False) -> QHBoxLayout:
    """``widgets`` side by side, kept at the left of the row (at the right if ``right``)
    by a stretch on the other side."""
    row = QHBoxLayout()
    if right:
        row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    if not right:
        row.addStretch(1)
    return row


def refill(layout: QBoxLayout, widgets: Sequence[QWidget]) -> None:
    """``widgets`` in place of everything ``layout`` held (disposed of, as by
    :func:`clear_layout`), then a stretch: a list rebuilt from fresh rows."""
    clear_layout(layout)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)


def stacked(into: QBoxLayout, *pages: QWidget, stretch: int = 0) -> QStackedLayout:
    """A stack of ``pages`` (the first one showing) at the end of ``into``. The stack is
    put in ``into`` before it gets its pages: a page added to a parentless stack would
    show as a window of its own."""
    stack = QStackedLayout()
    into.addLayout(stack, stretch)
    for page in pages:
        stack.addWidget(page)
    return stack


def clear_layout(layout: QLayout) -> None:
    """Take every item out of ``layout`` and dispose of its widgets: hidden first (so a
    pending show cannot pop one up alone), unparented, deleted later."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            discard(widget)


def flat_scroll(widget: QWidget, *, horizontal: bool = True) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it (no horizontal bar if told).

    The area itself takes no Tab stop (it has no name to announce): Tab goes to what is
    inside it."""
    scroll = QScrollArea()
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    if not horizontal:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(widget)
    return scroll


def never_default(*buttons: QPushButton) -> None:
    """Enter must never press these (segments, icon buttons, helpers inside a form).

    In a dialog every QPushButton is an *auto-default* button: focused, it takes Enter
    from the dialog's Save. Buttons that only pick a value opt out.
    """
    for button in buttons:
        button.setAutoDefault(False)
        button.setDefault(False)


def keep_enter_for_default(dialog: QWidget, keep: Sequence[QAbstractButton] = ()) -> None:
    """Every push button of ``dialog`` except ``keep`` (its button box) stops taking Enter."""
    never_default(*(b for b in dialog.findChildren(QPushButton) if b not in keep))


def primary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "primary")
    return button


class SegmentedControl(QWidget):
    """Exclusive choices that look like one control (Open | Done | All; Day | Week).

    One row while it fits; squeezed (minimum size, large text) it wraps onto a second
    row instead of cutting its labels.
    """

    changed = Signal(str)

    def __init__(self, choices: Sequence[tuple[str, str]], current: str,
                 accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._grid = layout
        self._columns = len(choices)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        for position, (value, text) in enumerate(choices):
            button = QPushButton(text)
            button.setCheckable(True)
            never_default(button)
            button.setProperty("role", "segment")
            button.setProperty("first", position == 0)
            button.setProperty("last", position == len(choices) - 1)
            button.setAccessibleName(f"{accessible_name}: {text}")
            button.setChecked(value == current)
            button.clicked.connect(lambda _checked=False, v=value: self._pick(v))
            self._group.addButton(button)
            layout.addWidget(button, 0, position)
            self._buttons[value] = button
        self._value = current

    def _hints(self) -> list[int]:
        return [b.sizeHint().width() for b in self._buttons.values()]

    def sizeHint(self) -> QSize:
        row = max((b.sizeHint().height() for b in self._buttons.values()), default=0)
        return QSize(sum(self._hints()), row)

    def minimumSizeHint(self) -> QSize:
        rows = -(-len(self._buttons) // max(1, self._columns))
        row = max((b.sizeHint().height() for b in self._buttons.values()), default=0)
        return QSize(max(self._hints(), default=0), rows * row)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width, hints = event.size().width(), self._hints()
        columns = len(hints) if width >= sum(hints) else max(1, min(
            len(hints), width // max(1, max(hints, default=1))))
        if columns != self._columns:
            self._columns = columns
            for index, button in enumerate(self._buttons.values()):
                self._grid.removeWidget(button)
                self._grid.addWidget(button, index // columns, index % columns)
            self.updateGeometry()
        super().resizeEvent(event)

    @property
    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        if value in self._buttons:
            self._buttons[value].setChecked(True)
            self._value = value

    def button(self, value: str) -> QPushButton:
        return self._buttons[value]

    def _pick(self, value: str) -> None:
        if value != self._value:
            self._value = value
            self.changed.emit(value)


class EmptyState(QWidget):
    """A friendly placeholder: an icon, a sentence and a hint of what to do."""

    def __init__(self, theme: ThemeManager, icon: str, title: str, hint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme, self._icon = theme, icon
        layout = spaced(QVBoxLayout(self), 8, (24, 32, 24, 32))
        layout.addStretch(1)
        self.icon_label = QLabel()
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = label(title, "h2", wrap=True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label = label(hint, "muted", wrap=True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.icon_label, self.title_label, self.hint_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        theme.changed.connect(self._apply_theme)
        self._apply_theme(theme.tokens)

    def set_text(self, title: str, hint: str) -> None:
        self.title_label.setText(title)
        self.hint_label.setText(hint)

    def minimumSizeHint(self) -> QSize:
        """Room for the words; the icon and the generous margins come only with space."""
        width = max(1, self.width() - 48)
        height = self.title_label.heightForWidth(width) + 8 + \
            self.hint_label.heightForWidth(width)
        return QSize(120, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = max(1, event.size().width() - 48)
        full = 44 + 3 * 8 + 64 + self.title_label.heightForWidth(width) + \
            self.hint_label.heightForWidth(width)
        roomy = event.size().height() >= full
        self.icon_label.setVisible(roomy)
        margins = (24, 32, 24, 32) if roomy else (24, 0, 24, 0)
        layout_of(self).setContentsMargins(*margins)
        super().resizeEvent(event)

    def _apply_theme(self, _tokens: Tokens) -> None:
        self.icon_label.setPixmap(self._theme.icon(self._icon, "text_faint").pixmap(44, 44))


class ViewTitle(QWidget):
    """A view's heading: a large title, a muted subtitle and room for actions on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = spaced(QHBoxLayout(self), 10, NO_MARGINS)
        column = spaced(QVBoxLayout(), 2)
        self.title_label = label(title, "h1")
        self.subtitle_label = label(subtitle, "muted")
        column.addWidget(self.title_label)
        column.addWidget(self.subtitle_label)
        layout.addLayout(column, 1)
        # only now, with a parent: showing a parentless label would open a window
        self.subtitle_label.setVisible(bool(subtitle))
        self.action_row = spaced(QHBoxLayout(), 8)
        layout.addLayout(self.action_row)

    def set_subtitle(self, text: str) -> None:
        self.subtitle_label.setText(text)
        self.subtitle_label.setVisible(bool(text))


class StatTile(QFrame):
    """A figure: caption, big value, small note, and an optional icon on the right."""

    def __init__(self, caption: str, parent: QWidget | None = None, *,
                 theme: ThemeManager | None = None, icon: str = "",
                 icon_role: str = "accent") -> None:
        super().__init__(parent)
        self.setObjectName("StatTile")
        self._theme, self._icon, self._icon_role = theme, icon, icon_role
        row = spaced(QHBoxLayout(self), 10, (16, 12, 16, 12))
        layout = spaced(QVBoxLayout(), 2)
        self.caption = label(caption.upper(), "caption")
        self.value = label("0", "stat")
        self.note = label("", "muted", wrap=True)
        for widget in (self.caption, self.value, self.note):
            layout.addWidget(widget)
        row.addLayout(layout, 1)
        self.icon_label = QLabel()
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        self.icon_label.setVisible(bool(icon))
        self.setAccessibleName(caption)
        if theme is not None and icon:
            theme.changed.connect(self._on_theme)
            self._paint_icon()

    def set(self, value: str, note: str) -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.setAccessibleDescription(f"{value}, {note}")

    def set_icon_role(self, role: str) -> None:
        if role != self._icon_role:
            self._icon_role = role
            self._paint_icon()

    def _on_theme(self, _tokens: Tokens) -> None:
        self._paint_icon()

    def _paint_icon(self) -> None:
        if self._theme is not None and self._icon:
            self.icon_label.setPixmap(self._theme.icon(self._icon, self._icon_role)
                                      .pixmap(22, 22))


class LockedNotice(QFrame):
    """What a locked perk shows instead of its feature: a lock and the level that opens it."""

    def __init__(self, theme: ThemeManager, title: str, detail: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.setObjectName("LockedNotice")
        layout = spaced(QHBoxLayout(self), 14, (18, 16, 18, 16))
        self.icon_label = QLabel()
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        column = spaced(QVBoxLayout(), 3)
        self.title_label = label(title, "h2")
        self.detail_label = label(detail, "muted", wrap=True)
        column.addStretch(1)
        column.addWidget(self.title_label)
        column.addWidget(self.detail_label)
        column.addStretch(1)
        layout.addLayout(column, 1)
        self.setAccessibleName(title)
        self.setAccessibleDescription(detail)
        theme.changed.connect(self._on_theme)
        self._paint_icon()

    def set_text(self, title: str, detail: str) -> None:
        self.title_label.setText(title)
        self.detail_label.setText(detail)
        self.setAccessibleName(title)
        self.setAccessibleDescription(detail)

    def _on_theme(self, _tokens: Tokens) -> None:
        self._paint_icon()

    def _paint_icon(self) -> None:
        self.icon_label.setPixmap(self._theme.icon("fa5s.lock", "text_faint").pixmap(28, 28))


def section_heading(text: str, detail: str = "") -> QWidget:
    """A caption above a group of cards ("PRODUCTIVITY · 3 of 7")."""
    holder = QWidget()
    row = spaced(QHBoxLayout(holder), 8, (2, 6, 2, 0))
    row.addWidget(label(text.upper(), "caption"))
    if detail:
        row.addWidget(label(detail, "faint", wrap=True), 1)  # wraps when narrow
    else:
        row.addStretch(1)
    return holder


class TitledCard(QFrame):
    """A card with a heading, a muted note on the right of it, and a body layout."""

    def __init__(self, title: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        layout = spaced(QVBoxLayout(self), 10, (18, 14, 18, 14))
        heading = spaced(QHBoxLayout(), 8)
        self.title_label = label(title, "h2")
        self.note_label = label(note, "muted")
        heading.addWidget(self.title_label)
        heading.addStretch(1)
        heading.addWidget(self.note_label)
        self.heading = heading
        layout.addLayout(heading)
        self.body = spaced(QVBoxLayout(), 8)
        layout.addLayout(self.body, 1)
        self.setAccessibleName(title)

    def set_note(self, text: str) -> None:
        self.note_label.setText(text)


class Switch(QAbstractButton):
    """An on/off switch (a checkable button painted as a track and a knob)."""

    def __init__(self, theme: ThemeManager, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(accessible_name)
        self.setFixedSize(self.sizeHint())
        # A method, not a lambda: the connection ends with the widget (cards are rebuilt).
        theme.changed.connect(self._on_theme)

    def _on_theme(self, _tokens: Tokens) -> None:
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(38, 22)

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QRectF(1, 1, self.width() - 2, self.height() - 2)
        on = self.isChecked()
        colour = tokens.color("accent" if on else "meter")
        if not self.isEnabled():
            colour.setAlpha(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        inner = track.adjusted(2, 2, -2, -2) if self.hasFocus() else track
        painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)
        if self.hasFocus():
            paint_focus_ring(painter, QRectF(self.rect()), tokens, self.height() / 2)
        knob = track.height() - 6
        x = track.right() - knob - 3 if on else track.left() + 3
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tokens.color("surface") if not on else tokens.color("accent_text"))
        painter.drawEllipse(QRectF(x, track.top() + 3, knob, knob))
        painter.end()
