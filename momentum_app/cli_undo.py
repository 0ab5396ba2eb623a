"""``momentum undo`` / ``momentum redo`` (SPEC v2 §9): the last change made on this
replica by this profile, through the command line or the window — one persistent history
(:mod:`.core.services.history`), so the two interleave.

Text output names what was undone and the points it moved; ``--json`` prints
``{"undone"|"redone": LABEL, "id": N, "points_awarded": P}``. With nothing to undo (or
redo) it is bad input: ``error: undo: nothing to undo``, exit 2, nothing changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .core.services import Momentum
from .core.services.history import Replayed

Command = Callable[[Any, str, str, Callable[..., None]], argparse.ArgumentParser]


def register_undo_commands(commands: Any, command: Command) -> None:
    """Add ``undo`` and ``redo`` (``command`` is :func:`.cli.build_parser`'s)."""
    p = command(commands, "undo", "take back the last change (command line or window)",
                cmd_undo)
    p.description = ("Takes back the last change made with this profile on this computer, "
                     "by the command line or the window: a completion is undone by its "
                     "reversal, an addition by a delete, an edit by the previous values, a "
                     "purchase by a refund. Nothing to undo: exit 2.")
    command(commands, "redo", "do the last undone change again", cmd_redo)


def _text(done: Replayed) -> str:
    verb = "Undid" if done.action == "undo" else "Redid"
    points = f" ({done.points:+d} points)" if done.points else ""
    return f"{verb}: {done.label}{points}"


def cmd_undo(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    done = app.history.undo()
    out.emit(done.to_json(), _text(done))


def cmd_redo(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    done = app.history.redo()
    out.emit(done.to_json(), _text(done))
