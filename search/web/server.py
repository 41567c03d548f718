"""Running the web app: bind the address, say where it is, serve with uvicorn until stopped.

A slow or idle client holds a connection, and its descriptor, only so long: its request's
head (the request line and headers) must arrive within ``HEAD_TIMEOUT`` seconds of the
connection or of the end of the previous response, and be at most ``MAX_HEAD_BYTES``; a kept-
alive connection is closed after ``KEEP_ALIVE`` idle seconds. uvicorn has no deadline for a
request's head (its keep-alive timer starts only once a response is sent, and stops at the
first byte of the next request), so ``_HeadDeadline`` adds one to its HTTP/1.1 protocol.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..searcher import Searcher
from .app import create_app
from .guards import SECURITY_HEADERS, LoopbackHosts

LOOPBACK = "127.0.0.1"
BACKLOG = 2048  # uvicorn's
HEAD_TIMEOUT = 10.0  # seconds; a browser sends a head in one packet
MAX_HEAD_BYTES = 16 * 1024  # h11's default, said here: a 500-character query is 9 KB encoded
KEEP_ALIVE = 5  # seconds; uvicorn's default


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host`` (a name or an address) and ``port`` (0: any free
    one); ``OSError`` when it cannot be had (in use, not an address of this machine).

    Bound here rather than by uvicorn so that the address is known, and said, before serving
    (``--port 0``), and a taken port is the command's error. The socket names its protocol,
    TCP: asyncio turns Nagle's algorithm off only on connections of such a socket, and with it
    on, a response on a kept-alive connection (headers, then body) waited 40 ms for the
    client's delayed ACK.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> tuple[str, bool]:
    """The URL a browser on this machine opens for ``sock``, and whether only this machine
    can reach it (a loopback address)."""
    address, port = sock.getsockname()[:2]
    ip = ipaddress.ip_address(address)
    if ip.is_unspecified:  # 0.0.0.0 or ::, every interface: this machine is one of them
        ip = ipaddress.ip_address(LOOPBACK if ip.version == 4 else "::1")
        loopback_only = False
    else:
        loopback_only = ip.is_loopback
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    return f"http://{host}:{port}/", loopback_only


def serve(
    index: Path,
    host: str = LOOPBACK,
    port: int = 8000,
    *,
    announce: Callable[[str], None] = print,
    refresh_interval: float = 1.0,
    open_searcher: Callable[[Path], Searcher] = Searcher,
) -> None:
    """Serve the index at ``index`` on ``host:port`` until interrupted (Ctrl-C raises
    ``KeyboardInterrupt`` once the server has shut down cleanly). The index is opened first,
    so a missing one is its ``IndexNotFound``; an address that cannot be had is an
    ``OSError``. ``announce`` gets the lines saying what is served where; ``open_searcher``
    opens the index (``Searcher`` with its options)."""
    import uvicorn  # its logging set-up is for the server only

    app = create_app(index, refresh_interval=refresh_interval, open_searcher=open_searcher)
    live = app.state.live
    try:
        sock = listen(host, port)
    except OSError:
        live.close()
        raise
    url, loopback_only = url_of(sock)
    stats = live.stats()
    announce(
        f"Serving {stats.articles:,} articles of {index.resolve()} ({stats.engine}), "
        f"read-only, at {url}"
    )
    if loopback_only:
        announce("Only this computer can open it; --host 0.0.0.0 serves the network. Ctrl-C stops.")
    else:
        announce(
            f"Listening on {host}: anyone who can reach this machine can search the index "
            "(there is no login). Ctrl-C stops."
        )
    config = uvicorn.Config(
        # Bound to this computer, the server answers only requests naming it (DNS
        # rebinding); bound to a network, the user chose who may reach it.
        LoopbackHosts(app) if loopback_only else app,
        lifespan="on",  # closes the index on the way out
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        http=head_deadline_protocol(),
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_keep_alive=KEEP_ALIVE,
    )
    with sock:
        uvicorn.Server(config).run(sockets=[sock])


def head_deadline_protocol(timeout: float = HEAD_TIMEOUT) -> type[asyncio.Protocol]:
    """uvicorn's HTTP/1.1 protocol (h11), closing a connection whose request head is not
    complete ``timeout`` seconds after the connection was made, or after the previous response
    when the client starts another. The deadline is not moved by each byte received: a client
    sending a byte a second ("slowloris") is closed on time too. Its 400 for a head it cannot
    read carries the security headers, as the app's responses do."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class _HeadDeadline(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._deadline = self.loop.call_later(timeout, self._expired)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            waiting = self.conn.their_state is h11.IDLE  # no complete request head yet
            if waiting and self._deadline is None and not self.transport.is_closing():
                self._deadline = self.loop.call_later(timeout, self._expired)
            elif not waiting:
                self._cancel()

        def on_response_complete(self) -> None:
            super().on_response_complete()  # may already read a pipelined request's head
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._cancel()
                self._deadline = self.loop.call_later(timeout, self._expired)

        def send_400_response(self, msg: str) -> None:
            """uvicorn's answer to a request head it cannot read (malformed, or larger than
            ``MAX_HEAD_BYTES``), with the security headers every response carries."""
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"connection", b"close"),
                *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
            ]
            response = h11.Response(status_code=400, headers=headers, reason=b"Bad Request")
            for event in (response, h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel()
            super().connection_lost(exc)

        def _cancel(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expired(self) -> None:
            self._deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.conn.send(h11.ConnectionClosed())
                self.transport.close()

    return _HeadDeadline
