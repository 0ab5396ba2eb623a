"""The exceptions the core raises towards the CLI and the window."""

from __future__ import annotations


class MomentumError(Exception):
    """Base class of every error Momentum reports to a user."""


class ValidationError(MomentumError):
    """Bad input: names the offending field. The CLI maps it to exit status 2."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFoundError(ValidationError):
    """An id or name that does not exist (bad input as well)."""


class DatabaseRefused(MomentumError):
    """A file that cannot be opened as this version's Momentum database."""


class ReadOnlyDatabase(MomentumError):
    """A write asked of a database its owner made read-only (exit status 1)."""


class StorageProblem(MomentumError):
    """The disk is full, read-only or failing: the database file is not to blame (so no
    restore is suggested). Exit status 1."""
