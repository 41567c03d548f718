"""Where a Xapian index's shards are, and how an article is routed to one.

A location's address (``contract.Location``) lists the shards, one each: empty, the index is
one database in the generation's directory; a relative path names a database inside the
generation (``bahth index --shards N`` builds ``shard-1`` ... ``shard-N`` there), an absolute
path one elsewhere on this machine, and ``tcp://HOST:PORT`` one that ``xapian-tcpsrv`` serves
(``bahth shard serve``). A cluster file (``--cluster FILE``) lists them the same way, one a
line, ``#`` starting a comment, relative paths from the file's directory.

Xapian's remote protocol has no authentication and no encryption: anyone who can reach a
port can read the shard, and write it when the server is ``--writable``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import xapian

from ...errors import IndexLocked, InputError, ShardUnavailable

SCHEME = "tcp://"
# Xapian's own default for a remote operation (10 s), and for connecting.
DEFAULT_TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Shard:
    """One shard: a local database (``path``) or a server (``host``, ``port``). ``name`` is
    how messages call it: its address as the cluster lists it."""

    name: str
    path: Path | None = None
    host: str = ""
    port: int = 0

    @property
    def remote(self) -> bool:
        return self.path is None


def shards_of(directory: Path, address: tuple[str, ...]) -> list[Shard]:
    """The shards of a generation at ``directory`` with this ``address``."""
    if not address:
        return [Shard(str(directory), directory)]
    return [_shard(directory, entry) for entry in address]


def _shard(directory: Path, entry: str) -> Shard:
    if not entry.startswith(SCHEME):
        return Shard(entry, directory / entry)  # an absolute path stays itself
    parts = urlsplit(entry)
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise InputError(f"{entry!r} is not a shard address.", "Write a server as tcp://HOST:PORT.")
    return Shard(entry, None, parts.hostname, port)


def local_shards(count: int) -> tuple[str, ...]:
    """The address of ``count`` shards inside the generation (``--shards``)."""
    return tuple(f"shard-{n}" for n in range(1, count + 1))


def read_cluster_file(path: Path) -> tuple[str, ...]:
    """The shards a cluster file lists, local paths made absolute; checked."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"Cannot read the cluster file {path}: {error.strerror}.") from error
    address = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not entry.startswith(SCHEME):
            entry = str((path.parent / entry).resolve())
        try:
            _shard(path.parent, entry)
        except InputError as error:
            raise InputError(f"{path}:{number}: {error.message}", error.fix) from error
        address.append(entry)
    if not address:
        raise InputError(f"The cluster file {path} lists no shard.", "Write one shard a line.")
    if len(set(address)) < len(address):
        raise InputError(f"The cluster file {path} lists a shard twice.")
    return tuple(address)


def shard_of(article_id: str, count: int) -> int:
    """The shard an article lives on: a stable hash of its id (the same on every machine and
    every run, so updates and deletes go where the article is)."""
    if count == 1:
        return 0
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big") % count


def open_reading(shard: Shard, timeout: float = DEFAULT_TIMEOUT) -> xapian.Database:
    """A read-only database of the shard; ``ShardUnavailable`` when its server does not
    answer."""
    if not shard.remote:
        return xapian.Database(str(shard.path))
    try:
        return xapian.remote_open(shard.host, shard.port, *_milliseconds(timeout))
    except xapian.NetworkError as error:
        raise unavailable(shard, error) from error


def open_writing(shard: Shard, timeout: float = DEFAULT_TIMEOUT) -> xapian.WritableDatabase:
    """A writable database of the shard (created when local and missing); ``IndexLocked``
    when another writer has it."""
    try:
        if not shard.remote:
            return xapian.WritableDatabase(str(shard.path), xapian.DB_CREATE_OR_OPEN)
        return xapian.remote_open_writable(shard.host, shard.port, *_milliseconds(timeout))
    except xapian.DatabaseLockError as error:
        raise IndexLocked(f"The shard {shard.name} is locked by another writer.") from error
    except xapian.NetworkError as error:
        raise unavailable(shard, error, writing=True) from error


def _milliseconds(timeout: float) -> tuple[int, int]:
    """The remote timeouts Xapian takes: each operation's, and connecting's."""
    return round(timeout * 1000), round(min(timeout, CONNECT_TIMEOUT) * 1000)


def unavailable(shard: Shard, error: xapian.Error, *, writing: bool = False) -> ShardUnavailable:
    """The error of a shard that did not answer, in the user's terms."""
    reason = error.get_msg() if hasattr(error, "get_msg") else str(error)
    if isinstance(error, xapian.NetworkTimeoutError):
        reason = f"no answer in time ({reason})"
    fix = None
    if writing:
        fix = (
            f"Start its server writable (bahth shard serve DIR --port {shard.port} --writable) "
            "and run the same command again: articles are written by id, so a rerun converges."
        )
    return ShardUnavailable(shard.name, reason, fix)
