"""What every response of ``bahth serve`` carries, and whom it answers: ASGI middleware.

``SecurityHeaders`` adds ``SECURITY_HEADERS`` to every response that passes through it (the
app's 500s, sent from outside it, add them themselves: see ``app``). ``LoopbackHosts`` refuses
requests that name another host than this computer, for a server bound to it.
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    # No script at all; the one style sheet is ours; forms submit only here.
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    # Following an article's link must not hand the news site the query in the Referer.
    "referrer-policy": "no-referrer",
}
LOOPBACK_NAMES = ("localhost",)  # besides loopback addresses: 127.0.0.1, [::1]


class SecurityHeaders:
    """ASGI middleware adding ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = _encoded(SECURITY_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoopbackHosts:
    """ASGI middleware for a server bound to a loopback address: a request whose ``Host`` is
    not this computer by address or by the name ``localhost`` (any port) is refused with 400.

    Only this computer can connect, but a page from anywhere can have its browser do so: a
    site whose name its DNS points at 127.0.0.1 after the page has loaded (DNS rebinding)
    reads our responses as its own. Its requests carry its name as the ``Host``. The port is
    not checked: a tunnel (``ssh -L 9000:localhost:8000``) changes it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_loopback(dict(scope["headers"]).get(b"host")):
            await self.app(scope, receive, send)
            return
        port = (scope.get("server") or ("", 8000))[1]
        body = f"This server answers this computer only: open http://127.0.0.1:{port}/\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), *_encoded(SECURITY_HEADERS)]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_loopback(host: bytes | None) -> bool:
    """Whether a ``Host`` header names this computer: 127.0.0.1, [::1], localhost, with any
    port; a request without one (HTTP/1.0) is no browser's.

    >>> [_is_loopback(h) for h in (b"127.0.0.1:8000", b"[::1]:80", b"LOCALHOST", b"evil.com")]
    [True, True, True, False]
    """
    if host is None:
        return True
    name = host.decode("latin-1").strip().lower()
    if name.startswith("["):  # an IPv6 address, and perhaps a port: [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:  # a name or an IPv4 address, and a port
        name = name.partition(":")[0]
    if name.rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in headers.items()]
