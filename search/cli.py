"""The ``bahth`` command: a thin shell over the public API in ``search``.

Paths and environment variables are resolved here and nowhere else. Messages go to stderr,
results to stdout. Exit codes: 0 done (also: no hits, records rejected and reported), 1 the job
could not be done (no index, locked, unreadable input), 2 the request was wrong (bad option or
malformed query).
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

# Only the errors are imported up front: the rest of the API (the indexer, the searcher and
# whoosh, the renderers) is imported inside the command that uses it, so that ``bahth --help``
# and a search do not pay for what they never run.
from search import BahthError, QueryError

if TYPE_CHECKING:
    from search import Hit, IndexReport, Note, Progress, Reject, Results

DEFAULT_INDEX = Path("indexes") / "default"
MAX_PROBLEMS_SHOWN = 20
# A whoosh run this long gets a note on tantivy, with the speed-up measured by
# `python -m benchmarks.speed` on all 72,716 shared articles (docs/benchmarks.md).
SLOW_RUN_SECONDS = 60
TANTIVY_INDEXING_SPEEDUP = "about 8 times"


class BahthGroup(click.Group):
    """Turns Bahth errors into click's: a QueryError is a usage error (exit 2), the rest 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
        except BahthError as error:
            raise click.ClickException(str(error)) from None


class QueryCommand(click.Command):
    """A command whose one argument, the query, is every word that is not one of its options.

    click would read ``-قطر`` as the short options ``-ق -ط -ر`` and fail, but in a query it
    excludes the word. So before click parses, the arguments are split: this command's own
    options (with their values) are passed on as they are, and the other words, joined with
    spaces, become the query, given after ``--`` so that click takes it as it is. ``--`` still
    makes everything after it part of the query, and the words may come quoted as one
    argument or as several.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options, words, complete = self._split(ctx, args)
        # An option missing its value (``-n`` last) would take "--" as its value: leave the
        # query out so that click reports the missing value.
        tail = ["--", " ".join(words)] if words and complete else []
        return super().parse_args(ctx, options + tail)

    def _split(self, ctx: click.Context, args: list[str]) -> tuple[list[str], list[str], bool]:
        """(option arguments, query words, whether every option that needs a value has one)."""
        takes_value = {
            name: not (param.is_flag or param.count)
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        options: list[str] = []
        words: list[str] = []
        tokens = iter(args)
        for token in tokens:
            if token == "--":
                words.extend(tokens)
                break
            if token in takes_value:
                options.append(token)
                if takes_value[token]:
                    value = next(tokens, None)
                    if value is None:
                        return options, words, False
                    options.append(value)
            elif token.startswith("--") and takes_value.get(token.partition("=")[0]):
                options.append(token)  # --limit=5
            elif (
                not token.startswith("--")
                and takes_value.get(token[:2])
                and not token[2:3].isalpha()
            ):
                options.append(token)  # -n5; but -nato is a word, as no option takes letters
            else:
                words.append(token)
        return options, words, True


def index_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--index DIR, read from BAHTH_INDEX when not given; relative to the current directory."""
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BAHTH_INDEX",
        default=DEFAULT_INDEX,
        show_default=True,
        help="Index directory, relative to the current directory (or set BAHTH_INDEX).",
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
    from search import render

    return render.json_text(value)


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


class _Problems:
    """Prints bad records as file:line: reason (the first few; all go to the rejects file),
    and warnings (an empty file, a mapped field no record had), each on a line of its own."""

    def __init__(self) -> None:
        self.shown = 0
        self.hidden = 0
        # Replaced by the progress view's, which prints above its bar.
        self.echo: Callable[[str], None] = lambda text: click.echo(text, err=True)

    def __call__(self, record: Reject | Note) -> None:
        from search import Note, Reject

        if isinstance(record, Note) and record.kind == "skipped":
            self.echo(f"note: {record.file}: {record.message}")
            return
        if isinstance(record, Note) and record.kind == "field":
            self.echo(f"warning: {record.message}")  # once per mapping: always shown
            return
        if self.shown < MAX_PROBLEMS_SHOWN:
            if isinstance(record, Reject):
                self.echo(f"rejected: {record}")
            elif record.kind == "empty":
                self.echo(f"warning: {record.file}: {record.message}")
            else:
                self.echo(f"note: {record}")
            self.shown += 1
        else:
            self.hidden += 1


class _ProgressView:
    """An indexing run's progress on a terminal (stderr).

    While the dumps are read: click's bar over their bytes (compressed bytes for compressed
    files: the number of articles in a dump is not known until it has been read), with the
    articles read, articles/s, MB/s and the time left to read them. The rates are the last
    ``WINDOW`` seconds', measured up to now, so that they show a stall as it happens (and the
    clock keeps ticking through it). The ETA is the bytes left at the whole run's average
    speed: on a busy machine, where speed comes in bursts and stalls, a recent window made it
    jump (from 5 to 23 minutes within a minute, on SaudiNewsNet), while the average was off
    by a quarter on average and moved steadily. Then the commit (the analyzing processes'
    last articles, writing and merging segments) is a step of its own, with its duration.
    Messages are printed on lines of their own above the bar.
    """

    WINDOW = 30.0  # seconds
    BAR_WIDTH = 20
    CLUTTER = len("reading  [") + BAR_WIDTH + len("]  ") + 1  # click's bar_template, a margin

    def __init__(self) -> None:
        self.start = time.monotonic()
        # (time, bytes, records), oldest first; the rates are taken from the first to now
        self.samples: list[tuple[float, int, int]] = [(self.start, 0, 0)]
        from search import Progress

        self.progress = Progress("", 0, 0, 0, 0)
        self.phase = "reading"
        self.commit_start = 0.0
        self.commit_shown = ""
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.bar = click.progressbar(
            length=1,
            label="reading",
            file=sys.stderr,
            width=self.BAR_WIDTH,
            show_percent=False,
            show_eta=False,
            item_show_func=lambda _: self._info(),
        )

    def __enter__(self) -> _ProgressView:
        self.bar.__enter__()
        self.ticker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.ticker.join()
        with self.lock:
            if self.phase == "reading":  # interrupted or failed while reading
                self.bar.render_finish()
            elif self.phase == "committing":
                click.echo(err=True)

    def update(self, progress: Progress) -> None:
        """``on_progress`` for ``Indexer``: move the bar, or begin or end the commit step."""
        with self.lock:
            now = time.monotonic()
            if progress.phase == "reading" and self.phase == "reading":
                self.progress = progress
                self.samples.append((now, progress.bytes_done, progress.records))
                while len(self.samples) > 2 and self.samples[1][0] <= now - self.WINDOW:
                    del self.samples[0]
                self.bar.length = max(progress.bytes_total, 1)
                self.bar.pos = min(progress.bytes_done, self.bar.length)
                self.bar.render_progress()
            elif progress.phase == "committing" and self.phase == "reading":
                self.progress = progress
                self.bar.pos = self.bar.length
                self.bar.render_progress()
                self.bar.render_finish()
                took = now - self.start
                rate = progress.records / took if took else 0.0
                click.echo(
                    f"read {progress.records:,} articles ({_megabytes(progress.bytes_total)} MB) "
                    f"in {_duration(took)} ({rate:,.0f} articles/s)",
                    err=True,
                )
                self.phase, self.commit_start = "committing", now
                self._commit_line()
            elif progress.phase == "committed" and self.phase == "committing":
                self.phase = "committed"
                self._replace_line(f"committed in {_duration(now - self.commit_start)}")
                click.echo(err=True)

    def echo(self, text: str) -> None:
        """Print ``text`` on a line of its own above the bar (or the commit step)."""
        with self.lock:
            if self.phase == "reading":
                sys.stderr.write("\r" + " " * (self.bar.max_width or 0) + "\r")
                click.echo(text, err=True)
                self.bar._last_line = None  # click draws only a changed line: draw it again
                self.bar.render_progress()
            elif self.phase == "committing":
                self._replace_line("")
                click.echo(text, err=True)
                self.commit_shown = ""
                self._commit_line()
            else:
                click.echo(text, err=True)

    def _tick(self) -> None:
        while not self.stopped.wait(1.0):
            with self.lock:
                if self.phase == "reading":
                    self.bar.render_progress()
                elif self.phase == "committing":
                    self._commit_line()

    def _commit_line(self) -> None:
        took = time.monotonic() - self.commit_start
        self._replace_line(f"committing (writing and merging segments) {_clock(took)}")

    def _replace_line(self, text: str) -> None:
        pad = " " * max(0, len(self.commit_shown) - len(text))
        sys.stderr.write(f"\r{text}{pad}")
        sys.stderr.flush()
        self.commit_shown = text

    def _info(self) -> str:
        """The text after the bar: what fits of percent, articles, rates, ETA, MB, clock."""
        p, now = self.progress, time.monotonic()
        since, bytes_then, records_then = self.samples[0]
        span = now - since
        byte_rate = (p.bytes_done - bytes_then) / span if span > 0 else 0.0
        rate = (p.records - records_then) / span if span > 0 else 0.0
        left = max(p.bytes_total - p.bytes_done, 0)
        elapsed = now - self.start
        average = p.bytes_done / elapsed if elapsed > 0 else 0.0
        # No ETA from the first seconds: the queue of the analyzing processes is filling.
        eta = _eta(left / average) if average > 0 and elapsed >= 5 else "?"
        pct = 100 * p.bytes_done / p.bytes_total if p.bytes_total else 0.0
        parts = [  # (priority: 0 is kept longest, text)
            (0, f"{pct:3.0f}%"),
            (0, f"{p.records:,} articles"),
            (1, f"{rate:,.0f} articles/s"),
            (2, f"ETA {eta}"),
            (3, f"{_megabytes(p.bytes_done)}/{_megabytes(p.bytes_total)} MB"),
            (4, f"{byte_rate / 1e6:.2f} MB/s"),
            (5, _clock(elapsed)),
        ]
        room = shutil.get_terminal_size().columns - self.CLUTTER
        while len(parts) > 2 and len(", ".join(t for _, t in parts)) > room:
            parts.remove(max(parts, key=lambda part: part[0]))
        return ", ".join(t for _, t in parts)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f}"


def _clock(seconds: float) -> str:
    """m:ss, or h:mm:ss."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _duration(seconds: float) -> str:
    """4.2 s below a minute, else m:ss."""
    return f"{seconds:.1f} s" if seconds < 60 else _clock(seconds)


def _eta(seconds: float) -> str:
    """A time left, rounded to what such an estimate can say (5 s, 10 s, a minute)."""
    if seconds < 60:
        return f"{round(seconds / 5) * 5} s"
    if seconds < 600:
        minutes, secs = divmod(round(seconds / 10) * 10, 60)
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _call_indexer(
    method: Callable[..., IndexReport],
    paths: tuple[str, ...],
    problems: _Problems,
    quiet: bool,
    options: dict[str, Any],
) -> IndexReport:
    """Run ``method``, with its progress (``_ProgressView``) when stderr is a terminal."""
    if not sys.stderr.isatty() or quiet:
        return method(paths, on_problem=problems, **options)
    with _ProgressView() as view:
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
    )
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
            help="Read the dump's field THEIRS as our field OURS (id, title, body, date, "
            "source, category, url, keywords), e.g. --field title=headline (repeatable).",
        ),
        click.option(
            "--engine",
            type=click.Choice(["whoosh", "tantivy"]),
            default=None,
            help="Engine of a new index: whoosh (pure Python) or tantivy (compiled, about "
            "10x faster) [default: the BAHTH_ENGINE variable, else whoosh]. An existing index "
            "keeps its engine; bahth rebuild --engine converts it.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, 16),
            default=None,
            help="Processes that analyze articles (tantivy: and threads that index them) "
            "[default: one per core, up to 4, for dumps of 16 MB or more; else 1].",
        ),
        click.option("--wait", is_flag=True, help="Wait for another writer instead of failing."),
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
def index_command(
    paths: tuple[str, ...],
    index_dir: Path,
    format_: str | None,
    field_pairs: tuple[str, ...],
    engine: str | None,
    workers: int | None,
    wait: bool,
    quiet: bool,
    delete_missing: bool,
) -> None:
    """Index dumps of articles (files or directories): JSON Lines or a JSON array, CSV/TSV,
    scraped pages; .gz/.bz2/.xz are read as they are. Articles already in the index are
    updated by id; unchanged ones are skipped. Bad records are reported as file:line,
    counted, and written to rejects.jsonl beside the index; a file that is not text is
    rejected whole. An empty file, and a --field naming a field no record has, are warned
    about; when no article at all could be read, the exit code is 1.

    On a terminal, a bar shows the bytes read, articles, articles/s, MB/s and the time left
    to read; the commit (writing and merging segments) follows as a step of its own.

    Example: bahth index dumps/2025-11.jsonl.gz --index indexes/news
    """
    options = {
        "format": format_,
        "fields": _fields(field_pairs),
        "delete_missing": delete_missing,
        "engine": engine,
        "workers": workers,
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
    engine: str | None,
    workers: int | None,
    wait: bool,
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
        "engine": engine,
        "workers": workers,
        "wait": wait,
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


# --- search, show, stats -----------------------------------------------------------------------


@main.command("search", cls=QueryCommand)
@click.argument("query", metavar="QUERY...")
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
@click.option(
    "--since",
    metavar="DATE",
    help="Only articles dated on or after DATE: 2015-08-01, 1/8/2015 (day first), "
    "'1 أغسطس 2015'; a month (2015-08, 'أغسطس 2015') or year (2015) from its first day.",
)
@click.option(
    "--until",
    metavar="DATE",
    help="Only articles dated on or before DATE, in the same forms; a month or year "
    "through its last day (--until 2015-08: through 2015-08-31).",
)
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
    "--facets",
    is_flag=True,
    help="Count the matches by source, category and month (and year), within the filters: "
    "the articles with all the words (with --match any, or when none has them all, any).",
)
@click.option(
    "--collapse",
    is_flag=True,
    help="One hit per story: near-copies of an article (wire stories, republications) are "
    "listed under its best-ranked copy, and pages count stories.",
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
    facets: bool,
    collapse: bool,
    bidi: bool,
    no_pager: bool,
    output: str,
) -> None:
    """Search the index. Words are all required (articles with most of them fill the page,
    marked partial); "quoted phrase" matches exact forms in order; OR, NOT or -word,
    parentheses; title:, body:, source:, category: fields; word* for a prefix.
    The query may be one argument or several words, and may start with -word: a word that
    is not an option below is part of the query (and every word after --).

    The result line (counts, time, words not in the index) comes first on stdout, with the
    results, then "Did you mean: …" when a word looks misspelled; errors go to stderr. On a
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
        if given("sort") and sort != "date":
            raise click.UsageError("--all lists every match newest first: it takes no --sort")
        if collapse:
            raise click.UsageError("--all lists every match: it takes no --collapse")
    if bidi and given("bidi") and output != "text":
        # BAHTH_BIDI set in a shell's profile leaves --json, --html and --csv as they are.
        raise click.UsageError(f"--bidi reorders text for a terminal: not for --{output}")
    started = time.perf_counter()
    from search import Searcher, SearchOptions

    options = SearchOptions(
        limit=limit,
        page=page,
        since=since,
        until=until,
        source=source,
        category=category,
        sort=sort,  # type: ignore[arg-type]  # click.Choice checked it
        match=match if given("match") else None,  # type: ignore[arg-type]
        all_words=all_words,
        exact=exact,
        facets=facets,
        collapse=collapse,
    )
    with Searcher(index_dir) as searcher:
        if not list_all:
            results = searcher.search(query, **options.arguments())
            _print_results(results, None, output, started, bidi, not no_pager)
            return
        # The counts first, and a malformed query refused before anything is written.
        counts = {"facets": options.facets}
        results = searcher.search(query, limit=1, sort="date", **options.filters(), **counts)
        every = searcher.scan(query, **options.filters())
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

    Only when stdout is a terminal: text is wrapped to its width, bidi reordered when asked and
    coloured, and any format longer than the screen is paged (unless --no-pager), as git does.
    A reader that stops reading (``| head``, quitting the pager) ends the output quietly.
    """
    from search import render

    def elapsed() -> float:
        return (time.perf_counter() - started) * 1000

    terminal = sys.stdout.isatty()
    size = shutil.get_terminal_size()
    styled = output == "text" and _styled()

    def write(text: str) -> None:
        click.echo(text, nl=False, color=styled)

    marker = (lambda w: click.style(w, bold=True, fg="yellow")) if styled else render.brackets
    dim = (lambda w: click.style(w, dim=True)) if styled else str
    pager = render.pager_command() if terminal and page_it else None
    hits = results.hits if every is None else every
    try:
        with render.Pager(write, pager, size.lines) as out:
            if output == "json":
                if every is None:
                    out.write(render.to_json(results) + "\n")
                else:
                    for piece in render.json_stream(results, every, elapsed):
                        out.write(piece)
                return
            if output in ("csv", "html"):
                pieces = (
                    render.to_csv(hits)
                    if output == "csv"
                    else render.html_page(results, every, elapsed if every is not None else None)
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
            first = 1 if every is not None else (results.page - 1) * results.limit + 1
            for number, hit in enumerate(hits, first):
                text = render.hit_text(hit, number, marker, dim, columns=columns, bidi=bidi)
                out.write("\n" + text + "\n")
            facets = render.facets_text(results.facets) if results.facets else ""
            if facets:  # none when nothing matched
                out.write("\n" + facets + "\n")
    except BrokenPipeError:
        # The reader is gone: no traceback, and none when Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@main.command("show")
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def show_command(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Print one article, and the ids of its near-copies (other articles of its story).

    Example: bahth show seed-001
    """
    from search import Searcher, render

    with Searcher(index_dir) as searcher:
        article = searcher.get(article_id)
        copies = searcher.copies(article_id)
    if article is None:
        raise click.ClickException(f"No article with id {article_id!r} in {index_dir}.")
    if as_json:
        click.echo(_dump_json(render.article_dict(article, copies)))
        return
    click.echo(render.article_text(article, copies))


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
        click.echo(_dump_json(render.stats_dict(stats)))
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
def serve_command(index_dir: Path, host: str, port: int) -> None:
    """Serve a web page for searching the index, read-only: a search box with the query
    language's help, highlighted results with filters and pages, each article with the
    query's words marked, and a JSON API (/api/search?q=... gives bahth search --json's
    document; its parameters are bahth search's options). A new indexing run or rebuild is
    picked up within a second. Needs the serve extra: pip install 'bahth[serve]'.

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
        serve(index_dir, host, port, announce=lambda line: click.echo(line, err=True))
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
        click.echo(_dump_json([t._asdict() for t in tokens]))
        return
    width = max((len(t.text) for t in tokens), default=0)
    click.echo(f"{'offsets':<11} {'surface':<{width}}  {'normalized':<{width}}  term")
    for t in tokens:
        term = t.term if t.term is not None else "(stopword)"
        click.echo(f"{t.start:>5}-{t.end:<5} {t.text:<{width}}  {t.norm:<{width}}  {term}")
