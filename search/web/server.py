"""Running the web app: bind the address, say where it is, serve with uvicorn until stopped."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

from .app import create_app

LOOPBACK = "127.0.0.1"
BACKLOG = 2048  # uvicorn's


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
) -> None:
    """Serve the index at ``index`` on ``host:port`` until interrupted (Ctrl-C raises
    ``KeyboardInterrupt`` once the server has shut down cleanly). The index is opened first,
    so a missing one is its ``IndexNotFound``; an address that cannot be had is an
    ``OSError``. ``announce`` gets the lines saying what is served where."""
    import uvicorn  # its logging set-up is for the server only

    app = create_app(index, refresh_interval=refresh_interval)
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
        app,
        lifespan="on",  # closes the index on the way out
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    with sock:
        uvicorn.Server(config).run(sockets=[sock])
