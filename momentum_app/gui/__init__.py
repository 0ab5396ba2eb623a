"""The PySide6 window. Nothing in ``momentum_app.core`` may import this package.

PySide6 is pinned below 6.12: 6.12.0 leaks references to ``None`` on Python 3.11 and
aborts after a few thousand calls (docs/DESIGN.md, "Dependencies").
"""
