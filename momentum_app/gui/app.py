"""Placeholder until the window lands (issue 4)."""
from __future__ import annotations


def run_gui(db: str | None, profile: str | None, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("Momentum")
    label.show()
    return app.exec()
