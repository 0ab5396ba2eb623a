"""Momentum: an offline, gamified desktop task planner.

The package is split in two: :mod:`momentum_app.core` (data, rules, services; never
imports Qt) and :mod:`momentum_app.gui` (the PySide6 window on top of the core).
"""

__version__ = "0.1.0"
