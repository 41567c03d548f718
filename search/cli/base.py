"""The ``bahth`` command group and what its commands share: errors, --index, output options.

Exit codes: 0 done (also: no hits, records rejected and reported), 1 the job could not be done
(no index, locked, unreadable input), 2 the request was wrong (bad option or malformed query).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

# Only the errors and the table of a search's options are imported up front: the rest of the
# API (the indexer, the searcher and whoosh, the renderers) is imported inside the command that
# uses it, so that ``bahth --help`` and a search do not pay for what they never run.
from click.core import ParameterSource

from search import BahthError, QueryError, SearchOptions, StorageError

DEFAULT_INDEX = Path("indexes") / "default"
MAX_PROBLEMS_SHOWN = 20
# A search's options (search.options' table) as the command takes them, in the table's order.
SEARCH_OPTIONS = tuple(option for option in SearchOptions.table() if option.command)
FLAGS = {option.name: option.flag for option in SEARCH_OPTIONS}  # all_words: --all-words


class BahthGroup(click.Group):
    """Turns Bahth errors into click's: a QueryError is a usage error (exit 2), the rest 1.

    The disk's refusals (no space, read-only, permission denied) are the user's to fix, not
    bugs: the library says them as ``StorageError`` where it reads and writes an index, and
    one it did not foresee still ends in a message, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            # Said with the command's options: --all-words, not all_words.
            raise click.UsageError(f"{error.worded(FLAGS.get)}\n{error.fix}") from None
        except BahthError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            if error.errno not in StorageError.CODES:
                raise
            path = os.fsdecode(error.filename) if error.filename is not None else None
            raise click.ClickException(str(StorageError.of(error.errno, path))) from None


class QueryCommand(click.Command):
    """A command whose one argument, the query, is every word that is not one of its options.

    click would read ``-قطر`` as the short options ``-ق -ط -ر`` and fail, but in a query it
    excludes the word. So before click parses, the arguments are split: this command's own
    options (with their values) are passed on as they are, and the other words, joined with
    spaces, become the query, given after ``--`` so that click takes it as it is. ``--`` still
    makes everything after it part of the query, and the words may come quoted as one
    argument or as several. A word starting with ``--`` before it is an option, and one the
    command does not have is click's usage error (``--jsno``: did you mean ``--json``?).
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
            elif token.startswith("--"):
                # Not one of ours: a mistyped option (--jsno), for click to refuse with its
                # guess, rather than a query word. A query word that starts so comes after --.
                options.append(token)
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


def cluster_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """--timeout and --allow-partial, for an index whose shards other machines serve; the
    command gets ``open_searcher``: ``Searcher`` with them."""

    @functools.wraps(function)
    def wrapper(*args: Any, timeout: float | None, allow_partial: bool, **kwargs: Any) -> Any:
        from search import Searcher  # a search's start-up: only once the command runs

        opener = functools.partial(Searcher, timeout=timeout, allow_partial=allow_partial)
        return function(*args, open_searcher=opener, **kwargs)

    command = click.option(
        "--allow-partial",
        is_flag=True,
        help="When a shard of the index does not answer, show the other shards' results and "
        "name the missing shard, instead of failing (indexes whose shards are served by "
        "bahth shard serve).",
    )(wrapper)
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        metavar="SECONDS",
        help="How long to wait for each answer of a shard served by another machine [default: 10].",
    )(command)


def search_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a search, one per option of ``search.options``' table, in its order:
    the command gets them as one ``options: SearchOptions``, in which those not given keep
    their defaults (``match`` stays None, for ``--all-words`` to decide)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        values = {name: kwargs.pop(name) for name in FLAGS}
        given = {
            name: value
            for name, value in values.items()
            if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
        }
        return function(*args, options=SearchOptions(**given), **kwargs)

    command: Callable[..., Any] = wrapper
    # Applied last to first, as stacked decorators are: --help lists them in the table's order.
    for option in reversed(SEARCH_OPTIONS):
        names = [option.flag] if option.short is None else [option.short, option.flag]
        if option.kind == "flag":
            if option.default:  # on unless turned off: --autocorrect/--no-autocorrect
                names[-1] += f"/--no-{option.parameter}"
            command = click.option(
                *names, option.name, is_flag=True, default=option.default, help=option.help
            )(command)
            continue
        kind: click.ParamType = click.STRING
        if option.kind == "int":
            kind = click.IntRange(option.low, option.high)
        elif option.kind == "choice":
            kind = click.Choice(option.choices)
        command = click.option(
            *names,
            option.name,
            type=kind,
            default=option.default,
            show_default=option.default is not None,
            metavar=option.metavar,
            help=option.help,
        )(command)
    return command


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


def dump_json(value: object) -> str:
    from search import render

    return render.json_text(value)


def use_style() -> bool:
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
