"""bahth serve against what a hostile page, client or user sends: every error carries the
security headers, a 405 its ``Allow``, a server on this computer answers only requests that
name it (DNS rebinding), a slow client's request head has a deadline, and what a request sent
is shown back cut."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from starlette.testclient import TestClient

from search.web import create_app
from search.web.app import SECURITY_HEADERS
from search.web.guards import LoopbackHosts
from search.web.live import LiveSearcher
from search.web.server import MAX_HEAD_BYTES, head_deadline_protocol, listen
from tests.web.conftest import OIL, parse_html, running_server

pytestmark = pytest.mark.usefixtures("engine")

LONG = "x" * 8_000  # 8 KB: bahth serve reads request heads of up to 16 KB


def assert_guarded(response: object, status: int) -> None:
    assert response.status_code == status, response.text[:500]  # type: ignore[attr-defined]
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name  # type: ignore[attr-defined]


# --- errors carry the headers ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/search", "/api/search", "/article/oil-01"])
def test_a_wrong_method_is_a_405_that_says_which_it_takes(client: TestClient, path: str) -> None:
    response = client.post(path)
    assert_guarded(response, 405)
    allowed = response.headers["allow"]
    assert set(allowed.split(", ")) == {"GET", "HEAD"}
    if path.startswith("/api/"):
        assert response.json()["error"]["message"] == f"method not allowed: {allowed} only"


def test_a_server_error_is_a_page_with_the_headers_and_no_trace(oil_index: Path) -> None:
    app = create_app(oil_index)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.live.get().search = fail  # a bug in a search
        page = client.get(f"/search?q={OIL}")
        assert_guarded(page, 500)
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "a bug" not in page.text and "Traceback" not in page.text
        document = client.get(f"/api/search?q={OIL}")
        assert_guarded(document, 500)
        assert document.json()["error"]["status"] == 500
        assert "a bug" not in document.text


def test_a_server_error_whose_page_fails_too_is_plain_text_with_the_headers(
    oil_index: Path,
) -> None:
    app = create_app(oil_index)
    live: LiveSearcher = app.state.live

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        live.get = fail  # type: ignore[method-assign]  # every page needs the searcher
        response = client.get("/")
        assert_guarded(response, 500)
        assert response.text == "Internal Server Error"


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=" + quote("(" * 200 + OIL + ")" * 200),  # 401 characters: a 500 before
        "/search?q=" + quote("NOT " * 100 + OIL),
        "/search?q=" + quote(LONG),
        "/api/search?q=" + quote("(" * 200 + OIL + ")" * 200),
        "/nowhere",
        "/api/nowhere",
    ],
)
def test_errors_of_every_kind_carry_the_headers(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert_guarded(response, 404 if "nowhere" in url else 400)


# --- what was sent is shown back cut ------------------------------------------------------------


def test_a_long_query_is_shown_back_cut_on_the_page_and_not_at_all_in_json(
    client: TestClient,
) -> None:
    response = client.get("/search?q=" + quote(LONG) + "&since=" + quote(LONG))
    assert_guarded(response, 400)
    assert len(response.text) < 20_000
    root = parse_html(response.text)
    boxes = {i.attrs.get("name"): i.attrs.get("value", "") for i in root.find_all("input")}
    assert boxes["q"] == "x" * 200 + "…" and boxes["since"] == "x" * 200 + "…"
    document = client.get("/api/search?q=" + quote(LONG)).json()
    assert "8,000 characters" in document["error"]["message"]
    assert len(str(document)) < 1_000


@pytest.mark.parametrize(
    "options",
    [
        "limit=" + "9" * 8_000,
        "page=" + "1" * 30,
        "sort=" + "x" * 8_000,
        "source=" + "x" * 8_000,
        "exact=" + "x" * 8_000,
        "x" * 8_000 + "=1",
    ],
    ids=["limit", "page", "sort", "source", "exact", "parameter"],
)
def test_a_long_value_is_quoted_cut_in_the_message(client: TestClient, options: str) -> None:
    for path in ("/search", "/api/search"):
        response = client.get(f"{path}?q={OIL}&{options}")
        if path == "/search" and options.startswith("x"):
            continue  # the pages ignore parameters they do not take
        assert_guarded(response, 400)
        assert len(response.text) < 20_000, path


def test_an_unknown_article_id_is_quoted_cut(client: TestClient) -> None:
    response = client.get("/api/article/" + "x" * 8_000)
    assert_guarded(response, 404)
    assert len(response.json()["error"]["message"]) < 300


# --- the Host header of a server on this computer -------------------------------------------


@pytest.fixture(scope="module")
def loopback_client(oil_index: Path) -> Iterator[TestClient]:
    with TestClient(LoopbackHosts(create_app(oil_index)), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:8000", "127.0.0.1", "localhost:9000", "LOCALHOST", "[::1]:8000", "127.0.0.2"],
)
def test_a_loopback_server_answers_requests_naming_this_computer(
    loopback_client: TestClient, host: str
) -> None:
    assert_guarded(loopback_client.get(f"/search?q={OIL}", headers={"host": host}), 200)


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil", "[::2]", ""],
)
def test_a_loopback_server_refuses_other_names_dns_rebinding(
    loopback_client: TestClient, host: str
) -> None:
    response = loopback_client.get(f"/api/search?q={OIL}", headers={"host": host})
    assert_guarded(response, 400)
    assert OIL not in response.text and "127.0.0.1:8000" in response.text


@pytest.mark.slow
def test_bahth_serve_checks_the_host_on_loopback_and_not_on_the_network(oil_index: Path) -> None:
    with running_server(oil_index) as (url, _):
        assert _status(url, "evil.example") == 400
        assert _status(url, "localhost") == 200
    with running_server(oil_index, "--host", "0.0.0.0") as (url, _):
        assert _status(url, "evil.example") == 200  # the user chose the network


# --- slow clients -------------------------------------------------------------------------------


@contextlib.contextmanager
def deadline_server(index: Path, timeout: float) -> Iterator[tuple[str, int]]:
    """The app under uvicorn with ``head_deadline_protocol(timeout)``, in a thread: its
    address. (bahth serve uses HEAD_TIMEOUT, ten seconds: too long to wait in a test.)"""
    sock = listen("127.0.0.1", 0)
    config = uvicorn.Config(
        create_app(index), http=head_deadline_protocol(timeout), log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        yield sock.getsockname()[:2]
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        sock.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "sent",
    [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nG"],
    ids=["nothing", "half a head", "a request, then half of the next"],
)
def test_a_client_that_sends_no_whole_request_head_is_closed(oil_index: Path, sent: bytes) -> None:
    with deadline_server(oil_index, 0.5) as address, socket.create_connection(address) as client:
        client.settimeout(60)  # a bound on a hang, not a measure: the server closes first
        client.sendall(sent)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
        # Closed, having answered only the whole request.
        assert received.count(b"HTTP/1.1 200") == sent.count(b"\r\n\r\n")


def test_a_whole_request_is_answered_under_the_deadline_protocol(oil_index: Path) -> None:
    with deadline_server(oil_index, 30) as address:
        assert _status(f"http://{address[0]}:{address[1]}/", "127.0.0.1") == 200


def test_a_request_head_too_large_to_read_is_a_400_with_the_headers(oil_index: Path) -> None:
    with deadline_server(oil_index, 30) as address, socket.create_connection(address) as client:
        client.settimeout(60)
        client.sendall(b"GET /search?q=" + b"x" * MAX_HEAD_BYTES + b" HTTP/1.1\r\n\r\n")
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    head = received.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 400")
    for name, value in SECURITY_HEADERS.items():
        assert f"{name}: {value}" in head


def _status(url: str, host: str) -> int:
    """The status of GET ``url`` sent with this ``Host`` header (urllib would send its own)."""
    address = url.removeprefix("http://").split("/")[0]
    name, _, port = address.rpartition(":")
    with socket.create_connection((name, int(port)), timeout=60) as client:
        client.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    return int(received.split(b" ", 2)[1])
