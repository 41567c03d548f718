"""``bahth rejects``: the records indexing runs could not read, kept run by run."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli.base import index_option, main


@main.command("rejects")
@index_option
@click.option(
    "--all",
    "all_runs",
    is_flag=True,
    help="List the rejects of every kept run, newest first (default: the latest run's).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON document: each run with its count and every reject, raw text included.",
)
def rejects_command(index_dir: Path, all_runs: bool, as_json: bool) -> None:
    """List the records the latest indexing run could not read, as file:line: reason, under
    a line naming the run, when it started, how many it rejected and the file that holds
    them. Every run (index, rebuild, --delete-missing) keeps its rejects in rejects/ beside
    the index, committed or not: the latest run's, and those of the 20 runs before it that
    rejected something; rejects.jsonl links to the latest.

    Example: bahth rejects --all --index indexes/news
    """
    from search import read_rejects, render

    runs = read_rejects(index_dir, all_runs=all_runs)
    if as_json:
        for piece in render.rejects_json(str(index_dir), runs):
            click.echo(piece, nl=False)
        return
    if not runs:
        click.echo(f"No indexing run has recorded its rejects in {index_dir} yet.")
        return
    for number, run in enumerate(runs):
        if number:
            click.echo()
        for line in render.rejects_text(run):
            click.echo(line)
