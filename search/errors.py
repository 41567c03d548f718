"""Errors Bahth raises, in the user's terms. Each carries a message and, where possible, a fix.

BahthError
├── IndexNotFound       no index at the given path (fix: ``bahth index``)
├── IndexIncompatible   built by another analysis version (fix: ``bahth rebuild``)
├── IndexLocked         another process is writing the index
├── InputError          a dump file cannot be read at all
└── QueryError          the query string is malformed
"""

from __future__ import annotations


class BahthError(Exception):
    """Base class of every error Bahth raises on purpose."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}\n{self.fix}" if self.fix else self.message


class IndexNotFound(BahthError):
    """There is no index at the path given."""


class IndexIncompatible(BahthError):
    """The index was built by an incompatible version of Bahth's analysis or schema."""


class IndexLocked(BahthError):
    """Another process holds the index's write lock."""


class InputError(BahthError):
    """A dump file could not be opened or read at all."""


class QueryError(BahthError):
    """The query string is malformed; the message says what is wrong and where."""
