"""Real shard servers for tests: ``bahth shard serve DIR --port P --writable`` (which execs
``xapian-tcpsrv``) on loopback ports, and cluster files listing them.

``xapian-tcpsrv`` forks a child for each connection, and a killed parent leaves its children
serving the connections they have: a server is started in a session of its own, and killing
it kills its whole process group, as a machine that goes down would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.test_crash_safety import bahth_command

# How long a starting server may take to listen (a Python start, then the exec): a bound on
# waiting for something that failed, not a measure of anything.
START_SECONDS = 30.0


def free_port() -> int:
    """A loopback port nothing listens on now (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ShardServer:
    """One shard served writable from ``directory`` on a loopback port; ``start``, ``kill``
    and ``start`` again serve the same directory on the same port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        """The shard's address, as a cluster file lists it and errors name it."""
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the server and return once its port accepts connections."""
        assert not self.running, f"{self.address} is already served"
        self.process = subprocess.Popen(
            bahth_command("shard", "serve", self.directory, "--port", str(self.port), "--writable"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: the connections' children too
        )
        deadline = time.monotonic() + START_SECONDS
        while not _accepts(self.port):
            if self.process.poll() is not None:
                _, err = self.process.communicate()
                raise RuntimeError(f"{self.address} did not start: {err.decode(errors='replace')}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"{self.address} did not listen in {START_SECONDS:.0f} s")
            time.sleep(0.02)

    def kill(self) -> None:
        """Kill the server and every child serving a connection (its process group)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def write_cluster(path: Path, servers: list[ShardServer]) -> Path:
    """A cluster file listing ``servers``, one address a line."""
    path.write_text(
        "# shards of a test\n" + "".join(f"{s.address}\n" for s in servers), encoding="utf-8"
    )
    return path


@contextmanager
def shard_servers(root: Path, count: int) -> Iterator[list[ShardServer]]:
    """``count`` servers started on ``root/shard-1`` ..., all killed on leaving."""
    servers = [ShardServer(root / f"shard-{n}") for n in range(1, count + 1)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.kill()
