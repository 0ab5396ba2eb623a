"""Entry point: ``momentum [COMMAND]`` runs the CLI; with no command it opens the window.

``main(argv) -> int`` never raises for a user's mistake and never prints a traceback:
bad input exits 2 with one ``error: …`` line, other failures exit 1 with a clear message
(the traceback goes to the log file in the data folder).
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("momentum")


def window_arguments(args: Sequence[str]) -> argparse.Namespace | None:
    """The options when ``args`` ask for the window (no command), else None.

    Checked with a tiny parser so that the window can appear before SQLAlchemy and the
    CLI are imported (docs/BENCHMARKS.md §2); anything else goes to the full parser.
    """
    quick = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    quick.add_argument("--db")
    quick.add_argument("--profile")
    quick.add_argument("--demo", action="store_true")
    try:
        known, rest = quick.parse_known_args(list(args))
    except (argparse.ArgumentError, SystemExit):
        return None
    return None if rest else known


def _fail(message: str, status: int) -> int:
    first_line = " ".join(str(message).split())
    sys.stderr.write(f"error: {first_line}\n")
    return status


def _log_crash(db_path: Path | None) -> Path | None:
    from .core.dbfile import default_db_path  # noqa: PLC0415

    folder = db_path.parent if db_path else default_db_path().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "momentum-error.log"
        # Owner-only: a traceback can quote the user's own text.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(target, 0o600)
        with open(descriptor, "a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return target
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot encode a title gets an escape, not a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    window = window_arguments(args_list)
    if window is not None:
        return _run_window(window)
    light = _run_light(args_list)
    if light is not None:
        return light
    # The command line: everything it may need.
    from .cli import Printer, UsageError, build_parser  # noqa: PLC0415
    from .core.clock import clock_from_env  # noqa: PLC0415
    from .core.db import canonical_path, default_db_path, open_database  # noqa: PLC0415
    from .core.services import Momentum  # noqa: PLC0415

    parser = build_parser(args_list)  # only the command asked for is filled in
    try:
        args = parser.parse_args(args_list)
    except UsageError as exc:
        return _fail(str(exc), 2)  # names the sub-command's --help (cli_help.py)
    if args.command is None:
        return _run_window(args)
    db_path: Path | None = None
    try:
        clock = clock_from_env()
        db_path = canonical_path(args.db if args.db else default_db_path())
        printer = Printer(bool(args.json), sys.stdout)
        if not getattr(args, "needs_db", True):
            args.handler(db_path, args, printer)
            return 0
        # The doctor opens even a damaged file, to report what is wrong with it.
        database = open_database(db_path, scheduled_backup=args.command != "doctor",
                                 clock=clock)
        for warning in database.warnings:
            sys.stderr.write(f"warning: {warning}\n")
        if database.read_only:
            sys.stderr.write(f"note: {db_path} is read-only: opened for reading only\n")
        try:
            app = Momentum(database, clock, args.profile)
            args.handler(app, args, printer)
            for notice in app.ctx.notices:  # e.g. the project `--project NEW` created
                sys.stderr.write(f"{notice}\n")
        finally:
            database.close()
    except BaseException as exc:  # noqa: BLE001 (each kind is reported: _failure)
        return _failure(exc, db_path)
    return 0


def _run_light(args_list: list[str]) -> int | None:
    """The hot commands on the light path (``cli_light.py``: no SQLAlchemy); None when
    the full command line must run them."""
    from .cli_light import parse, run  # noqa: PLC0415

    command = parse(args_list)
    if command is None:
        return None
    db_path: Path | None = None
    try:
        db_path = command.db_path
        return run(command, sys.stdout)
    except BaseException as exc:  # noqa: BLE001 (each kind is reported: _failure)
        return _failure(exc, db_path)


def _failure(exc: BaseException, db_path: Path | None) -> int:
    """What a command that failed with ``exc`` says, and its exit status: bad input 2,
    anything else 1, never a traceback (a bug's goes to the log file). SQLAlchemy's
    errors are recognised only when it was loaded (the light path never loads it)."""
    from .core.errors import DatabaseRefused, MomentumError, ValidationError  # noqa: PLC0415
    from .core.sqlite import storage_problem  # noqa: PLC0415

    orm = sys.modules.get("sqlalchemy.exc")
    operational: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)
    database: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    if orm is not None:
        operational += (orm.OperationalError,)
        database += (orm.SQLAlchemyError,)
    if isinstance(exc, ValidationError):
        return _fail(str(exc), 2)
    if isinstance(exc, DatabaseRefused | MomentumError):
        return _fail(str(exc), 1)
    if isinstance(exc, operational):
        orig = getattr(exc, "orig", exc)
        problem = storage_problem(exc, db_path)
        if problem is not None:
            return _fail(f"{problem}; nothing was changed" if "nothing" not in problem
                         else problem, 1)
        if "locked" in str(orig) or "busy" in str(orig):
            return _fail("the database is busy (another Momentum is writing); "
                         "nothing was changed, try again", 1)
        return _fail(f"database error: {orig}; nothing was changed", 1)
    if isinstance(exc, database):
        logged = _log_crash(db_path)
        return _fail(f"database error: {getattr(exc, 'orig', exc)}; nothing was changed"
                     + (f" (details in {logged})" if logged else ""), 1)
    if isinstance(exc, BrokenPipeError):
        return 0  # the reader (e.g. `head`) closed the pipe: nothing to report
    if isinstance(exc, OSError):
        if exc.errno == 28:
            return _fail("the disk is full (free some space and try again)", 1)
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}", 1)
    if isinstance(exc, KeyboardInterrupt):
        return _fail("interrupted; nothing was changed", 1)
    if isinstance(exc, SystemExit):
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    if not isinstance(exc, Exception):
        raise exc
    logged = _log_crash(db_path)  # a bug: keep the user away from the traceback
    return _fail(f"internal error: {exc!r}" + (f" (details in {logged})" if logged else ""),
                 1)


#: Qt platforms that draw on a real screen, and the variable that says where it is.
SCREEN_PLATFORMS = {"xcb": ("DISPLAY",), "wayland": ("WAYLAND_DISPLAY",),
                    "": ("DISPLAY", "WAYLAND_DISPLAY")}
NO_SCREEN = ("no screen found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
             "cannot open; the command line works without one, e.g. `momentum --help`")


def no_screen(environ: dict[str, str] | os._Environ[str] | None = None,
              platform: str | None = None) -> bool:
    """True when the window would have nowhere to appear (Qt would abort, exit 134).

    Only on X11/Wayland systems; Windows and macOS always have their own screen, and a
    platform such as ``offscreen`` or ``vnc`` (``QT_QPA_PLATFORM``) needs none.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not system.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    # "xcb", "offscreen:fontengine=freetype" or a fallback list "wayland;xcb".
    chosen = [part.split(":", 1)[0].strip().lower()
              for part in env.get("QT_QPA_PLATFORM", "").split(";")]
    needs: set[str] = set()
    for name in chosen:
        variables = SCREEN_PLATFORMS.get(name)
        if variables is None:
            return False  # offscreen, minimal, vnc, eglfs, linuxfb…: no display server
        needs.update(variables)
    return not any(env.get(name) for name in needs)


def _run_window(args: argparse.Namespace) -> int:
    """The window (PySide6 is imported here, and only here)."""
    if no_screen():
        sys.stderr.write(f"error: {NO_SCREEN}\n")
        return 1
    from .gui.launch import run_gui  # noqa: PLC0415

    try:
        return run_gui(db=args.db, profile=args.profile, demo=args.demo)
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # a bug: keep the user away from the traceback
        db_path = Path(args.db).expanduser() if args.db else None
        logged = _log_crash(db_path)
        return _fail(f"internal error: {exc!r}" + (f" (details in {logged})" if logged else ""),
                     1)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
