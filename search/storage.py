"""The disk's refusals in the user's terms: a full disk, a read-only file system, a permission.

``storage_error`` finds such a refusal in an exception (an ``OSError``, or an engine's error
whose message names an ``errno``) and makes it a ``StorageError`` naming the path and what to
do; ``storage_errors`` decorates the methods of ``Indexer`` and ``Searcher`` with it. Any other
error passes as it is: an unexpected one is a bug, and shows.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from .errors import BahthError, StorageError

# tantivy reports an indexing thread that died without the error that killed it; its own
# words for the cause are "io::Error most likely" (a full disk, in practice).
_THREAD_DIED = "io::Error most likely"


def _errno_named(message: str) -> int | None:
    """The ``errno`` an engine's message names: Rust's way (``StorageError.errno_in``), or
    the system's own words for one of ``StorageError.CODES`` (Xapian writes its errors as
    "Error writing block 7 (No space left on device)").

    >>> _errno_named("Error writing block 7 (No space left on device)") == errno.ENOSPC
    True
    """
    code = StorageError.errno_in(message)
    if code is not None:
        return code
    return next((c for c in sorted(StorageError.CODES) if f"({os.strerror(c)})" in message), None)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and the exceptions it was raised from or while handling, outermost first."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def storage_error(
    error: BaseException, where: Path, *, writing: bool | None
) -> StorageError | None:
    """``error`` as a ``StorageError`` when it, or an error it arose from, is the disk's
    refusal (``StorageError.CODES``): an ``OSError``, or an engine's error whose message names
    an ``errno`` (``_errno_named``). ``where`` is the index (or the file) being read or
    written. None otherwise.

    A full or failing disk is named by ``where``: the device is what needs attention. A
    permission is named by the file the system refused, or its directory when the file did
    not exist yet (creating a file needs the directory's permission).
    """
    for link in _chain(error):
        if isinstance(link, OSError):
            code = link.errno
        elif isinstance(link, BahthError):
            return None  # already said in the user's terms
        else:
            code = _errno_named(str(link))
        if code not in StorageError.CODES:
            continue
        path = where
        if code in (errno.EACCES, errno.EPERM) and isinstance(link, OSError) and link.filename:
            named = Path(os.fsdecode(link.filename))
            path = named if named.exists() or not named.parent.exists() else named.parent
        return StorageError.of(code, str(path), writing=writing)
    if any(_THREAD_DIED in str(link) for link in _chain(error)):
        return StorageError(
            f"Writing the index at {where} failed: the engine's indexing thread stopped on an "
            "input/output error, most likely no space left on device.",
            f"Check the free space (df -h {where}) and the disk, then run the command again.",
            path=str(where),
        )
    return None


def refused(error: OSError, path: Path, *, writing: bool | None) -> BahthError | OSError:
    """What to raise for ``error`` met at ``path``: its ``StorageError``, or ``error`` itself
    when it is no refusal of the disk's (a bug to show as it is)."""
    return storage_error(error, path, writing=writing) or error


_P = ParamSpec("_P")
_R = TypeVar("_R")


class _AtPath(Protocol):
    path: Path


def storage_errors(
    *, writing: bool, outcome: str = ""
) -> Callable[[Callable[Concatenate[Any, _P], _R]], Callable[Concatenate[Any, _P], _R]]:
    """Decorates a method of an object with a ``path`` (an ``Indexer``, a ``Searcher``): the
    disk's refusals inside it are raised as ``StorageError`` (see ``storage_error``), with
    ``outcome`` (what was left as it was: "Nothing was deleted.") ending the message. Other
    errors pass as they are: an unexpected one is a bug, and shows."""

    def decorate(method: Callable[Concatenate[Any, _P], _R]) -> Callable[Concatenate[Any, _P], _R]:
        @functools.wraps(method)
        def translated(self: _AtPath, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return method(self, *args, **kwargs)
            except BahthError:
                raise
            except Exception as error:
                found = storage_error(error, self.path, writing=writing)
                if found is None:
                    raise
                if outcome:
                    found.message = f"{found.message} {outcome}"
                raise found from error

        return translated

    return decorate
