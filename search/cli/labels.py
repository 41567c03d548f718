"""``bahth labels``: the names sources and categories are shown by (list, set, unset, import)."""

from __future__ import annotations

from pathlib import Path

import click

from search.cli.base import MAX_PROBLEMS_SHOWN, dump_json, index_option, main

FIELDS = ("source", "category")  # search.labels.FIELDS, not imported by bahth --help
LANGS = ("ar", "en")


@main.group("labels")
def labels_group() -> None:
    """Show sources and categories by their names: aljazirah as الجزيرة, internationalNews as
    أخبار دولية. Bahth ships the names of the outlets and sections of the shared corpora
    (SaudiNewsNet, ANT); an index's own names (set here, kept beside it across rebuilds) go
    before them. The key stays what --source, --category and source: in a query filter by.

    Example: bahth labels set source mypaper "صحيفتي" --index indexes/news
    """


def _index_keys(index_dir: Path) -> dict[str, list[str]]:
    """The index's source and category keys (``IndexNotFound`` when there is no index)."""
    from search import Searcher

    with Searcher(index_dir) as searcher:
        stats = searcher.stats()
    return {
        "source": [key for key, _ in stats.sources],
        "category": [key for key, _ in stats.categories],
    }


@labels_group.command("list")
@index_option
@click.option("--field", type=click.Choice(FIELDS), help="List this field's keys only.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also list the shipped names of keys the index does not hold.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def list_command(index_dir: Path, field: str | None, everything: bool, as_json: bool) -> None:
    """List the index's sources and categories with the names they are shown by, in Arabic
    and English, and where each name comes from: index (set for this index), shipped (Bahth's
    table) or none (the key is shown). Names the index keeps for keys it does not hold (yet)
    are listed too, marked so.

    Example: bahth labels list --field source --index indexes/news
    """
    from search import Labels, render

    held = _index_keys(index_dir)
    rows = Labels.of(index_dir).labels(held, field, shipped=everything)
    if as_json:
        document = {
            "index": str(index_dir),
            "labels": [
                {
                    "field": row.field,
                    "key": row.key,
                    **row.names,
                    "from": row.origin,
                    "in_index": row.in_index,
                }
                for row in rows
            ],
        }
        click.echo(dump_json(document))
        return
    if not rows:
        click.echo(f"The index at {index_dir} has no {field or 'source or category'}.")
        return
    table = [
        [render.neutral(cell) for cell in (row.field, row.key, row.names["ar"], row.names["en"])]
        + [(row.origin or "none") + ("" if row.in_index else " (not in the index)")]
        for row in rows
    ]
    # Aligned by characters: a name's Arabic letters take a column each, as Latin ones do.
    widths = [max(len(cells[i]) for cells in table) for i in range(4)]
    for cells in table:
        click.echo(
            "  ".join([cell.ljust(widths[i]) for i, cell in enumerate(cells[:4])] + cells[4:])
        )


@labels_group.command("set")
@click.argument("field", type=click.Choice(FIELDS))
@click.argument("key")
@click.argument("name")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="ar",
    show_default=True,
    help="The language of NAME.",
)
@index_option
def set_command(field: str, key: str, name: str, lang: str, index_dir: Path) -> None:
    """Show KEY of FIELD (source or category) as NAME for this index, before the shipped
    name; KEY stays the filter value (--source KEY). The name is kept beside the index, and
    a rebuild keeps it.

    Example: bahth labels set source aljazirah "الجزيرة" --index indexes/news
    """
    from search import BahthError, Labels

    before = Labels.of(index_dir).label(field, key)
    Labels.set(index_dir, field, key, name, lang)
    try:
        held = _index_keys(index_dir)[field]
    except BahthError:
        held = None  # an index this Bahth cannot open still takes names
    if held is not None and not any(Labels.same_key(key, k) for k in held):
        shown = ", ".join(held[:10]) + (", ..." if len(held) > 10 else "")
        click.echo(
            f"note: the index has no {field} {key!r} (yet); the name shows once it does. "
            f"Its {field} keys: {shown or 'none'}",
            err=True,
        )
    was = f"was {before.names[lang]}" + (f" ({before.origin})" if before.origin else "")
    click.echo(f"{field} {key}: {name.strip()} ({lang}); {was}")


@labels_group.command("unset")
@click.argument("field", type=click.Choice(FIELDS))
@click.argument("key")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    help="Forget only the name in this language (default: in both).",
)
@index_option
def unset_command(field: str, key: str, lang: str | None, index_dir: Path) -> None:
    """Forget the index's own name of KEY of FIELD: the shipped name, or else the key, is
    shown again.

    Example: bahth labels unset source aljazirah --index indexes/news
    """
    from search import Labels

    if not Labels.unset(index_dir, field, key, lang):
        in_lang = f" in {lang}" if lang else ""
        raise click.ClickException(
            f"the index has no name of its own{in_lang} for {field} {key!r}; nothing to "
            f"forget.\nSee its names with: bahth labels list --index {index_dir}"
        )
    now = Labels.of(index_dir).label(field, key)
    where = now.origin or "the key"
    click.echo(f"{field} {key}: {now.names[lang or 'ar']} ({where})")


@labels_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@index_option
def import_command(file: Path, index_dir: Path) -> None:
    """Set the names a labels file gives, for this index. TSV: one name a line, as
    field<TAB>key<TAB>Arabic name[<TAB>English name] (the format of Bahth's own table,
    search/data/labels.tsv; # starts a comment). JSON: {"source": {"KEY": "NAME", ...},
    "category": {...}}, a name being a string (Arabic) or {"ar": ..., "en": ...}; or JSON
    Lines of {"field", "key", "ar", "en"}. Wrong lines are left out, each named as file:line.

    Example: bahth labels import names.tsv --index indexes/news
    """
    from search import Labels

    report = Labels.import_file(index_dir, file)
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(problem, err=True)
    hidden = len(report.problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        click.echo(f"... and {hidden:,} more problems", err=True)
    left_out = f"; {len(report.problems):,} left out" if report.problems else ""
    if not report.keys:
        raise click.ClickException(f"no name could be read from {file}{left_out}")
    click.echo(f"{file}: {report.names:,} names of {report.keys:,} keys set{left_out}")
