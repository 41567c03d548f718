"""Where the shards of an index are, and which shard holds an article (engine-neutral: no
engine is imported; ``Engine.SHARDS`` says whether an engine takes shards, the xapian one).

A generation's address (``contract.Location``) lists its shards, one each: empty, the index is
one in the generation's directory; a relative path names a shard inside the generation
(``bahth index --shards N`` makes ``shard-1`` ... ``shard-N`` there), an absolute path one
elsewhere on this machine, and ``tcp://HOST:PORT`` one a server holds (``bahth shard serve``).
A cluster file (``--cluster FILE``) lists them the same way, one a line, ``#`` starting a
comment, relative paths taken from the file's directory::

    # news archive, three machines
    tcp://10.0.0.11:7001
    tcp://10.0.0.12:7001
    tcp://10.0.0.13:7001
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import IndexIncompatible, InputError
from .contract import Engine

SCHEME = "tcp://"
MAX_SHARDS = 1024


@dataclass(frozen=True, slots=True)
class Shard:
    """One shard: on this machine (``path``) or on a server (``host``, ``port``). ``name`` is
    how messages call it: its address as the cluster lists it."""

    name: str
    path: Path | None = None
    host: str = ""
    port: int = 0

    @property
    def remote(self) -> bool:
        return self.path is None


def shards_of(directory: Path, address: tuple[str, ...]) -> list[Shard]:
    """The shards of the generation at ``directory`` with this ``address``."""
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


def shard_of(article_id: str, count: int) -> int:
    """The shard an article lives on: a stable hash of its id (the same on every machine and
    in every run, so that its updates and its delete go where it is)."""
    if count == 1:
        return 0
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big") % count


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


def cluster_address(shards: int | None, cluster: Path | None) -> tuple[str, ...] | None:
    """The address ``--shards`` or ``--cluster`` asks for; None when neither is given."""
    if shards is not None and cluster is not None:
        raise InputError(
            "--shards and --cluster both say where the shards are.", "Give one of them."
        )
    if cluster is not None:
        return read_cluster_file(cluster)
    if shards is None:
        return None
    if not 1 <= shards <= MAX_SHARDS:
        raise InputError(f"--shards takes 1 to {MAX_SHARDS}, not {shards}.")
    return local_shards(shards) if shards > 1 else ()


def check_address(live: Path, asked: tuple[str, ...] | None) -> None:
    """Refuse shards other than those of the live index ``live`` (a run adds to them)."""
    from . import engine_of, location_of

    if asked is None or asked == location_of(live).address:
        return
    engine = engine_of(live).NAME
    raise IndexIncompatible(
        f"The index was built with {_described(location_of(live).address)}, not "
        f"{_described(asked)}.",
        f"Rebuild it to change its shards: bahth rebuild DUMP... --engine {engine} "
        "--shards N (or --cluster FILE)",
    )


def new_address(
    previous: Path | None, engine: Engine, asked: tuple[str, ...] | None
) -> tuple[str, ...]:
    """The address of a new generation of ``engine``: the one asked for; else, rebuilding
    ``previous``, its local shards again (in the new generation's directory). Shards a
    previous generation keeps elsewhere (servers, other directories) are refused: the new
    index would empty what the live one still serves."""
    from . import location_of

    if asked and not getattr(engine, "SHARDS", False):
        raise InputError(
            f"The {engine.NAME} engine keeps an index in one place: it takes no shards.",
            "Use --engine xapian for shards.",
        )
    before = location_of(previous).address if previous is not None else ()
    if asked is None:
        if all(not entry.startswith(SCHEME) and not Path(entry).is_absolute() for entry in before):
            return before if getattr(engine, "SHARDS", False) else ()
        raise InputError(
            f"The live index keeps its shards elsewhere ({', '.join(before)}); a rebuild "
            "writes a new index beside it, on shards of its own.",
            "Start servers on new directories and rebuild with --cluster FILE listing them; "
            "stop the old ones once it is live.",
        )
    shared = set(before) & {entry for entry in asked if not entry.startswith("shard-")}
    if shared:
        raise InputError(
            f"The live index is on {', '.join(sorted(shared))}: a rebuild there would empty "
            "it while it is searched.",
            "Rebuild onto other shards (new servers or directories), then stop the old ones.",
        )
    return asked


def _described(address: tuple[str, ...]) -> str:
    if not address:
        return "one local database"
    return f"{len(address)} shards ({', '.join(address)})"
