"""CLI commands that move data in and out: export and import (SPEC §9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AddCommand = Callable[[str, str, Callable[..., None]], Any]


def register_io_commands(add_command: AddCommand) -> None:
    """Add ``export`` and ``import`` to the parser (``add_command(name, help, handler)``
    returns the sub-parser, already given --db/--profile/--json)."""
