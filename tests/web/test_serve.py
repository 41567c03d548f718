"""The bahth serve command: the address it says, the CLI's errors, and a clean stop."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.web.server import listen
from tests.web.conftest import OIL, running_server


def get(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8")


def test_serve_says_where_it_listens_answers_and_stops_on_ctrl_c(oil_index: Path) -> None:
    with running_server(oil_index) as (url, server):
        assert url.startswith("http://127.0.0.1:")
        status, headers, text = get(url)
        assert status == 200 and '<html lang="ar" dir="rtl">' in text
        assert "default-src 'none'" in headers["content-security-policy"]
        _, _, document = get(url + "api/search?q=" + urllib.request.quote(OIL))
        cli = CliRunner().invoke(
            main, ["search", OIL, "--index", str(oil_index), "--json"], catch_exceptions=False
        )
        assert {**json.loads(document), "took_ms": 0} == {**json.loads(cli.stdout), "took_ms": 0}
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
        assert server.stderr is not None
        rest = server.stderr.read()
        assert "stopped" in rest and "Traceback" not in rest


def test_serve_says_the_url_and_that_it_is_loopback_only(oil_index: Path) -> None:
    with running_server(oil_index) as (_, server):
        assert server.stderr is not None
        second = server.stderr.readline()
        assert "Only this computer" in second and "0.0.0.0" in second


def test_serve_on_every_interface_warns_that_anyone_may_search(oil_index: Path) -> None:
    with running_server(oil_index, "--host", "0.0.0.0") as (url, server):
        assert url.startswith("http://127.0.0.1:")  # what a browser here opens
        assert server.stderr is not None
        assert "anyone who can reach this machine" in server.stderr.readline()
        assert get(url)[0] == 200


def test_serve_without_an_index_fails_at_start_with_the_clis_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "No index at" in result.stderr and "bahth index" in result.stderr
    search = CliRunner().invoke(main, ["search", "x", "--index", str(tmp_path / "nowhere")])
    assert result.stderr == search.stderr


def test_serve_on_a_port_in_use_says_so(oil_index: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--index", str(oil_index), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


@pytest.mark.parametrize("host", ["203.0.113.7", "::ffff:203.0.113.7"])
def test_serve_on_an_address_not_of_this_machine_says_so(oil_index: Path, host: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(oil_index), "--host", host])
    assert result.exit_code == 1 and "cannot listen on" in result.stderr


def test_the_listening_socket_names_tcp_so_that_connections_get_no_delay() -> None:
    # asyncio sets TCP_NODELAY only on connections of a socket whose proto is IPPROTO_TCP;
    # without it, each response on a kept-alive connection waited for a delayed ACK.
    with listen("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        with socket.create_connection(sock.getsockname()[:2]):
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP


def test_serve_without_the_serve_extra_says_what_to_install(oil_index: Path) -> None:
    # starlette made unimportable, as in an install without bahth[serve]
    code = "import sys; sys.modules['starlette'] = None; from search.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "serve", "--index", str(oil_index)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "pip install 'bahth[serve]'" in done.stderr and "starlette" in done.stderr
    assert "Traceback" not in done.stderr
