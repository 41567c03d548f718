"""``bahth shard serve``: one shard of a xapian index served to other machines."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click

from search.cli.base import main

SERVER = "xapian-tcpsrv"
INSTALL = (
    "Install Xapian's tools: apt install xapian-tools (Debian, Ubuntu), brew install xapian "
    "(macOS)."
)


@main.group("shard")
def shard_group() -> None:
    """Serve the shards of a xapian index to the machines that search or index it.

    Example: bahth shard serve /data/news-shard-1 --port 7001 --writable
    """


@shard_group.command("serve")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), required=True, help="Port to listen on.")
@click.option(
    "--interface",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Xapian's protocol has no login and no encryption: anyone "
    "who reaches the port reads the shard (and writes it, --writable). Listen on a private "
    "network's address only.",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Accept indexing too (one indexing run at a time; searches go on meanwhile). "
    "Creates the shard when the directory has none.",
)
def serve_command(directory: Path, port: int, interface: str, writable: bool) -> None:
    """Serve the shard in DIRECTORY on a port with Xapian's server (xapian-tcpsrv), until
    stopped. List it in a cluster file as tcp://HOST:PORT; bahth index --cluster FILE writes
    to shards served --writable, and searches of the index read them.

    Example: bahth shard serve /data/news-shard-1 --port 7001 --writable
    """
    server = shutil.which(SERVER)
    if server is None:
        raise click.ClickException(f"{SERVER}, Xapian's shard server, is not installed.\n{INSTALL}")
    # Served --writable, a directory without a shard gets one (the server creates it).
    if not writable and not (directory / "iamglass").exists():
        raise click.ClickException(
            f"{directory} holds no shard (Xapian database).\n"
            "Serve it --writable to create one, then index into it with bahth index --cluster."
        )
    # --quiet: without it the server prints a line for every connection (every search).
    command = [server, "--quiet", "--port", str(port), "--interface", interface]
    click.echo(
        f"Serving the shard {directory} at tcp://{interface}:{port}"
        f"{' (writable)' if writable else ' (read-only)'}; Ctrl-C stops.",
        err=True,
    )
    # The server replaces this process: signals reach it directly, and nothing is left behind.
    os.execv(server, [*command, *(["--writable"] if writable else []), str(directory)])
