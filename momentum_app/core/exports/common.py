"""What every export shares: progress and cancel hooks, atomic output files, profile scope.

Exports are plain functions a Qt worker can run off the UI thread: each takes an optional
``progress(stage, done, total)`` callback and an optional ``should_cancel()`` check. A
cancelled export raises :class:`Cancelled` and leaves no partial file behind: every file
is written beside its target under a temporary name and renamed into place at the end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self

from ..errors import MomentumError, ValidationError
from ..output_guard import check_output

if TYPE_CHECKING:
    from ..models import Profile

#: ``progress(stage, done, total)``: ``total`` is None when it is not known in advance.
ProgressCallback = Callable[[str, int, int | None], None]
CancelCheck = Callable[[], bool]


class Cancelled(MomentumError):
    """The user cancelled a long export or import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was written")


@dataclass(frozen=True)
class Feedback:
    """The two hooks of a long operation, both optional."""

    progress: ProgressCallback | None = None
    should_cancel: CancelCheck | None = None

    def report(self, stage: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def check(self) -> None:
        if self.should_cancel is not None and self.should_cancel():
            raise Cancelled()


def feedback(progress: ProgressCallback | None = None,
             should_cancel: CancelCheck | None = None) -> Feedback:
    return Feedback(progress, should_cancel)


@contextmanager
def atomic_output(target: Path, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
    """A file opened beside ``target`` and renamed onto it only if the block succeeds."""
    check_output(target)
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    os.close(fd)
    temp = Path(temp_name)
    try:
        with open(temp, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` for writers that open files themselves (Qt)."""
    check_output(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                     dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class FileSet:
    """Several output files that appear together or not at all: each is written under a
    temporary name, and all are renamed into place only when every one is complete."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    @contextmanager
    def open(self, target: Path, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
        check_output(target)
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                         dir=target.parent)
        os.close(fd)
        temp = Path(temp_name)
        self.pending.append((temp, target))
        with open(temp, mode, **open_args) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            for temp, target in self.pending:
                os.replace(temp, target)
        else:
            for temp, _target in self.pending:
                temp.unlink(missing_ok=True)


def output_target(out: str | Path, default_name: str) -> Path:
    """``--out`` as a file path: a folder (existing, or written with a trailing slash)
    receives ``default_name``; a file's folder must exist."""
    text = str(out)
    if not text.strip():
        raise ValidationError("out", "must be a file or folder path")
    path = Path(text).expanduser()
    if path.is_dir() or text.endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
        check_output(path / default_name)
        return path / default_name
    if not path.parent.is_dir():
        raise ValidationError("out", f"folder does not exist: {path.parent}")
    check_output(path)  # refused before any work is done (checked again at the write)
    return path


def profiles_in_scope(session: Any, profile_id: int, all_profiles: bool) -> list[Profile]:
    """The current profile, or every profile (deleted ones included: a backup is whole)."""
    # loaded here: an importer's use of this module (Feedback) loads no SQLAlchemy
    from sqlalchemy import select  # noqa: PLC0415

    from ..models import Profile  # noqa: PLC0415

    if all_profiles:
        return list(session.scalars(select(Profile).order_by(Profile.id)))
    profile = session.get(Profile, profile_id)
    assert profile is not None
    return [profile]


def iso_instant(value: datetime | None) -> str | None:
    """UTC instants as ``2026-01-05T12:00:00Z``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def reminders_text(reminders: Iterable[int | datetime]) -> str:
    """Reminders as one text cell (Taskwarrior's ``momentum_reminders``, the CSV's
    ``reminders`` column): minutes before the due (``30``) or UTC instants
    (``2026-02-02T18:00:00Z``), space-separated; :func:`..imports.common.reminders_from_text`
    reads it back."""
    return " ".join(str(r) if isinstance(r, int) else r.astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ") for r in reminders)
