"""Command-line options that every harness spells the same way, and progress messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.core import corpora


def positive_ints(text: str) -> list[int]:
    """An ``argparse`` type: ``1,2`` → ``[1, 2]``, every value at least 1."""
    values = [int(v) for v in text.split(",") if v.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers like 1,2 not {text!r}")
    return values


def add_data(parser: argparse.ArgumentParser) -> None:
    """``--data DIR``: the shared corpora."""
    parser.add_argument(
        "--data",
        type=Path,
        default=corpora.DEFAULT_DATA,
        help="shared data directory (default: ../shared/data beside the repository)",
    )


def add_corpus(parser: argparse.ArgumentParser, default: str, *, several: bool = False) -> None:
    """``--corpus``: ant1, ant2, snn or all; with ``several``, a list of them."""
    parser.add_argument(
        "--corpus",
        choices=corpora.CHOICES,
        default=[default] if several else default,
        nargs="+" if several else None,
        help=f"ant1, ant2, snn (SaudiNewsNet) or all three (default: {default})",
    )


def add_limit(parser: argparse.ArgumentParser) -> None:
    """``--limit N``: a sample of the corpora, for trial runs."""
    parser.add_argument(
        "--limit", type=int, help="first N articles only (taken from the corpora in turn)"
    )


def check_corpus(data: Path, choices: list[str]) -> str | None:
    """The error message for a missing corpus file, or None when all are there."""
    for choice in choices:
        if lost := corpora.missing(data, choice):
            return f"Error: no corpus at {lost[0]}. Pass the shared data directory with --data DIR."
    return None


def progress(message: str) -> None:
    """Progress goes to stderr; stdout carries only the results."""
    print(message, file=sys.stderr, flush=True)
