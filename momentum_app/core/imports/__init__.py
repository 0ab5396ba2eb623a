"""Imports (SPEC §9): a JSON backup, and what other tools write (Taskwarrior, todo.txt,
iCalendar, Todoist, TickTick, Google Tasks, Habitica, Momentum's own CSV).

:func:`import_file` is the one entry point (the CLI's and a Qt worker's): it reads the
file (UTF-8, at most 50 MB by default), parses and validates all of it, then writes it
in one transaction — all or nothing. Errors are :class:`~..errors.ValidationError` naming
the line or field, e.g. ``line 12: due: not a date (YYYY-MM-DD): '2026-13-01'``.

Every item is matched by its identity in the source (:mod:`.apply`): importing the same
file twice changes nothing, a newer export updates what changed.
:func:`preview_file` does everything but the writing (the window's preview).

:data:`PARSERS` maps a format name to ``parse(data, timezone, hooks, *, now) -> ImportPlan``;
``data`` is the file's text, or its bytes for the formats listed in :data:`BINARY`
(a zip); ``now`` is the injected clock's instant, stamped where the file gives no date
(a deletion without one, a series without a start) — a parser never reads the machine's
clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ValidationError
from ..exports.common import CancelCheck, Cancelled, Feedback, ProgressCallback, feedback
from .common import MAX_BYTES, ImportPlan, ImportResult, decode_utf8, read_bytes

if TYPE_CHECKING:
    from ..services import Momentum


class Parser(Protocol):
    """What every entry of :data:`PARSERS` is."""

    def __call__(self, data: Any, tz_name: str, hooks: Feedback | None = None, /, *,
                 now: datetime, **named: str) -> ImportPlan: ...


#: Each format's parser: its module in this package and its function. A module is
#: imported when its format is used, so that (say) a Taskwarrior import does not load the
#: iCalendar library or the backup restore (issue #18 item 5: the command's start-up).
_PARSER_AT = {
    "taskwarrior": ("taskwarrior", "parse_taskwarrior"), "todotxt": ("todotxt", "parse_todotxt"),
    "ics": ("ics", "parse_ics"), "todoist": ("todoist", "parse_todoist"),
    "ticktick": ("ticktick", "parse_ticktick"),
    "google-tasks": ("google_tasks", "parse_google_tasks"),
    "habitica": ("habitica", "parse_habitica"), "csv": ("csv_import", "parse_csv"),
}
#: The other names this package gives, from the module that defines them (loaded on use).
_LAZY = {"parse_backup": "backup", "restore": "backup", "restore_backup": "backup",
         **{function: module for module, function in _PARSER_AT.values()}}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Parsers(Mapping[str, Parser]):
    """Format name → parser, each imported on first use."""

    def __getitem__(self, fmt: str) -> Parser:
        module, function = _PARSER_AT[fmt]
        parser: Parser = getattr(import_module(f"{__name__}.{module}"), function)
        return parser

    def __iter__(self) -> Iterator[str]:
        return iter(_PARSER_AT)

    def __len__(self) -> int:
        return len(_PARSER_AT)


PARSERS: Mapping[str, Parser] = _Parsers()
#: Formats whose parser takes the file's bytes (a Todoist backup is a zip of CSV files).
BINARY = frozenset({"todoist"})
#: Formats whose parser also takes the file's name (``name=``): a Todoist template CSV is
#: one project, named like its file.
NAMED = frozenset({"todoist"})
FORMATS = ("json", *PARSERS)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationError("format", f"must be one of {', '.join(FORMATS)}, got {fmt!r}")


def parse(app: Momentum, fmt: str, data: str | bytes, hooks: Feedback,
          path: str | Path | None = None) -> ImportPlan:
    """The validated plan for ``data`` (text, or bytes for :data:`BINARY` formats), read
    from ``path`` if given (its name matters to the :data:`NAMED` formats)."""
    _check_format(fmt)
    if fmt == "json":
        raise ValidationError("format", "a JSON backup is restored, not planned")
    return parse_data(fmt, data, app.profiles.current().timezone, app.clock.now(), hooks,
                      path)


def parse_data(fmt: str, data: str | bytes, tz_name: str, now: datetime,
               hooks: Feedback, path: str | Path | None = None) -> ImportPlan:
    """:func:`parse` for a profile's time zone and the clock's instant (the command
    line's light path has no :class:`~..services.Momentum`)."""
    if fmt not in BINARY and isinstance(data, bytes):
        data = decode_utf8(data)
    if fmt in NAMED and path is not None:
        plan = PARSERS[fmt](data, tz_name, hooks, now=now, name=Path(path).name)
    else:
        plan = PARSERS[fmt](data, tz_name, hooks, now=now)
    hooks.check()
    return plan


def import_text(app: Momentum, fmt: str, text: str | bytes, *, award: bool = False,
                progress: ProgressCallback | None = None,
                should_cancel: CancelCheck | None = None,
                path: str | Path | None = None) -> ImportResult:
    """Import already-read text (see :func:`import_file`); ``path``: the file it was
    read from (a backup's restore is redone from it)."""
    hooks = feedback(progress, should_cancel)
    _check_format(fmt)
    if fmt == "json":
        from ..services.restore_undo import RestoreSource  # noqa: PLC0415
        from .backup import parse_backup, restore  # noqa: PLC0415 (see _PARSER_AT)

        source = None if path is None else RestoreSource.of(path, text)
        if isinstance(text, bytes):
            text = decode_utf8(text)
        return restore(app, parse_backup(text, hooks), hooks, source=source)
    from .apply import apply_plan  # noqa: PLC0415 (SQLAlchemy: not the light path's)

    return apply_plan(app, parse(app, fmt, text, hooks, path), award=award, hooks=hooks)


def import_file(app: Momentum, fmt: str, path: str | Path, *, award: bool = False,
                max_bytes: int = MAX_BYTES, progress: ProgressCallback | None = None,
                should_cancel: CancelCheck | None = None) -> ImportResult:
    """Read, validate and import a file into the current profile (a backup: into its
    own profiles). Nothing is written unless everything is valid."""
    _check_format(fmt)
    data = read_bytes(path, max_bytes)
    return import_text(app, fmt, data, award=award, progress=progress,
                       should_cancel=should_cancel, path=path)


def preview_file(app: Momentum, fmt: str, path: str | Path, *, max_bytes: int = MAX_BYTES,
                 progress: ProgressCallback | None = None,
                 should_cancel: CancelCheck | None = None) -> ImportResult:
    """What :func:`import_file` would do — added, updated, unchanged per kind, what is
    skipped and why — without writing anything (``result.dry_run`` is True)."""
    _check_format(fmt)
    if fmt == "json":
        raise ValidationError("format", "a JSON backup has no preview (it restores whole)")
    hooks = feedback(progress, should_cancel)
    plan = parse(app, fmt, read_bytes(path, max_bytes), hooks, path)
    from .apply import preview  # noqa: PLC0415

    return preview(app, plan)


__all__ = ["BINARY", "FORMATS", "MAX_BYTES", "PARSERS", "Cancelled", "ImportPlan",
           "ImportResult", "import_file", "import_text", "parse", "parse_backup",
           "parse_ics", "parse_taskwarrior", "parse_todotxt", "preview_file",
           "restore_backup"]
