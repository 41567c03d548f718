"""The ``bahth`` command: a thin shell over the public API in ``search``.

Paths and environment variables are resolved here and nowhere else. Messages go to stderr,
results to stdout. Exit codes: 0 done (also: no hits, records rejected and reported), 1 the job
could not be done (no index, locked, unreadable input), 2 the request was wrong (bad option or
malformed query).

``base`` holds the command group and the options several commands share; each command lives
with its kin: ``indexing`` (index, rebuild, delete, with ``progress`` for what a run shows),
``searching`` (search, show, stats, serve, analyze), ``rejects`` (rejects), ``shards`` (shard
serve), ``labels`` (labels list, set, unset, import).
"""

from search.cli import indexing, labels, rejects, searching, shards  # noqa: F401 -- registers the commands on main
from search.cli.base import main

__all__ = ["main"]
