"""``bahth shard serve``: what it says when it cannot serve (the serving itself is
tests/test_shards.py's, with real servers)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from search.cli import main


def test_a_missing_server_binary_names_the_package_to_install(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["shard", "serve", str(tmp_path / "shard"), "--port", "7001", "--writable"],
        env={"PATH": str(tmp_path)},  # no xapian-tcpsrv on it
    )
    assert result.exit_code == 1
    assert "xapian-tcpsrv, Xapian's shard server, is not installed" in result.output
    assert "apt install xapian-tools" in result.output
    assert "Traceback" not in result.output


def test_serving_read_only_needs_a_shard_there(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    server = tmp_path / "bin" / "xapian-tcpsrv"  # found on PATH, never run
    server.write_text("#!/bin/sh\nexit 9\n", encoding="utf-8")
    server.chmod(0o755)
    result = CliRunner().invoke(
        main, ["shard", "serve", str(tmp_path), "--port", "7001"], env={"PATH": str(server.parent)}
    )
    assert result.exit_code == 1
    assert f"{tmp_path} holds no shard" in result.output
    assert "--writable to create one" in result.output


def test_the_help_says_the_protocol_has_no_login_and_where_it_listens() -> None:
    shown = CliRunner().invoke(main, ["shard", "serve", "--help"]).output
    assert "no login and no encryption" in " ".join(shown.split())
    assert "[default: 127.0.0.1]" in shown
