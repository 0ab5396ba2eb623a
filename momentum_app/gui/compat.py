"""A guard against a PySide6 defect on Python < 3.12: it lets ``None`` and ``True`` die.

PySide6 6.12 returns ``None`` from every void method (``setText``, ``drawLine``…) and
``True`` from ``Signal.emit`` without taking a new reference. On Python 3.12+ these
objects are immortal, so nothing happens; on Python 3.11 each call steals one reference,
and after a few tens of thousands of calls (minutes of use) the interpreter aborts with
"Fatal Python error: none_dealloc". Measured in this venv: 1,000 ``QLabel.setText`` calls
lower ``sys.getrefcount(None)`` by exactly 1,000.

The cure is an environment fix (Python 3.12+, or a PySide6 without the regression). Until
then :func:`immortalize_singletons` does what Python 3.12 does: it gives these objects a
reference count so large (2**40) that no session can exhaust it. It only runs on
Python < 3.12, checks that the count moved as expected, and undoes itself otherwise.
"""

from __future__ import annotations

import ctypes
import sys

PADDING = 1 << 40
_padded = False


def _pad(obj: object, amount: int) -> bool:
    field = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt: the first field
    before = sys.getrefcount(obj)
    field.value += amount
    if sys.getrefcount(obj) != before + amount:  # an unexpected object layout: undo
        field.value -= amount
        return False
    return True


def immortalize_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` practically immortal (Python < 3.12 only)."""
    global _padded
    if _padded or sys.version_info >= (3, 12):
        return _padded
    _padded = all([_pad(None, PADDING), _pad(True, PADDING), _pad(False, PADDING)])
    return _padded
