"""The ``bahth`` command: a thin shell over the public API in ``search``."""

from __future__ import annotations

import json

import click

from search import analyze


def _dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bahth", prog_name="bahth")
def main() -> None:
    """Bahth (بحث): full-text search for Arabic news archives.

    Index a dump of articles, then search it with Arabic-aware matching
    (diacritics, hamza and ta-marbuta variants, clitics and suffixes are folded)
    and read highlighted snippets.
    """


@main.command("analyze")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of tokens.")
def analyze_command(text: str, as_json: bool) -> None:
    """Show how TEXT is analyzed: each token's surface form, offsets, normalized form and
    index term (stopwords have no term), like Elasticsearch's _analyze.

    Example: bahth analyze "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة"
    """
    tokens = analyze(text)
    if as_json:
        click.echo(_dump_json([t._asdict() for t in tokens]))
        return
    width = max((len(t.text) for t in tokens), default=0)
    click.echo(f"{'offsets':<11} {'surface':<{width}}  {'normalized':<{width}}  term")
    for t in tokens:
        term = t.term if t.term is not None else "(stopword)"
        click.echo(f"{t.start:>5}-{t.end:<5} {t.text:<{width}}  {t.norm:<{width}}  {term}")
