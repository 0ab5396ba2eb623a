"""The PySide6 window. Nothing in ``momentum_app.core`` may import this package.

Importing it applies :func:`compat.immortalize_singletons`, a guard against a PySide6
reference-counting defect on Python < 3.12 (see :mod:`momentum_app.gui.compat`).
"""

from .compat import immortalize_singletons

immortalize_singletons()
