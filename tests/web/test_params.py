"""URL parameters ↔ SearchOptions: named as the command's options, and a round trip."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from search import SearchOptions
from search.cli import main
from search.web import params

# What a form's text field gives: empty means not given, and spaces around are dropped.
text = st.text(min_size=1, max_size=20).filter(lambda t: t == t.strip())


@st.composite
def search_options(draw: st.DrawFn) -> SearchOptions:
    match = draw(st.sampled_from([None, "auto", "all", "any"]))
    return SearchOptions(
        limit=draw(st.integers(1, params.MAX_LIMIT)),
        page=draw(st.integers(1, params.MAX_DEPTH // params.MAX_LIMIT)),
        since=draw(st.none() | text),
        until=draw(st.none() | text),
        source=draw(st.none() | text),
        category=draw(st.none() | text),
        sort=draw(st.sampled_from(["relevance", "date"])),
        match=match,  # type: ignore[arg-type]
        all_words=draw(st.booleans()) if match in (None, "all") else False,
        exact=draw(st.booleans()),
    )


def test_the_parameters_are_the_search_commands_options() -> None:
    command = main.commands["search"]
    options = {name[2:] for p in command.params for name in p.opts if name.startswith("--")}
    # every option of a search, less the command's own: listing, output, terminal, index
    assert params.names() - {params.QUERY} == options - {
        "index",
        "all",
        "bidi",
        "hijri",  # shown, not searched: the pages' and API's hijri=1, beside params (app.py)
        "timeline",  # shown, not searched: the results page always draws it
        "lang",  # shown, not searched: the pages' lang=, beside params (app.py)
        "no-pager",
        "timeout",  # how the command reaches a cluster's shards: bahth serve's own options
        "allow-partial",
        "json",
        "html",
        "csv",
    }
    fields = {f.name for f in dataclasses.fields(SearchOptions)}
    assert {p.field for p in params.parameters()} == fields


@given(query=st.text(max_size=60), options=search_options())
def test_a_url_gives_back_the_query_and_options_it_was_made_of(
    query: str, options: SearchOptions
) -> None:
    encoded = params.encode(query, options)
    assert params.parse(dict(parse_qsl(encoded, keep_blank_values=True))) == (query, options)
