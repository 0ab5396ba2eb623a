"""Text that delegates paint, drawn through one function that can tell when it is cut.

Labels and buttons report their own size hint, so :mod:`momentum_app.gui.layout_check`
can compare; text a delegate paints into a rectangle has no widget to ask. Delegates
therefore draw their text with :func:`draw_text`: it elides when told to (the caller then
says the whole text in its tooltip) and, while :func:`recording` is active, notes every
text that is wider or taller than the rectangle it was given, or that sticks out of the
row it belongs to. ``layout_check.cut_text`` renders each item view under a recording,
so a time range painted into too narrow a column fails the same test a squashed label
fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPainter

TOLERANCE = 1  # pixels: rounding of font metrics
_recorders: list[list[str]] = []


@contextmanager
def recording() -> Iterator[list[str]]:
    """Collect the problems of all text drawn with :func:`draw_text` meanwhile."""
    found: list[str] = []
    _recorders.append(found)
    try:
        yield found
    finally:
        _recorders.remove(found)


def recording_active() -> bool:
    return bool(_recorders)


def fit_problem(metrics: QFontMetrics, rect: QRect, shown: str,
                within: QRect | None = None) -> str | None:
    """Why ``shown`` (in ``metrics``' font) does not fit ``rect`` (and ``within``), if so."""
    width = metrics.horizontalAdvance(shown)
    if width > rect.width() + TOLERANCE:
        return f"width {rect.width()} < {width} needed"
    if metrics.height() > rect.height() + TOLERANCE:
        return f"height {rect.height()} < {metrics.height()} needed"
    if within is not None and not within.adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE,
                                                  TOLERANCE).contains(rect):
        return f"sticks out of its row {within.getRect()}: {rect.getRect()}"
    return None


def note(problem: str | None, text: str) -> None:
    """Record ``problem`` of ``text`` for the active recording (if any)."""
    if problem is not None and _recorders:
        _recorders[-1].append(f"painted {text!r}: {problem}")


def draw_text(painter: QPainter, rect: QRect, text: str, *,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
              | Qt.AlignmentFlag.AlignVCenter,
              elide: bool = False, within: QRect | None = None) -> str:
    """Draw ``text`` in ``rect`` with the painter's font and pen; return what was shown.

    ``elide``: shorten with "…" to the rectangle's width (the caller's tooltip must say
    the whole text). Without it the text is drawn whole, and a text that does not fit is
    recorded as cut. ``within`` is the row the rectangle must stay inside.
    """
    metrics = QFontMetrics(painter.font())
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, rect.width())) \
        if elide else text
    painter.drawText(rect, align, shown)
    if _recorders:
        if elide:  # an elided text fits its width by construction; its height must fit
            problem = fit_problem(metrics, QRect(rect.left(), rect.top(),
                                                 max(rect.width(), metrics.horizontalAdvance(
                                                     shown)), rect.height()), shown, within)
        else:
            problem = fit_problem(metrics, rect, shown, within)
        note(problem, text)
    return shown
