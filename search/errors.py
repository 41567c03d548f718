"""Errors Bahth raises, in the user's terms. Each carries a message and a fix.

BahthError
├── IndexNotFound       no index at the given path (fix: ``bahth index``, ``--index``)
├── IndexIncompatible   built by another analysis or schema version (fix: ``bahth rebuild``)
├── IndexLocked         another process is writing the index (fix: wait, or ``--wait``)
├── InputError          a dump file cannot be read at all (fix: check the path)
└── QueryError          the query string is malformed (fix: what to write instead)

A raise site that knows a better fix passes it; one that does not still gets its class's
``default_fix``, so that no error leaves the user without something to do.
"""

from __future__ import annotations

from typing import ClassVar


class BahthError(Exception):
    """Base class of every error Bahth raises on purpose; ``fix`` says what to do about it."""

    default_fix: ClassVar[str] = "Run bahth --help for how to use it."

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix: str = fix or self.default_fix

    def __str__(self) -> str:
        return f"{self.message}\n{self.fix}"


class IndexNotFound(BahthError):
    """There is no index at the path given."""

    default_fix = (
        "Build one with: bahth index DUMP..., or point at an index with --index DIR "
        "or BAHTH_INDEX=DIR."
    )


class IndexIncompatible(BahthError):
    """The index was built by an incompatible version of Bahth's analysis or schema."""

    default_fix = "Rebuild it with: bahth rebuild DUMP... --index DIR"


class IndexLocked(BahthError):
    """Another process holds the index's write lock."""

    default_fix = "Wait for the other writer to finish, or pass --wait to queue behind it."


class InputError(BahthError):
    """A dump file could not be opened or read at all."""

    default_fix = "Check the path and that the file is readable (ls -l)."


class QueryError(BahthError):
    """The query string is malformed; the message says what is wrong and where."""

    default_fix = "See bahth search --help for the query language and the options."
