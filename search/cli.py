"""The ``bahth`` command: a thin shell over the public API in ``search``.

Paths and environment variables are resolved here and nowhere else. Messages go to stderr,
results to stdout. Exit codes: 0 done (also: no hits, records rejected and reported), 1 the job
could not be done (no index, locked, unreadable input), 2 the request was wrong (bad option or
malformed query).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from search import (
    BahthError,
    Hit,
    Indexer,
    IndexReport,
    Note,
    Progress,
    QueryError,
    Reject,
    Results,
    Searcher,
    analyze,
    render,
)

DEFAULT_INDEX = Path("indexes") / "default"
MAX_PROBLEMS_SHOWN = 20


class BahthGroup(click.Group):
    """Turns Bahth errors into click's: a QueryError is a usage error (exit 2), the rest 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
        except BahthError as error:
            raise click.ClickException(str(error)) from None


def index_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BAHTH_INDEX",
        default=DEFAULT_INDEX,
        show_default=True,
        help="Index directory (or set BAHTH_INDEX).",
    )(function)


def output_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--json, --html and --csv, shared by every command that prints results; one at most."""

    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    @click.option("--html", "as_html", is_flag=True, help="Print a complete HTML page.")
    @click.option(
        "--csv",
        "as_csv",
        is_flag=True,
        help="Print CSV: id, date, source, title, url, score, partial (a header row first).",
    )
    @functools.wraps(function)
    def wrapper(*args: Any, as_json: bool, as_html: bool, as_csv: bool, **kwargs: Any) -> Any:
        chosen = [
            name for name, on in (("json", as_json), ("html", as_html), ("csv", as_csv)) if on
        ]
        if len(chosen) > 1:
            raise click.UsageError(
                " and ".join(f"--{name}" for name in chosen) + " cannot be used together"
            )
        return function(*args, output=chosen[0] if chosen else "text", **kwargs)

    return wrapper


def _dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _styled() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.group(cls=BahthGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bahth", prog_name="bahth")
def main() -> None:
    """Bahth (بحث): full-text search for Arabic news archives.

    Index a dump of articles, then search it with Arabic-aware matching
    (diacritics, hamza and ta-marbuta variants, clitics and suffixes are folded)
    and read highlighted snippets.

    Example: bahth index seeds && bahth search "بوتين"
    """


# --- index, rebuild, delete --------------------------------------------------------------------


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours or not theirs:
            raise click.BadParameter(f"{pair!r}: write it as OURS=THEIRS, e.g. title=headline")
        mapping[ours] = theirs
    return mapping


class _Problems:
    """Prints bad records as file:line: reason (the first few; all go to the rejects file)."""

    def __init__(self) -> None:
        self.shown = 0
        self.hidden = 0

    def __call__(self, record: Reject | Note) -> None:
        if isinstance(record, Note) and record.kind == "skipped":
            click.echo(f"note: {record.file}: {record.message}", err=True)
            return
        if self.shown < MAX_PROBLEMS_SHOWN:
            click.echo(
                f"{'rejected' if isinstance(record, Reject) else 'note'}: {record}", err=True
            )
            self.shown += 1
        else:
            self.hidden += 1


def _call_indexer(
    method: Callable[..., IndexReport],
    paths: tuple[str, ...],
    problems: _Problems,
    quiet: bool,
    options: dict[str, Any],
) -> IndexReport:
    """Run ``method`` with a progress bar on a terminal."""
    if not sys.stderr.isatty() or quiet:
        return method(paths, on_problem=problems, **options)
    with click.progressbar(length=1, label="indexing", file=sys.stderr) as bar:

        def progress(p: Progress) -> None:
            bar.length = max(p.bytes_total, 1)
            bar.update(p.bytes_done - bar.pos)

        return method(paths, on_problem=problems, on_progress=progress, **options)


def _run_indexing(
    action: str, index_dir: Path, paths: tuple[str, ...], options: dict[str, Any], quiet: bool
) -> None:
    indexer = Indexer(index_dir, procs=options.pop("procs"), wait=options.pop("wait"))
    method = indexer.rebuild if action == "rebuilding" else indexer.add_files
    problems = _Problems()
    live = indexer.live_generation
    untouched = (
        f"Nothing was committed; the live index at {index_dir} ({live}) is untouched."
        if live
        else f"Nothing was committed; there is still no index at {index_dir}."
    )
    try:
        report = _call_indexer(method, paths, problems, quiet, options)
    except KeyboardInterrupt:
        click.echo(f"Interrupted. {untouched}", err=True)
        raise click.Abort() from None
    except BahthError as error:
        raise click.ClickException(f"{error}\n{untouched}") from None
    if report.stale_lock:
        click.echo(
            f"note: a previous writer (PID {report.stale_lock}) died; its lock was released",
            err=True,
        )
    if problems.hidden:
        click.echo(f"... and {problems.hidden:,} more problems", err=True)
    if report.rejected:
        click.echo(f"rejected records are in {report.rejects_file}", err=True)
    click.echo(f"{index_dir} ({report.generation}): {report.summary()}")


def _indexing_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True)),
        index_option,
        click.option(
            "--format",
            "format_",
            type=click.Choice(["jsonl", "csv", "tsv", "pages"]),
            help="Read every file in this format (default: by extension or content).",
        ),
        click.option(
            "--field",
            "field_pairs",
            multiple=True,
            metavar="OURS=THEIRS",
            help="Map a field name of the dump, e.g. --field title=headline (repeatable).",
        ),
        click.option(
            "--procs",
            type=click.IntRange(1, 16),
            default=None,
            help="Processes that analyze articles [default: one per core, up to 4, for dumps "
            "of 16 MB or more; else 1].",
        ),
        click.option("--wait", is_flag=True, help="Wait for another writer instead of failing."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command("index")
@_indexing_options
@click.option(
    "--delete-missing",
    is_flag=True,
    help="The dumps are a full snapshot: delete articles that are not in them.",
)
def index_command(
    paths: tuple[str, ...],
    index_dir: Path,
    format_: str | None,
    field_pairs: tuple[str, ...],
    procs: int | None,
    wait: bool,
    quiet: bool,
    delete_missing: bool,
) -> None:
    """Index dumps of articles (files or directories): JSONL, CSV/TSV, scraped pages;
    .gz/.bz2/.xz are read as they are. Articles already in the index are updated by id;
    unchanged ones are skipped. Bad records are reported as file:line, counted, and written
    to rejects.jsonl beside the index.

    Example: bahth index dumps/2025-11.jsonl.gz --index indexes/news
    """
    options = {
        "format": format_,
        "fields": _fields(field_pairs),
        "delete_missing": delete_missing,
        "procs": procs,
        "wait": wait,
    }
    _run_indexing("indexing", index_dir, paths, options, quiet)


@main.command("rebuild")
@_indexing_options
def rebuild_command(
    paths: tuple[str, ...],
    index_dir: Path,
    format_: str | None,
    field_pairs: tuple[str, ...],
    procs: int | None,
    wait: bool,
    quiet: bool,
) -> None:
    """Build a complete new index from the dumps beside the live one, then switch searches
    to it atomically. If the rebuild fails, the live index is left as it was.

    Example: bahth rebuild dumps/ --index indexes/news
    """
    options = {"format": format_, "fields": _fields(field_pairs), "procs": procs, "wait": wait}
    _run_indexing("rebuilding", index_dir, paths, options, quiet)


@main.command("delete")
@click.argument("ids", nargs=-1, required=True)
@index_option
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
def delete_command(ids: tuple[str, ...], index_dir: Path, wait: bool) -> None:
    """Delete articles by id.

    Example: bahth delete seed-003 seed-004
    """
    deleted = Indexer(index_dir, wait=wait).delete(ids)
    click.echo(f"{deleted:,} of {len(ids):,} articles deleted from {index_dir}")


# --- search, show, stats -----------------------------------------------------------------------


@main.command("search")
@click.argument("query")
@index_option
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Hits per page.",
)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--since", metavar="YYYY-MM-DD", help="Only articles dated on or after.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only articles dated on or before.")
@click.option("--source", help="Only articles from this source (see bahth stats).")
@click.option("--category", help="Only articles in this category (see bahth stats).")
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
@click.option(
    "--match",
    type=click.Choice(["auto", "all", "any"]),
    default="auto",
    show_default=True,
    help="auto: all words, then fill with articles matching most of them; "
    "all: only articles with every word; any: any word, ranked.",
)
@click.option("--all-words", is_flag=True, help="Same as --match all.")
@click.option(
    "--exact",
    is_flag=True,
    help="Match words in their exact (normalized) forms only: no clitics or suffixes.",
)
@click.option(
    "--all",
    "list_all",
    is_flag=True,
    help="List every match, newest first, each as it is found: no page and no 1,000 limit "
    "(with --csv or --json, for other tools).",
)
@click.option(
    "--bidi",
    is_flag=True,
    envvar="BAHTH_BIDI",
    help="On a terminal, put Arabic mixed with Latin and digits in display order, for "
    "terminals (and tmux) that do no bidi; text output only (or set BAHTH_BIDI=1).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="On a terminal, do not page text longer than the screen through $PAGER "
    "(default: less, with LESS=FRX unless LESS is set).",
)
@output_options
def search_command(
    query: str,
    index_dir: Path,
    limit: int,
    page: int,
    since: str | None,
    until: str | None,
    source: str | None,
    category: str | None,
    sort: str,
    match: str,
    all_words: bool,
    exact: bool,
    list_all: bool,
    bidi: bool,
    no_pager: bool,
    output: str,
) -> None:
    """Search the index. Words are all required (articles with most of them fill the page,
    marked partial); "quoted phrase" matches exact forms in order; OR, NOT or -word,
    parentheses; title:, body:, source:, category: fields; word* for a prefix.

    The result line (counts, time, words not in the index) comes first on stdout, with the
    results; errors go to stderr. On a terminal, text is wrapped to its width and long
    output is paged; piped, it is neither.

    Example: bahth search '"وزير الخارجية" روسيا -قطر' --since 2025-01-01
    """
    ctx = click.get_current_context()

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE

    if all_words and given("match") and match != "all":
        raise click.UsageError(f"--all-words means --match all: it conflicts with --match {match}")
    if list_all:
        for name, option in (("limit", "-n/--limit"), ("page", "--page")):
            if given(name):
                raise click.UsageError(f"--all lists every match: it takes no {option}")
        if given("sort") and sort != "date":
            raise click.UsageError("--all lists every match newest first: it takes no --sort")
    if bidi and given("bidi") and output != "text":
        # BAHTH_BIDI set in a shell's profile leaves --json, --html and --csv as they are.
        raise click.UsageError(f"--bidi reorders text for a terminal: not for --{output}")
    started = time.perf_counter()
    options: dict[str, Any] = {
        "since": since,
        "until": until,
        "source": source,
        "category": category,
        "match": "all" if all_words else match,
        "stemming": not exact,
    }
    with Searcher(index_dir) as searcher:
        if not list_all:
            results = searcher.search(query, limit=limit, page=page, sort=sort, **options)
            _print_results(results, None, output, started, bidi, not no_pager)
            return
        # The counts first, and a malformed query refused before anything is written.
        results = searcher.search(query, limit=1, sort="date", **options)
        every = searcher.scan(query, **options)
        _print_results(results, every, output, started, bidi, not no_pager)


def _print_results(
    results: Results,
    every: Iterable[Hit] | None,
    output: str,
    started: float,
    bidi: bool,
    page_it: bool,
) -> None:
    """Write ``results`` in the chosen format, with ``every`` hit instead of its page for --all.

    Text is laid out for the terminal only when stdout is one: wrapped to its width, bidi
    reordered when asked, coloured, paged when longer than the screen (unless --no-pager).
    A reader that stops reading (``| head``, quitting the pager) ends the output quietly.
    """

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000

    try:
        if output == "json":
            if every is None:
                click.echo(render.to_json(results))
            else:
                for piece in render.json_stream(results, every, elapsed):
                    click.echo(piece, nl=False)
            return
        if output in ("csv", "html"):
            pieces = (
                render.to_csv(results.hits if every is None else every)
                if output == "csv"
                else render.html_page(results, every, elapsed if every is not None else None)
            )
            for piece in pieces:
                click.echo(piece, nl=False)
            return
        terminal = sys.stdout.isatty()
        size = shutil.get_terminal_size()
        columns = size.columns if terminal else None
        bidi = bidi and terminal
        styled = _styled()
        marker = (lambda w: click.style(w, bold=True, fg="yellow")) if styled else render.brackets
        dim = (lambda w: click.style(w, dim=True)) if styled else str
        pager = render.pager_command() if terminal and page_it else None

        def write(text: str) -> None:
            click.echo(text, nl=False, color=styled)

        with render.Pager(write, pager, size.lines) as out:
            line = render.summary(results, listing_all=every is not None)
            out.write(render.text_line(line, columns=columns, bidi=bidi) + "\n")
            first = 1 if every is not None else (results.page - 1) * results.limit + 1
            for number, hit in enumerate(results.hits if every is None else every, first):
                text = render.hit_text(hit, number, marker, dim, columns=columns, bidi=bidi)
                out.write("\n" + text + "\n")
    except BrokenPipeError:
        # The reader is gone: no traceback, and none when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@main.command("show")
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def show_command(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Print one article.

    Example: bahth show seed-001
    """
    with Searcher(index_dir) as searcher:
        article = searcher.get(article_id)
    if article is None:
        raise click.ClickException(f"No article with id {article_id!r} in {index_dir}.")
    if as_json:
        click.echo(_dump_json(render.article_dict(article)))
        return
    click.echo(render.article_text(article))


@main.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def stats_command(index_dir: Path, as_json: bool) -> None:
    """Article count, date range, sources, size on disk and how the index was built.

    Example: bahth stats --index indexes/news
    """
    with Searcher(index_dir) as searcher:
        stats = searcher.stats()
    if as_json:
        click.echo(_dump_json(render.stats_dict(stats)))
        return
    click.echo(render.stats_text(stats, str(index_dir)))


# --- analyze -----------------------------------------------------------------------------------


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
