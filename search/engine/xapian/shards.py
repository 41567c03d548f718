"""Opening a Xapian index's shards (``search.engine.cluster`` says where they are): local
databases, or servers reached over Xapian's remote protocol with a timeout.

Xapian's remote protocol has no authentication and no encryption: anyone who can reach a
port can read the shard, and write it when the server is ``--writable``.
"""

from __future__ import annotations

import re

import xapian

from ...errors import IndexDamaged, IndexLocked, ShardUnavailable
from ..cluster import Shard

_CONTEXT = re.compile(r" \(context: [^)]*\)\)?")  # the address, which the message names already
# Xapian's own default for a remote operation (10 s), and for connecting.
DEFAULT_TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0


def open_reading(shard: Shard, timeout: float = DEFAULT_TIMEOUT) -> xapian.Database:
    """A read-only database of the shard; ``ShardUnavailable`` when its server does not
    answer."""
    if shard.path is not None:
        try:
            return xapian.Database(str(shard.path))
        except xapian.DatabaseOpeningError as error:
            raise IndexDamaged(
                f"The shard {shard.path} cannot be opened: {_CONTEXT.sub('', str(error))}.",
                "Restore the shard's directory from a backup, or rebuild the index.",
            ) from error
    try:
        return xapian.remote_open(shard.host, shard.port, *_milliseconds(timeout))
    except xapian.NetworkError as error:
        raise unavailable(shard, error) from error


def open_writing(shard: Shard, timeout: float = DEFAULT_TIMEOUT) -> xapian.WritableDatabase:
    """A writable database of the shard (created when local and missing); ``IndexLocked``
    when another writer has it."""
    try:
        if shard.path is not None:
            # A cluster file may name a directory not made yet (Xapian makes only its last part).
            shard.path.parent.mkdir(parents=True, exist_ok=True)
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
    # str(): its message, context and the system's words ("Connection refused"). Not
    # get_error_string(), which crashes the process on an error without system words (a
    # timeout) in xapian-bindings 1.4.26.
    reason = _CONTEXT.sub("", str(error))
    if isinstance(error, xapian.NetworkTimeoutError):
        reason = f"no answer in time ({reason.lower()})"
    fix = None
    if writing:
        fix = (
            f"Start its server writable (bahth shard serve DIR --port {shard.port} --writable) "
            "and run the same command again: articles are written by id, so a rerun converges."
        )
    return ShardUnavailable(shard.name, reason, fix)
