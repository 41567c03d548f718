"""``bahth index``, ``bahth rebuild`` and ``bahth delete``: dumps into an index."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from search import BahthError
from search.cli.base import (
    MAX_PROBLEMS_SHOWN,
    index_option,
    main,
)
from search.cli.progress import Problems, ProgressView, run_engine

if TYPE_CHECKING:
    from search import IndexReport


# A whoosh run this long gets a note on tantivy, with the speed-up measured by
# `python -m benchmarks.speed` on all 72,716 shared articles (docs/benchmarks.md).
SLOW_RUN_SECONDS = 60
TANTIVY_INDEXING_SPEEDUP = "about 8 times"
# --max-record-mb: search.ingest's default limit (MAX_RECORD_BYTES, not imported here: the
# ingest package would be loaded by `bahth --help`); tests/ingest/test_limits.py checks both agree.
MIB = 1024 * 1024
MAX_RECORD_MB = 16


class EngineChoice(click.Choice):  # type: ignore[type-arg]
    """The engines' names (``search.engines``), looked up when first needed: listing the
    engines other packages install costs ``bahth --help`` 50 ms."""

    def __init__(self) -> None:  # not click's: its choices are fixed when made
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]  # the registry's
        from search import engines

        return engines.names()


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    """--field OURS=THEIRS pairs as a mapping; a usage error (exit 2) for a wrong pair."""
    from search import Indexer

    known = Indexer.FIELDS
    example = "e.g. --field title=headline reads the dump's 'headline' as our title"
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours or not theirs:
            raise click.BadParameter(
                f"{pair!r}: write it as OURS=THEIRS; {example}", param_hint="'--field'"
            )
        if ours not in known:
            # The commonest slip is the mapping written the other way round.
            hint = f"did you mean --field {theirs}={ours}?" if theirs in known else example
            raise click.BadParameter(
                f"{pair!r}: {ours!r} is not one of our fields ({', '.join(known)}). The "
                f"mapping is OURS=THEIRS, our field first, then the dump's name for it: {hint}",
                param_hint="'--field'",
            )
        if mapping.get(ours, theirs) != theirs:
            raise click.BadParameter(
                f"{ours!r} is mapped twice ({ours}={mapping[ours]} and {pair})",
                param_hint="'--field'",
            )
        mapping[ours] = theirs
    return mapping


def _call_indexer(
    method: Callable[..., IndexReport],
    paths: tuple[str, ...],
    problems: Problems,
    quiet: bool,
    options: dict[str, Any],
    engine: str | None = None,
) -> IndexReport:
    """Run ``method``, with its progress (``ProgressView``, for a run that commits with
    ``engine``) when stderr is a terminal."""
    if not sys.stderr.isatty() or quiet:
        return method(paths, on_problem=problems, **options)
    with ProgressView(engine) as view:
        problems.echo = view.echo
        return method(paths, on_problem=problems, on_progress=view.update, **options)


def _run_indexing(
    action: str, index_dir: Path, paths: tuple[str, ...], options: dict[str, Any], quiet: bool
) -> None:
    from search import Indexer

    indexer = Indexer(
        index_dir,
        engine=options.pop("engine"),
        workers=options.pop("workers"),
        wait=options.pop("wait"),
        shards=options.pop("shards"),
        cluster=options.pop("cluster"),
    )
    methods: dict[str, Callable[..., IndexReport]] = {
        "rebuilding": indexer.rebuild,
        "checking": indexer.check_files,
    }
    method = methods.get(action, indexer.add_files)
    problems = Problems()
    live = indexer.live_generation
    untouched = (
        f"Nothing was committed; the live index at {index_dir} ({live}) is untouched."
        if live
        else f"Nothing was committed; there is still no index at {index_dir}."
    )
    try:
        engine = run_engine(indexer, commits=action != "checking")
        report = _call_indexer(method, paths, problems, quiet, options, engine)
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
    if report.dry_run:
        _print_check(index_dir, report)
        return
    if report.rejected:
        click.echo(f"rejected records are in {report.rejects_file}", err=True)
    click.echo(f"{index_dir} ({report.generation}): {report.summary()}")
    if report.engine == "whoosh" and report.seconds >= SLOW_RUN_SECONDS:
        click.echo(
            f"note: this whoosh index took {report.seconds / 60:.1f} min; tantivy indexed "
            f"{TANTIVY_INDEXING_SPEEDUP} faster in Bahth's benchmark (docs/benchmarks.md). "
            f"To convert: bahth rebuild DUMP... --engine tantivy --index {index_dir}",
            err=True,
        )
    if not report.articles:
        rejected = f" ({report.rejected:,} rejected)" if report.rejected else ""
        raise click.ClickException(
            f"nothing could be read: no article in {', '.join(paths)}{rejected}"
        )


def _print_check(index_dir: Path, report: IndexReport) -> None:
    """What a dry run read: the first article as Bahth made it, the fields, the counts."""
    first = report.first
    if first is not None:
        date = first.date.isoformat() if first.date else "none"
        if first.date_text and first.date_text != date:
            date += f" (written {first.date_text!r})"
        body = " ".join(first.body.split())
        shown = body if len(body) <= 100 else body[:100] + "…"
        click.echo(f"first article, {first.origin}:")
        click.echo(f"  id: {first.id}")
        click.echo(f"  title: {first.title or '(none)'}")
        click.echo(f"  body: {len(first.body):,} characters: {shown or '(none)'}")
        click.echo(f"  date: {date}")
        for name in ("source", "category", "url"):
            click.echo(f"  {name}: {getattr(first, name) or '(none)'}")
        if first.keywords:
            click.echo(f"  keywords: {', '.join(first.keywords)}")
    click.echo(f"dry run, nothing written to {index_dir}: {report.summary()}")


def _indexing_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True)),
        index_option,
        click.option(
            "--format",
            "format_",
            type=click.Choice(["jsonl", "csv", "tsv", "sgml", "parquet", "pages"]),
            help="Read every file (and archive member) in this format (default: by "
            "extension or content).",
        ),
        click.option(
            "--field",
            "field_pairs",
            multiple=True,
            metavar="OURS=THEIRS",
            help="Read the dump's field THEIRS as our field OURS (id, title, body, date, "
            "source, category, url, keywords), e.g. --field body=matn (repeatable); without "
            "it, each field is found under the names dumps use (content, headline, "
            "date_extracted, ...: see the README's Dumps section).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Fail (exit 1, nothing committed) when the dumps look misread: a file whose "
            "articles mostly have no body or no readable date, or a --field no record has.",
        ),
        click.option(
            "--engine",
            type=EngineChoice(),
            default=None,
            help="Engine of a new index: whoosh (pure Python), tantivy (compiled, about "
            "10x faster), xapian (shards on several machines; pip install 'bahth[xapian]') "
            "or one that another package installs [default: the BAHTH_ENGINE variable, else "
            "whoosh]. An existing index keeps its engine; bahth rebuild --engine converts it.",
        ),
        click.option(
            "--shards",
            type=click.IntRange(1, 1024),
            metavar="N",
            default=None,
            help="xapian: build a new index as N shards inside the index directory, each "
            "article on the shard its id hashes to, written in parallel. An existing index "
            "keeps its shards; bahth rebuild --shards changes them.",
        ),
        click.option(
            "--cluster",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="xapian: a file listing the new index's shards, one a line: a directory, or "
            "tcp://HOST:PORT for a server (bahth shard serve ... --writable). See "
            "docs/scaling-out.md.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, 16),
            default=None,
            help="Worker processes (whoosh: that write the index's postings; tantivy: that "
            "analyze articles, and as many threads that index them) "
            "[default: one per core, up to 4, for dumps of 16 MB or more; else 1].",
        ),
        click.option("--wait", is_flag=True, help="Wait for another writer instead of failing."),
        click.option(
            "--max-record-mb",
            type=click.IntRange(1, 4096),
            default=MAX_RECORD_MB,
            show_default=True,
            help="The largest record read, in MiB: a line, a JSON array element, a CSV row, "
            "a <DOC>, a page, a Parquet row's text. A larger one is rejected and reading goes "
            "on after it.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress display."),
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
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read the dumps and report what indexing would do, with the first article as it "
    "would be indexed; write nothing.",
)
def index_command(
    paths: tuple[str, ...],
    index_dir: Path,
    format_: str | None,
    field_pairs: tuple[str, ...],
    strict: bool,
    engine: str | None,
    shards: int | None,
    cluster: Path | None,
    workers: int | None,
    wait: bool,
    max_record_mb: int,
    quiet: bool,
    delete_missing: bool,
    dry_run: bool,
) -> None:
    """Index dumps of articles (files, directories or zip archives): JSON Lines or a JSON
    array, CSV/TSV, TREC/SGML <DOC>s (Gigaword, ANT), Parquet, scraped pages; .gz/.bz2/.xz
    are read as they are. The dump's field names are recognised (content, headline,
    date_extracted, ...) and the ones used are named at the end; --field sets one.
    Articles already in the index are updated by id; unchanged ones are skipped. Bad records
    are reported as file:line, counted, and written to rejects.jsonl beside the index; a file
    that is no dump (binary, a PDF, a damaged zip) is rejected whole. An empty file, a file
    whose articles mostly have no body or no readable date, and a --field naming a field no
    record has are warned about (--strict: fail on them); when no article at all could be
    read, the exit code is 1.

    On a terminal, a bar shows the bytes read, articles, articles/s, MB/s and the time left
    to read; the commit (writing and merging segments) follows as a step of its own.

    Example: bahth index dataset/ --index indexes/news --dry-run
    """
    if dry_run and (strict or wait):
        raise click.UsageError("--dry-run writes nothing: it takes no --strict or --wait")
    options: dict[str, Any] = {
        "format": format_,
        "fields": _fields(field_pairs),
        "delete_missing": delete_missing,
        "engine": engine,
        "shards": shards,
        "cluster": cluster,
        "workers": workers,
        "wait": wait,
        "max_record_bytes": max_record_mb * MIB,
    }
    if not dry_run:
        options["strict"] = strict
    _run_indexing("checking" if dry_run else "indexing", index_dir, paths, options, quiet)


@main.command("rebuild")
@_indexing_options
def rebuild_command(
    paths: tuple[str, ...],
    index_dir: Path,
    format_: str | None,
    field_pairs: tuple[str, ...],
    strict: bool,
    engine: str | None,
    shards: int | None,
    cluster: Path | None,
    workers: int | None,
    wait: bool,
    max_record_mb: int,
    quiet: bool,
) -> None:
    """Build a complete new index from the dumps beside the live one, then switch searches
    to it atomically. If the rebuild fails, or the dumps hold no article at all, the live
    index is left as it was. Input is read, checked and shown as for bahth index.

    Example: bahth rebuild dumps/ --index indexes/news
    """
    options = {
        "format": format_,
        "fields": _fields(field_pairs),
        "strict": strict,
        "engine": engine,
        "shards": shards,
        "cluster": cluster,
        "workers": workers,
        "wait": wait,
        "max_record_bytes": max_record_mb * MIB,
    }
    _run_indexing("rebuilding", index_dir, paths, options, quiet)


@main.command("delete")
@click.argument("ids", nargs=-1, required=True)
@index_option
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
def delete_command(ids: tuple[str, ...], index_dir: Path, wait: bool) -> None:
    """Delete articles by id. Ids that are not in the index are named (on stderr).

    Example: bahth delete seed-003 seed-004
    """
    from search import Indexer

    missing: list[str] = []
    deleted = Indexer(index_dir, wait=wait).delete(ids, on_missing=missing.append)
    click.echo(f"{deleted:,} of {len(ids):,} articles deleted from {index_dir}")
    if missing:
        shown = ", ".join(missing[:MAX_PROBLEMS_SHOWN])
        more = f" and {len(missing) - MAX_PROBLEMS_SHOWN:,} more" if len(missing) > 20 else ""
        click.echo(f"not in the index: {shown}{more}", err=True)


@main.command("optimize")
@index_option
@click.option("--wait", is_flag=True, help="Wait for another writer instead of failing.")
def optimize_command(index_dir: Path, wait: bool) -> None:
    """Merge the index's segments into few, for faster searches: in one commit, crash-safe
    like an indexing run (killed, the index is as it was or merged, the same articles).
    An indexing run does not wait for merges that would rewrite much of the index, so that
    adding a few articles to a large archive stays quick: run this when the index is quiet
    (e.g. nightly). tantivy: the merges its policy asks for; whoosh: one segment; xapian
    has no segments to merge.

    Example: bahth optimize --index indexes/news
    """
    from search import Indexer

    done = Indexer(index_dir, wait=wait).optimize()
    if not done.before:
        click.echo(f"{index_dir}: nothing to merge ({done.engine} keeps no segments)")
        return
    if done.after == done.before:
        click.echo(f"{index_dir}: nothing to merge ({done.before:,} segments, {done.engine})")
        return
    click.echo(
        f"{index_dir}: {done.before:,} segments merged into {done.after:,} "
        f"({done.engine}, {done.seconds:.1f} s)"
    )
