"""The guard against PySide6's reference-counting defect on Python < 3.12."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

from momentum_app.gui import compat

pytestmark = pytest.mark.gui


def test_none_survives_many_void_calls(qtbot):
    assert compat.immortalize_singletons() or sys.version_info >= (3, 12)
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(50_000):  # more than None's natural reference count on 3.11
        label.setText("x")
    assert sys.getrefcount(None) > 1 << 30
    stolen = before - sys.getrefcount(None)
    assert abs(stolen) < 1000 or abs(stolen - 50_000) < 1000  # ~0 once PySide6 is fixed
