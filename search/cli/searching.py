"""``bahth search``, ``show``, ``stats``, ``serve`` and ``analyze``: reading an index."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from search.cli.base import (
    QueryCommand,
    cluster_options,
    dump_json,
    index_option,
    main,
    output_options,
    search_options,
    use_style,
)

if TYPE_CHECKING:
    from search import Hit, Labels, Relaxed, Results, Searcher, SearchOptions, render


# --- search, show, stats -----------------------------------------------------------------------

HIJRI_HELP = (
    "Also show each date in the Hijri calendar (Umm al-Qura), e.g. 2015-08-06 (21 شوال 1436 هـ)."
)


@main.command("search", cls=QueryCommand)
@click.argument("query", metavar="QUERY...")
@index_option
@search_options
@cluster_options
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
@click.option("--hijri", is_flag=True, help=HIJRI_HELP)
@click.option(
    "--timeline",
    is_flag=True,
    help="Also show the matches a month (a year over more than 36 months), empty months "
    "included: text bars after the hits, or the series in --json (counted as --facets counts).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="On a terminal, do not page text longer than the screen through $PAGER "
    "(default: less, with LESS=FRX unless LESS is set).",
)
@click.option(
    "--lang",
    type=click.Choice(["ar", "en"]),
    default="ar",
    show_default=True,
    help="The language of an --html page, and of the sources' and categories' names "
    "(source_name, category_name) in --json; messages on the terminal stay English.",
)
@output_options
def search_command(
    query: str,
    index_dir: Path,
    options: SearchOptions,
    list_all: bool,
    bidi: bool,
    hijri: bool,
    timeline: bool,
    no_pager: bool,
    lang: str,
    open_searcher: Callable[[Path], Searcher],
    output: str,
) -> None:
    """Search the index. Words are all required (articles with most of them fill the page,
    marked partial); "quoted phrase" matches exact forms in order; OR, NOT or -word,
    parentheses; title:, body: fields; source:, category: filter as --source, --category do;
    word* for a prefix.
    The query may be one argument or several words, and may start with -word: a word that
    is not an option below is part of the query (and every word after --); a --word that is
    not one is a usage error.

    The result line (counts, time, words not in the index) comes first on stdout, with the
    results, then "Did you mean: …" when a word looks misspelled, or "Showing results for …;
    search instead for …" when the corrected query ran (--no-autocorrect: the query as typed
    runs); errors go to stderr. On a
    terminal, text is wrapped to its width and long output is paged; piped, it is neither.

    Example: bahth search '"وزير الخارجية" روسيا -قطر' --since 2025-01
    """
    ctx = click.get_current_context()

    def given(name: str) -> bool:
        return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE

    if list_all:
        for name, option in (("limit", "-n/--limit"), ("page", "--page")):
            if given(name):
                raise click.UsageError(f"--all lists every match: it takes no {option}")
        if given("sort") and options.sort != "date":
            raise click.UsageError("--all lists every match newest first: it takes no --sort")
        for name in ("collapse", "explain"):
            if getattr(options, name):
                raise click.UsageError(f"--all lists every match: it takes no --{name}")
    if bidi and given("bidi") and output != "text":
        # BAHTH_BIDI set in a shell's profile leaves --json, --html and --csv as they are.
        raise click.UsageError(f"--bidi reorders text for a terminal: not for --{output}")
    if timeline and output in ("csv", "html"):
        raise click.UsageError(f"--timeline is text bars or --json's series: not for --{output}")
    from search import render

    started = time.perf_counter()
    # The timeline is drawn from the facets' months: counted for it, shown only if asked.
    facets = options.facets or timeline
    with open_searcher(index_dir) as searcher:
        if not list_all:
            results = searcher.search(query, **{**options.arguments(), "facets": facets})
            line = None
            if timeline:
                results, line = render.timeline_of(
                    results, options.since, options.until, facets=options.facets
                )
            relaxed = _relaxed(searcher, results, options, output)
            view = _View(bidi, not no_pager, hijri, line, searcher.labels, lang, relaxed)
            _print_results(results, None, output, started, view)
            return
        # The counts first, and a malformed query refused before anything is written.
        results = searcher.search(
            query,
            limit=1,
            sort="date",
            facets=facets,
            autocorrect=options.autocorrect,
            **options.filters(),
        )
        line = None
        if timeline:
            results, line = render.timeline_of(
                results, options.since, options.until, facets=options.facets
            )
        every = searcher.scan(results.query, **options.filters())  # corrected, if it was
        relaxed = _relaxed(searcher, results, options, output)
        view = _View(bidi, not no_pager, hijri, line, searcher.labels, lang, relaxed)
        _print_results(results, every, output, started, view)


def _relaxed(
    searcher: Searcher, results: Results, options: SearchOptions, output: str
) -> list[Relaxed]:
    """For a search that found nothing, in text: what it finds without each filter."""
    from search import without_filters

    if results.total or output != "text":
        return []
    return without_filters(searcher, results.query, options)


@dataclasses.dataclass(frozen=True)
class _View:
    """How ``bahth search`` shows its results, besides the format."""

    bidi: bool  # --bidi
    page_it: bool  # not --no-pager
    hijri: bool  # each date with its Hijri date (--hijri)
    # The matches over time (--timeline): text bars after the hits and facets, or a key of
    # the JSON document.
    series: render.Timeline | None
    labels: Labels  # names of sources and categories: in --json and --html
    lang: str  # --lang: of an --html page, and of the names
    relaxed: list[Relaxed]  # no results: what the search finds without each filter


def _print_results(
    results: Results, every: Iterable[Hit] | None, output: str, started: float, view: _View
) -> None:
    """Write ``results`` in the chosen format, with ``every`` hit instead of its page for --all,
    as ``view`` says.

    Only when stdout is a terminal: text is wrapped to its width, bidi reordered when asked and
    coloured, and any format longer than the screen is paged (unless --no-pager), as git does.
    A reader that stops reading (``| head``, quitting the pager) ends the output quietly.
    """
    from search import render

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000

    bidi, hijri, series = view.bidi, view.hijri, view.series

    terminal = sys.stdout.isatty()
    size = shutil.get_terminal_size()
    styled = output == "text" and use_style()

    def write(text: str) -> None:
        click.echo(text, nl=False, color=styled)

    marker = (lambda w: click.style(w, bold=True, fg="yellow")) if styled else render.brackets
    dim = (lambda w: click.style(w, dim=True)) if styled else str
    pager = render.pager_command() if terminal and view.page_it else None
    hits = results.hits if every is None else every
    try:
        with render.Pager(write, pager, size.lines) as out:
            if output == "json":
                if every is None:
                    document = render.to_json(
                        results, hijri=hijri, timeline=series, labels=view.labels, lang=view.lang
                    )
                    out.write(document + "\n")
                else:
                    pieces = render.json_stream(
                        results,
                        every,
                        elapsed,
                        hijri=hijri,
                        timeline=series,
                        labels=view.labels,
                        lang=view.lang,
                    )
                    for piece in pieces:
                        out.write(piece)
                return
            if output in ("csv", "html"):
                pieces = (
                    render.to_csv(hits, hijri=hijri)
                    if output == "csv"
                    else render.html_page(
                        results,
                        every,
                        elapsed if every is not None else None,
                        hijri=hijri,
                        lang=view.lang,
                        label=functools.partial(view.labels.name, lang=view.lang),
                    )
                )
                for piece in pieces:
                    out.write(piece)
                return
            columns = size.columns if terminal else None
            bidi = bidi and terminal
            line = render.summary(results, listing_all=every is not None)
            out.write(render.text_line(line, columns=columns, bidi=bidi) + "\n")
            if offer := render.did_you_mean(results):
                out.write(render.text_line(offer, columns=columns, bidi=bidi) + "\n")
            if offer := render.variants_line(results):
                out.write(render.text_line(offer, columns=columns, bidi=bidi) + "\n")
            if offer := render.relaxed_line(view.relaxed):
                out.write(render.text_line(offer, columns=columns, bidi=bidi) + "\n")
            first = 1 if every is not None else (results.page - 1) * results.limit + 1
            for number, hit in enumerate(hits, first):
                text = render.hit_text(
                    hit, number, marker, dim, columns=columns, bidi=bidi, hijri=hijri
                )
                out.write("\n" + text + "\n")
            shown = results.facets or {}
            if series is not None:  # its bars, not the facets' own
                shown = {k: v for k, v in shown.items() if k not in ("month", "year")}
            facets = render.facets_text(shown) if shown else ""
            if facets:  # none when nothing matched
                out.write("\n" + facets + "\n")
            if series is not None:
                out.write("\n" + render.timeline_text(series, size.columns) + "\n")
    except BrokenPipeError:
        # The reader is gone: no traceback, and none when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@main.command("show")
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--hijri", is_flag=True, help=HIJRI_HELP)
def show_command(article_id: str, index_dir: Path, as_json: bool, hijri: bool) -> None:
    """Print one article, and the ids of its near-copies (other articles of its story).

    Example: bahth show seed-001
    """
    from search import Searcher, render

    with Searcher(index_dir) as searcher:
        article = searcher.get(article_id)
        copies = searcher.copies(article_id)
        labels = searcher.labels
    if article is None:
        raise click.ClickException(f"No article with id {article_id!r} in {index_dir}.")
    if as_json:
        document = render.article_dict(article, copies, hijri=hijri, labels=labels)
        click.echo(dump_json(document))
        return
    click.echo(render.article_text(article, copies, hijri=hijri))


@main.command("stats")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def stats_command(index_dir: Path, as_json: bool) -> None:
    """Article count, date range, sources, size on disk and how the index was built.

    Example: bahth stats --index indexes/news
    """
    from search import Searcher, render

    with Searcher(index_dir) as searcher:
        stats = searcher.stats()
    if as_json:
        click.echo(dump_json(render.stats_dict(stats)))
        return
    click.echo(render.stats_text(stats, str(index_dir)))


# --- serve -------------------------------------------------------------------------------------

# What bahth[serve] installs; a missing one is named with the extra to install.
SERVE_PACKAGES = ("starlette", "jinja2", "markupsafe", "uvicorn", "anyio", "h11")


@main.command("serve")
@index_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: 127.0.0.1 is this computer only; 0.0.0.0 is every network "
    "interface (anyone who can reach the machine can search; there is no login).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free."
)
@cluster_options
def serve_command(
    index_dir: Path, host: str, port: int, open_searcher: Callable[[Path], Searcher]
) -> None:
    """Serve a web page for searching the index, read-only: a search box with the query
    language's help, highlighted results with filters, facets, a timeline and pages, each
    article with the query's words marked and its copies, and a JSON API (/api/search?q=...
    gives bahth search --json's document; its parameters are bahth search's options). The
    page is in Arabic, or English with ?lang=en or a browser that prefers it. A new indexing
    run or rebuild is picked up within a second, and the old generation removed. Needs the
    serve extra: pip install 'bahth[serve]'.

    Example: bahth serve --index indexes/news
    """
    try:
        from search.web import serve
    except ModuleNotFoundError as error:
        package = (error.name or "").partition(".")[0]
        if package not in SERVE_PACKAGES:
            raise
        raise click.ClickException(
            f"bahth serve needs the web server packages ({package} is missing).\n"
            "Install them with: pip install 'bahth[serve]'"
        ) from None
    try:
        serve(
            index_dir,
            host,
            port,
            announce=lambda line: click.echo(line, err=True),
            open_searcher=open_searcher,
        )
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error}\n"
            "Pick another --port (or --host), or stop what is using it."
        ) from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


# --- analyze -----------------------------------------------------------------------------------


@main.command("analyze")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of tokens.")
def analyze_command(text: str, as_json: bool) -> None:
    """Show how TEXT is analyzed: each token's surface form, offsets, normalized form and
    index term (stopwords have no term), like Elasticsearch's _analyze.

    Example: bahth analyze "وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة"
    """
    from search import analyze

    tokens = analyze(text)
    if as_json:
        click.echo(dump_json([t._asdict() for t in tokens]))
        return
    width = max((len(t.text) for t in tokens), default=0)
    click.echo(f"{'offsets':<11} {'surface':<{width}}  {'normalized':<{width}}  term")
    for t in tokens:
        term = t.term if t.term is not None else "(stopword)"
        click.echo(f"{t.start:>5}-{t.end:<5} {t.text:<{width}}  {t.norm:<{width}}  {term}")
