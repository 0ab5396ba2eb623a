"""Finds text the window cuts off: labels and buttons smaller than they ask to be.

Used by the screenshot tool (it prints what it finds) and by the tests that render every
screen at the window's minimum size and at 1.5× text. A label that deliberately elides
long text (a schedule title, a file path) has the ``elides`` property set; it must
then say the whole text in its tooltip whenever it is cut.

Text that item delegates paint (Today's rows, the Tasks table) has no widget of its own:
each visible item view is rendered once under :func:`painted_text.recording`, and every
text its delegate drew through :func:`painted_text.draw_text` without room is reported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QScrollArea,
    QWidget,
)

from . import painted_text

#: The property that marks a label allowed to elide (it shows the full text as tooltip).
ELIDES = "elides"
#: The property that allows a scroll area to scroll sideways (a wide grid, a table).
SCROLLS_SIDEWAYS = "scrolls_sideways"
TOLERANCE = 1  # pixels: rounding in layouts


def _describe(widget: QWidget, problem: str) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    owner = widget.parentWidget()
    where = type(owner).__name__ if owner is not None else "-"
    name = widget.objectName() or type(widget).__name__
    return f"{name} {text!r} in {where}: {problem}"


def _label_problem(label: QLabel) -> str | None:
    if label.property(ELIDES):
        full = label.property("full_text") or ""
        cut = bool(full) and full != label.text()
        if cut and full not in label.toolTip():
            return "elided without a tooltip"
        return None
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > 0 and label.height() + TOLERANCE < needed:
            return f"height {label.height()} < {needed} needed at width {label.width()}"
        return None
    return _below_hint(label)


def _button_problem(button: QAbstractButton) -> str | None:
    return _below_hint(button) if button.text() else None


def _below_hint(widget: QWidget) -> str | None:
    """Narrower or lower than its size hint (more than the tolerance): its text is cut."""
    hint = widget.sizeHint()
    if widget.width() + TOLERANCE < hint.width():
        return f"width {widget.width()} < hint {hint.width()}"
    if widget.height() + TOLERANCE < hint.height():
        return f"height {widget.height()} < hint {hint.height()}"
    return None


def _outside_parent(widget: QWidget) -> str | None:
    """A widget sticking out of its parent's rectangle is cut by it."""
    parent = widget.parentWidget()
    if parent is None or isinstance(parent.parentWidget(), QAbstractScrollArea):
        return None  # a scroll area's viewport scrolls its content on purpose
    geometry = widget.geometry()
    inside = parent.rect()
    if geometry.right() > inside.right() + TOLERANCE or \
            geometry.bottom() > inside.bottom() + TOLERANCE:
        return f"sticks out of its parent ({geometry.right()}, {geometry.bottom()}) > " \
               f"({inside.right()}, {inside.bottom()})"
    return None


def _clipped_content(area: QScrollArea) -> str | None:
    """Content wider than an area that does not scroll sideways is cut at the right."""
    content = area.widget()
    if content is None or area.horizontalScrollBar().isVisible():
        return None
    extra = content.width() - area.viewport().width()
    if extra > TOLERANCE:
        return f"content {extra} px wider than the area (cut at the right)"
    return None


def _in_scrolled_content(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def painted_problems(view: QAbstractItemView) -> list[str]:
    """What ``view``'s delegate paints without room (the view is rendered off screen)."""
    viewport = view.viewport()
    if viewport.width() <= 0 or viewport.height() <= 0:
        return []  # nothing shown, nothing painted
    with painted_text.recording() as found:
        viewport.grab()
    return list(dict.fromkeys(found))  # a text repeated on many rows is said once


def header_problems(header: QHeaderView) -> list[str]:
    """Column titles narrower than their text (and sort arrow) need."""
    found: list[str] = []
    if header.orientation() != Qt.Orientation.Horizontal:
        return found
    model = header.model()
    for logical in range(header.count()):
        if header.isSectionHidden(logical) or header.sectionSize(logical) <= 0:
            continue
        title = model.headerData(logical, Qt.Orientation.Horizontal) if model else None
        if not title:
            continue
        needed = header.sectionSizeFromContents(logical).width()
        if header.sectionSize(logical) + TOLERANCE < needed:
            found.append(f"column {str(title)!r}: width {header.sectionSize(logical)} < "
                         f"{needed} needed")
    return found


def cut_text(root: QWidget) -> list[str]:
    """Every visible label or button under ``root`` whose text does not fit, every text
    an item view's delegate paints without room, and every scroll area that hides content
    behind a horizontal scroll bar."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.isVisibleTo(root):
            continue
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        elif isinstance(widget, QAbstractScrollArea):
            bar = widget.horizontalScrollBar()
            if bar.isVisible() and bar.maximum() > 0 and not widget.property(SCROLLS_SIDEWAYS):
                problem = f"scrolls sideways by {bar.maximum()} px"
            elif isinstance(widget, QScrollArea) and not widget.property(SCROLLS_SIDEWAYS):
                problem = _clipped_content(widget)
        if problem is None and isinstance(widget, (QLabel, QAbstractButton)) \
                and not _in_scrolled_content(widget, root):
            problem = _outside_parent(widget)
        if problem is not None:
            problems.append(_describe(widget, problem))
        if isinstance(widget, QHeaderView):
            problems.extend(_describe(widget, found) for found in header_problems(widget))
        elif isinstance(widget, QAbstractItemView):
            problems.extend(_describe(widget, found) for found in painted_problems(widget))
    return problems
