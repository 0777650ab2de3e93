"""Errors a user can cause. Each message says what is wrong and where.

The CLI prints these as one line and exits non-zero; anything else escaping is a bug.
"""

from __future__ import annotations


class RectifyError(Exception):
    """Base of every user-facing error."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(RectifyError):
    """A command's input is malformed or out of range."""

    exit_code = 2


class NotFound(RectifyError):
    """A referenced thing (ref, code, key) does not exist."""


class NotAllowed(RectifyError):
    """The action is not allowed in the current state or for the acting role."""


class ConcurrencyConflict(RectifyError):
    """Someone else changed the same aggregate first; the command was not recorded."""


class NoActor(RectifyError):
    """A command was attempted without an identified actor."""


class StoreError(RectifyError):
    """The store cannot be opened or used (bad URL, unreachable, unwritable, too new)."""

    exit_code = 3
