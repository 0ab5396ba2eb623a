"""Imports (SPEC §9): a JSON backup, Taskwarrior's export, todo.txt and iCalendar.

:func:`import_file` is the one entry point (the CLI's and a Qt worker's): it reads the
file (UTF-8, at most 50 MB by default), parses and validates all of it, then writes it
in one transaction — all or nothing. Errors are :class:`~..errors.ValidationError` naming
the line or field, e.g. ``line 12: due: not a date (YYYY-MM-DD): '2026-13-01'``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ValidationError
from ..exports.common import CancelCheck, Cancelled, ProgressCallback, feedback
from ..services import Momentum
from .backup import parse_backup, restore, restore_backup
from .common import MAX_BYTES, ImportPlan, ImportResult, apply_plan, read_source
from .ics import parse_ics
from .taskwarrior import parse_taskwarrior
from .todotxt import parse_todotxt

FORMATS = ("json", "taskwarrior", "todotxt", "ics")
PARSERS = {"taskwarrior": parse_taskwarrior, "todotxt": parse_todotxt, "ics": parse_ics}


def import_text(app: Momentum, fmt: str, text: str, *, award: bool = False,
                progress: ProgressCallback | None = None,
                should_cancel: CancelCheck | None = None) -> ImportResult:
    """Import already-read text (see :func:`import_file`)."""
    hooks = feedback(progress, should_cancel)
    if fmt == "json":
        return restore(app, parse_backup(text, hooks), hooks)
    if fmt not in PARSERS:
        raise ValidationError("format", f"must be one of {', '.join(FORMATS)}, got {fmt!r}")
    timezone = app.profiles.current().timezone
    plan = PARSERS[fmt](text, timezone, hooks)
    hooks.check()
    return apply_plan(app, plan, award=award, hooks=hooks)


def import_file(app: Momentum, fmt: str, path: str | Path, *, award: bool = False,
                max_bytes: int = MAX_BYTES, progress: ProgressCallback | None = None,
                should_cancel: CancelCheck | None = None) -> ImportResult:
    """Read, validate and import a file into the current profile (a backup: into its
    own profiles). Nothing is written unless everything is valid."""
    if fmt not in FORMATS:
        raise ValidationError("format", f"must be one of {', '.join(FORMATS)}, got {fmt!r}")
    text = read_source(path, max_bytes)
    return import_text(app, fmt, text, award=award, progress=progress,
                       should_cancel=should_cancel)


__all__ = ["FORMATS", "MAX_BYTES", "Cancelled", "ImportPlan", "ImportResult", "import_file",
           "import_text", "parse_backup", "parse_ics", "parse_taskwarrior", "parse_todotxt",
           "restore_backup"]
