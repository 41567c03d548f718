"""Errors Bahth raises, in the user's terms. Each carries a message and a fix.

BahthError
├── IndexNotFound       no index at the given path (fix: ``bahth index``, ``--index``)
├── IndexIncompatible   built by another analysis or schema version (fix: ``bahth rebuild``)
├── IndexDamaged        a file of the index is not as Bahth wrote it (fix: restore it)
├── IndexLocked         another process is writing the index (fix: wait, or ``--wait``)
├── ShardUnavailable    a shard of a cluster did not answer (fix: start its server, or
│                       search with --allow-partial)
├── StorageError        the disk refused: no space left, read-only, permission denied
│                       (fix: free space, or check the permissions)
├── InputError          a dump file cannot be read at all (fix: check the path)
└── QueryError          the query is malformed or an option wrong (fix: what to write
                        instead); its fields name the option or the query's position

A raise site that knows a better fix passes it; one that does not still gets its class's
``default_fix``, so that no error leaves the user without something to do.

The message and fix are English, as the command and the API say them. A raise site also says
them for the web page in Arabic (``said``: a key of ``search.error_texts.ERRORS`` and the values of
its fields), and ``text(lang)`` gives either; an error raised without ``said`` says its class's
Arabic text. The values go into the Arabic text isolated (U+2068…U+2069), as does the table's
`code` (a command, an example), so that a path, a parenthesis or a query keeps its order and
shape inside a right-to-left sentence.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Mapping
from typing import ClassVar, TypeAlias

from .error_texts import ERRORS

_RUST_OS_ERROR = re.compile(r"\bOs \{ code: (\d+)|\(os error (\d+)\)")


Said: TypeAlias = tuple[str, Mapping[str, object]]
"""An error's message and fix in Arabic: a key of ``search.error_texts.ERRORS`` and the values of
its ``{fields}``: text as given (the user's, a path), a ``Named`` option, or a ``Said`` (a part
said in the same language)."""

NameOf: TypeAlias = Callable[[str], str | None]


class Named(str):
    """An option's name (``since``), which a text calls as its front end does (``name_of``)."""

    __slots__ = ()


def _library(name: str) -> str | None:
    return None


class BahthError(Exception):
    """Base class of every error Bahth raises on purpose; ``fix`` says what to do about it."""

    default_fix: ClassVar[str] = "Run bahth --help for how to use it."
    #: The key of ``search.error_texts.ERRORS`` of what an error of the class says when its raise
    #: site gave no ``said``, and of the Arabic ``default_fix``.
    said_key: ClassVar[str] = "bahth_error"

    def __init__(self, message: str, fix: str | None = None, *, said: Said | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix: str = fix or self.default_fix
        self.said = said

    def __str__(self) -> str:
        return f"{self.message}\n{self.fix}"

    def worded(self, name_of: NameOf = _library) -> str:
        """The English message, calling its options by ``name_of`` theirs."""
        return self.message

    def text(self, lang: str, name_of: NameOf = _library) -> tuple[str, str]:
        """The message and fix in ``lang`` (``en``: as ``worded`` and ``fix``; ``ar``: as
        ``said``), calling an option by ``name_of`` its name (None: as the library does).

        >>> error = QueryError("the query is empty", said=("query_empty", {}))
        >>> error.text("en")[0], error.text("ar")[0]
        ('the query is empty', 'البحث فارغ')
        """
        if lang == "en":
            return self.worded(name_of), self.fix
        key, values = self.said or (self.said_key, {})
        values = {**self._named(), **values}
        message, fix = ERRORS[key]
        said = _fill(message, values, name_of)
        if fix is None:  # the class's
            return said, _fill(ERRORS[self.said_key][1] or "", {}, name_of)
        return said, _fill(fix, values, name_of)

    def _named(self) -> dict[str, object]:
        """The fields every text of the error may use."""
        return {}


# A value, or `code`, as a first strong isolate (…pop directional isolate): its own direction,
# its parentheses not mirrored by the Arabic around it.
_ISOLATED = "\u2068{}\u2069"
_CODE = re.compile(r"`([^`]*)`")


def _fill(text: str, values: Mapping[str, object], name_of: NameOf) -> str:
    """An Arabic ``text`` of ``search.error_texts.ERRORS`` with its fields filled by ``values``."""

    def said(value: object) -> str:
        if isinstance(value, tuple):  # a Said
            key, inner = value
            return _fill(ERRORS[key][0], inner, name_of)
        if isinstance(value, Named):
            value = name_of(value) or value
        return _ISOLATED.format(value)

    coded = _CODE.sub(lambda m: _ISOLATED.replace("{}", m[1]), text)
    return coded.format(**{name: said(value) for name, value in values.items()})


class IndexNotFound(BahthError):
    """There is no index at the path given."""

    default_fix = (
        "Build one with: bahth index DUMP..., or point at an index with --index DIR "
        "or BAHTH_INDEX=DIR."
    )
    said_key = "index_not_found"


class IndexIncompatible(BahthError):
    """The index was built by an incompatible version of Bahth's analysis or schema."""

    default_fix = "Rebuild it with: bahth rebuild DUMP... --index DIR"
    said_key = "index_incompatible"


class IndexDamaged(BahthError):
    """A file of the index cannot be read as Bahth wrote it (truncated, not JSON, or naming
    what is not there). Not a version mismatch: rebuilding is not the fix; the message names
    the file."""

    default_fix = "Restore the file from a backup of the index."
    said_key = "index_damaged"


class IndexLocked(BahthError):
    """Another process holds the index's write lock."""

    default_fix = "Wait for the other writer to finish, or pass --wait to queue behind it."
    said_key = "index_locked"


class ShardUnavailable(BahthError):
    """A shard of a cluster index (``search.engine.xapian``) could not be reached or did not
    answer in time; ``shard`` is its address as the cluster names it."""

    default_fix = (
        "Start the shard's server (bahth shard serve DIR --port PORT), or search with "
        "--allow-partial for the other shards' results."
    )
    said_key = "shard_unavailable"

    def __init__(self, shard: str, reason: str, fix: str | None = None) -> None:
        # The reason is the system's or Xapian's words, kept as they are in Arabic too.
        said = ("shard_no_answer", {"shard": shard, "reason": reason})
        super().__init__(f"The shard {shard} did not answer: {reason}.", fix, said=said)
        self.shard = shard


class StorageError(BahthError):
    """The operating system refused to read or write the index: no space left on the device,
    a read-only file system, or permissions. ``path`` is where, ``code`` the ``errno``.

    ``StorageError.of`` makes one from an ``errno`` in the user's terms; it is pure (no I/O),
    so that any caller holding an ``OSError`` can translate it.
    """

    default_fix = "Check the disk (df -h) and the permissions of the index directory (ls -l)."
    said_key = "storage_error"

    #: The errors the disk gives that are the user's to fix, not Bahth's bugs.
    CODES: ClassVar[frozenset[int]] = frozenset(
        {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
    )

    def __init__(
        self,
        message: str,
        fix: str | None = None,
        *,
        path: str | None = None,
        code: int = 0,
        said: Said | None = None,
    ) -> None:
        super().__init__(message, fix, said=said)
        self.path = path
        self.code = code

    @staticmethod
    def errno_in(message: str) -> int | None:
        """The ``errno`` a compiled library's message names, if any: Rust's I/O errors (in
        tantivy's) print ``Os { code: 28, kind: StorageFull, ... }`` or ``(os error 28)``.

        >>> StorageError.errno_in("An IO error occurred: 'No space left on device (os error 28)'")
        28
        """
        found = _RUST_OS_ERROR.search(message)
        return int(found[1] or found[2]) if found else None

    @classmethod
    def of(cls, code: int, path: str | None, *, writing: bool | None = None) -> StorageError:
        """The error for ``errno`` ``code`` at ``path`` (a file or directory; None: unknown).
        ``writing`` says whether Bahth was writing (True), reading (False) or either (None),
        which decides what a permission error means.

        >>> print(StorageError.of(errno.ENOSPC, "indexes/news/gen-000002"))
        No space left on device at indexes/news/gen-000002.
        Free space on that disk (df -h indexes/news/gen-000002) and run the command again.
        """
        where = path or "the index"
        at = f" at {path}" if path else ""
        df = f"df -h {path}" if path else "df -h"
        # In Arabic: the same, a path or none (the index).
        place: dict[str, object] = {"where": ("the_index", {}) if path is None else path}
        if code in (errno.ENOSPC, errno.EDQUOT):
            what = "No space left on device" if code == errno.ENOSPC else "Disk quota exceeded"
            key = "no_space" if code == errno.ENOSPC else "disk_quota"
            return cls(
                f"{what}{at}.",
                f"Free space on that disk ({df}) and run the command again.",
                path=path,
                code=code,
                said=(key + ("_at" if path else ""), {**place, "df": df}),
            )
        if code == errno.EROFS:
            return cls(
                f"{where} is on a read-only file system: Bahth cannot write there.",
                "Remount it read-write, or write the index elsewhere (--index DIR); it can "
                "be searched as it is.",
                path=path,
                code=code,
                said=("read_only", place),
            )
        if code in (errno.EACCES, errno.EPERM):
            ls = f"ls -ld {path}" if path else "ls -l"
            if writing is False:
                state, need = "is not readable", "read"
            elif writing:
                state, need = "is not writable", "write"
            else:
                state, need = "cannot be read or written", "read and write"
            return cls(
                f"{where} {state} by this user (permission denied).",
                f"Check its permissions ({ls}): the user running bahth must be able to {need} "
                "the index directory and every file in it.",
                path=path,
                code=code,
                said=("permission_" + need.replace(" ", "_"), {**place, "ls": ls}),
            )
        if code == errno.EIO:
            return cls(
                f"The disk reported an input/output error{at}.",
                "The disk or file system may be failing: check it (dmesg, fsck), then run "
                "the command again.",
                path=path,
                code=code,
                said=("disk_failing" + ("_at" if path else ""), place),
            )
        return cls(
            f"The system refused{at}: {os.strerror(code)}.",
            path=path,
            code=code,
            said=("system_refused", {**place, "reason": os.strerror(code)}),
        )


class InputError(BahthError):
    """A dump file could not be opened or read at all."""

    default_fix = "Check the path and that the file is readable (ls -l)."
    said_key = "input_error"


class QueryError(BahthError):
    """The query string is malformed, or an option of the search is wrong; the message says
    what is wrong and where, in the library's names (``since``, ``all_words``).

    The fields say it for a program, and for a front end to say it in its own terms:

    * ``option``: the option at fault (its name in ``search.options.OPTIONS``), or None when
      the query is; a message about an option starts with its name, and ``worded`` calls it
      as the command (``--since``) or a web form (``all-words``) does, and the options in
      ``also`` that the message names too;
    * ``position``: for a query that does not parse, the character it points at, 1-based as
      the message says it (as ``SyntaxError.offset``); None otherwise;
    * ``value``: the option's value that was refused, as given.

    >>> error = QueryError("since: '2015-13' is not a date", option="since", value="2015-13")
    >>> error.message, error.worded(lambda name: "--" + name)
    ("since: '2015-13' is not a date", "--since: '2015-13' is not a date")
    """

    default_fix = "See bahth search --help for the query language and the options."
    said_key = "query_error"

    def __init__(
        self,
        message: str,
        fix: str | None = None,
        *,
        option: str | None = None,
        position: int | None = None,
        value: object = None,
        also: tuple[str, ...] = (),
        said: Said | None = None,
    ) -> None:
        if option is not None and not message.startswith(option):
            raise ValueError(f"a message about {option} starts with its name: {message!r}")
        super().__init__(message, fix, said=said)
        self.option = option
        self.position = position
        self.value = value
        self.also = also

    def _named(self) -> dict[str, object]:
        """``{option}``: the option at fault; ``{also}``: the other option named."""
        named: dict[str, object] = {}
        if self.option is not None:
            named["option"] = Named(self.option)
        if self.also:
            named["also"] = Named(self.also[0])
        return named

    def worded(self, name_of: NameOf = _library) -> str:
        """The message, calling its options by ``name_of`` theirs (None: the library's)."""
        if self.option is None:
            return self.message
        head = name_of(self.option) or self.option
        rest = self.message[len(self.option) :]
        for other in self.also:
            rest = re.sub(rf"\b{re.escape(other)}\b", name_of(other) or other, rest)
        return head + rest
