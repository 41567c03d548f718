"""The table of a search's options (``search.options.OPTIONS``) is the one declaration: the
command's options, the web's parameters and ``Searcher``'s checks come from it. Errors about
an option carry it (``QueryError.option``) and each front end names it its own way."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import click
import pytest
from click.testing import CliRunner

from search import QueryError, Searcher, SearchOptions
from search.cli import main
from search.options import OPTIONS, Option
from search.query import parse
from search.web import params

if TYPE_CHECKING:
    from starlette.testclient import TestClient

    from tests.web.conftest import Element

pytestmark = pytest.mark.usefixtures("engine")

PUTIN = "بوتين"  # in a dozen of the seeds
COMMAND = [option for option in OPTIONS if option.command]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def other_value(option: Option, searcher: Searcher) -> Any:
    """A value ``option`` takes that is not its default, and that the seeds can answer."""
    if option.kind == "int":
        return 2
    if option.kind == "flag":
        return not option.default
    if option.kind == "choice":
        return next(choice for choice in option.choices if choice != option.default)
    if option.kind == "date":
        return "2025"
    return getattr(searcher.search(PUTIN, limit=1).hits[0], option.name)


def test_every_option_of_the_command_is_in_its_help_in_the_urls_and_searched(
    seeds_searcher: Searcher,
) -> None:
    command = main.commands["search"]
    # bahth search --help, on a screen wide enough that no line is wrapped (at a hyphen)
    # The group's help options: click keeps the first help option it makes on the command, and
    # a context without them left `bahth search -h` to the tests after this one a query word.
    wide = click.Context(
        command,
        info_name="search",
        terminal_width=9999,
        max_content_width=9999,
        help_option_names=main.context_settings["help_option_names"],
    )
    help_text = command.get_help(wide)
    for option in COMMAND:
        [flag] = [p for p in command.params if p.name == option.name]
        assert option.flag in flag.opts and option.flag in help_text
        assert option.help in help_text, option.name
        assert option.parameter in params.names()
        value = other_value(option, seeds_searcher)
        # through the URL, as the web page reads it, to the search's keywords
        text = ("1" if value else "0") if option.kind == "flag" else str(value)
        _, options = params.parse({option.parameter: text})
        assert options == SearchOptions(**{option.name: value})
        assert seeds_searcher.search(PUTIN, **options.arguments()).total > 0, option.name


def test_searchers_keywords_are_the_tables_with_its_defaults() -> None:
    for method in ("search", "scan"):
        parameters = inspect.signature(getattr(Searcher, method)).parameters
        keywords = {name: p.default for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
        table = {o.name: o.default for o in OPTIONS if method in o.keywords}
        assert keywords == table, method
    # The command's defaults are the table's too (match's None in SearchOptions: not given).
    assert SearchOptions().arguments() == {
        o.name: o.default for o in OPTIONS if "search" in o.keywords
    }


@pytest.mark.parametrize(
    ("keywords", "option", "flag"),
    [
        ({"since": "2015-13"}, "since", "--since"),
        ({"until": "أمس"}, "until", "--until"),
        ({"since": "2025-03", "until": "2024"}, "since", "--since"),
        ({"source": "nowhere"}, "source", "--source"),
        ({"page": 5_000}, "page", "--page"),
    ],
)
def test_a_wrong_option_is_named_by_the_library_and_flagged_by_the_command(
    seeds_searcher: Searcher,
    seeds_index: Path,
    runner: CliRunner,
    keywords: dict[str, object],
    option: str,
    flag: str,
) -> None:
    with pytest.raises(QueryError) as raised:
        seeds_searcher.search(PUTIN, **keywords)  # type: ignore[arg-type]
    error = raised.value
    assert error.option == option and error.message.startswith(option)
    assert "--" not in error.message
    assert error.value == keywords[option]
    arguments = [f"--{name}={value}" for name, value in keywords.items()]
    result = runner.invoke(main, ["search", PUTIN, "--index", str(seeds_index), *arguments])
    assert result.exit_code == 2 and result.stdout == ""
    worded = error.worded(lambda name: "--" + name.replace("_", "-"))
    assert worded.startswith(flag)
    assert f"Error: {worded}\n{error.fix}\n" in result.stderr


def test_a_bad_date_says_since_to_the_api_and_the_web_and_since_flag_to_the_command(
    seeds_searcher: Searcher, seeds_index: Path, runner: CliRunner
) -> None:
    with pytest.raises(QueryError) as raised:
        seeds_searcher.search(PUTIN, since="2015-13")
    assert raised.value.message == "since: '2015-13' is not a date"
    assert (raised.value.option, raised.value.value) == ("since", "2015-13")
    result = runner.invoke(
        main, ["search", PUTIN, "--index", str(seeds_index), "--since", "2015-13"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --since: '2015-13' is not a date\nWrite a day")
    client, parse_html = _web(seeds_index)
    with client:
        document = client.get(f"/api/search?q={PUTIN}&since=2015-13").json()["error"]
        assert document["message"] == "since: '2015-13' is not a date"
        assert document["parameter"] == "since" and "position" not in document
        page = parse_html(client.get(f"/search?q={PUTIN}&since=2015-13&lang=en").text)
    assert "since: '2015-13' is not a date" in page.find("div", "message").text
    [marked] = [i for i in page.find_all("input") if i.attrs.get("aria-invalid") == "true"]
    assert marked.attrs["name"] == "since" and marked.attrs["aria-describedby"] == "error"


def test_the_web_names_an_option_as_its_url_does(seeds_index: Path, runner: CliRunner) -> None:
    client, parse_html = _web(seeds_index)
    url = f"q={PUTIN}&all-words=1&match=any"
    with client:
        document = client.get(f"/api/search?{url}").json()["error"]
        page = parse_html(client.get(f"/search?{url}&lang=en").text)
    expected = "all-words conflicts with 'any' matching: it means every word must match"
    assert (document["message"], document["parameter"]) == (expected, "all-words")
    assert expected in page.find("div", "message").text
    result = runner.invoke(
        main, ["search", PUTIN, "--index", str(seeds_index), "--all-words", "--match", "any"]
    )
    assert "Error: --all-words conflicts with 'any' matching" in result.stderr


@pytest.mark.parametrize(
    "query", [f"{PUTIN} (روسيا", f'{PUTIN} "وزير الخارجية', f"{PUTIN} OR", "x nofield:y"]
)
def test_the_web_page_marks_a_query_error_where_its_position_says(
    seeds_index: Path, query: str
) -> None:
    with pytest.raises(QueryError) as raised:
        parse(query)
    position = raised.value.position
    assert position is not None and raised.value.option is None
    client, parse_html = _web(seeds_index)
    with client:
        page = parse_html(client.get(f"/search?q={quote(query)}").text)
        document = client.get(f"/api/search?q={quote(query)}").json()["error"]
    mark = page.find("mark", "here").text
    assert query[position - 1 :].startswith(mark) and mark.strip()
    assert document["position"] == position and "parameter" not in document


def test_the_web_page_marks_the_position_field_not_the_message() -> None:
    from search.web.app import error_at

    # No position in the words: the field alone says where.
    error = QueryError("this group is never closed", position=7)
    assert error_at(f"{PUTIN} (روسيا", error) == (f"{PUTIN} ", "(", "روسيا")
    assert error_at(PUTIN, QueryError("the quote at position 3 is never closed")) is None


def test_a_message_about_an_option_starts_with_its_name() -> None:
    with pytest.raises(ValueError, match="starts with its name"):
        QueryError("the date is wrong", option="since")


def _web(index: Path) -> tuple[TestClient, Callable[[str], Element]]:
    """A test client of ``bahth serve``'s app over ``index``, and the pages' parser."""
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from search.web import create_app
    from tests.web.conftest import parse_html

    return TestClient(create_app(index)), parse_html
