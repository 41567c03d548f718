"""Fields of a query that filter: ``source:``, ``category:``, ``since:`` and ``until:`` typed into
a query select the articles ``--source``, ``--category``, ``--since`` and ``--until`` select,
instead of scoring as words (a reader types them into the search box, and partial matches from
other papers came back). A date is written as the options take it (``search.periods``):
``since:2015-08``, ``until:1436-09h``, ``since:"1 أغسطس 2015"``.

Only a field at the top of the query, given once and not negated, is a filter. A ``source:`` or
``category:`` inside ``OR``, ``NOT`` or twice (``source:a source:b``), or as a prefix
(``source:al*``), stays a part of the query, as before; a date has no meaning there, and is a
``QueryError``.

>>> from search.query import parse
>>> lift_filters(parse("النفط source:alriyadh"))
(Word(text='النفط', field=None, prefix=False), {'source': 'alriyadh'})
>>> lift_filters(parse('category:"اخبار محلية" since:2015-08'))
(None, {'category': 'اخبار محلية', 'since': '2015-08'})
>>> lift_filters(parse("النفط OR source:alriyadh"))[1]
{}
>>> split_filters("النفط since:2015-08 source:alriyadh")
('النفط', {'since': '2015-08', 'source': 'alriyadh'})
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .engine.contract import keyword_key
from .errors import Named, QueryError
from .periods import as_date
from .query import DATE_FIELDS, KEYWORD_FIELDS, And, Node, Not, Phrase, Word, parse

__all__ = ["FILTER_FIELDS", "filters_of", "lift_filters", "split_filters", "written"]

FILTER_FIELDS = KEYWORD_FIELDS + DATE_FIELDS
Day = dt.date | None


def lift_filters(tree: Node) -> tuple[Node | None, dict[str, str]]:
    """``tree`` without its top-level filtering fields (None when nothing else is left), and
    their values by field, in the query's order; a ``QueryError`` for a date field anywhere
    else (inside ``OR``, ``NOT`` or parentheses, or twice)."""
    children = tree.children if isinstance(tree, And) else (tree,)
    by_field: dict[str, list[Word | Phrase]] = {}
    for child in children:
        keyword_prefix = isinstance(child, Word) and child.prefix and child.field in KEYWORD_FIELDS
        if isinstance(child, Word | Phrase) and child.field in FILTER_FIELDS and not keyword_prefix:
            by_field.setdefault(child.field, []).append(child)
    for name in DATE_FIELDS:
        if len(by_field.get(name, ())) > 1:
            raise QueryError(
                f"{name}: is given {len(by_field[name])} times in the query",
                f"Give one {name}: a month or a year is a period (since:2015-08 until:2015-09)",
                said=("date_field_twice", {"field": f"{name}:", "times": len(by_field[name])}),
            )
    lifted = {name: nodes[0] for name, nodes in by_field.items() if len(nodes) == 1}
    rest = tuple(c for c in children if all(c is not node for node in lifted.values()))
    for child in rest:
        if stray := _date_field(child):
            raise QueryError(
                f"{written(stray.field or '', _text(stray))} in the query is negated or inside OR "
                "or parentheses, where a date has no meaning",
                "A date filters the whole query: write it once, outside them, e.g. "
                "(روسيا OR أوكرانيا) since:2015-08",
                said=("date_field_nested", {"field": written(stray.field or "", _text(stray))}),
            )
    values = {name: _text(node) for name, node in lifted.items()}
    if not rest:
        return None, values
    return (rest[0] if len(rest) == 1 else And(rest)), values


def filters_of(
    typed: dict[str, str],
    dates: tuple[Day, Day],
    options: dict[str, str | dt.date | None],
    check_keyword: Callable[[str, str], None],
) -> tuple[Day, Day, str | None, str | None]:
    """The first and last day, source and category a search filters by: its options (their
    values in ``options``, the dates read as ``dates``) with the query's own fields
    (``typed``, from ``lift_filters``). A field and an option that disagree, a date that cannot
    be read or an empty range, and a source or category the index does not hold
    (``check_keyword(field, value)`` raises) are ``QueryError``s that name the field as
    typed."""
    given = dict(options)
    days = {"since": dates[0], "until": dates[1]}
    for name, value in typed.items():
        option = given[name]
        if name in DATE_FIELDS:
            day = _day(name, value)
            agree = days[name] is None or days[name] == day
            days[name] = day
        else:
            agree = option is None or keyword_key(str(option)) == keyword_key(value)
        if not agree:
            raise QueryError(
                f"{name} '{option}' conflicts with {written(name, value)} in the query",
                f"Give one {name}",
                option=name,
                value=option,
                said=("filter_conflict", {"value": option, "field": written(name, value)}),
            )
        given[name] = value
    first, last = days["since"], days["until"]
    if typed.keys() & set(DATE_FIELDS) and first and last and first > last:
        # An option's own empty range was refused by date_range, before the query was read.
        raise QueryError(
            f"since {first.isoformat()} is after until {last.isoformat()}",
            "Swap the two dates",
            value=given["since"],
            said=("dates_reversed", {"since": first.isoformat(), "until": last.isoformat()}),
        )
    source, category = given["source"], given["category"]
    for name, wanted in (("source", source), ("category", category)):
        if not isinstance(wanted, str):
            continue
        try:
            check_keyword(name, wanted)
        except QueryError as error:
            if name not in typed:
                raise
            # Said as it was typed: a field of the query, not an option.
            message = f"{written(name, wanted)} in the query is not a {name} of this index"
            values = {**(error.said[1] if error.said else {}), "field": written(name, wanted)}
            said = ("keyword_typed", {**values, "of": Named(name)})
            raise QueryError(message, error.fix, value=wanted, said=said) from None
    assert not isinstance(source, dt.date) and not isinstance(category, dt.date)
    return first, last, source, category


def split_filters(query: str) -> tuple[str, dict[str, str]]:
    """``query`` written without its filtering fields, and their values: the same search as
    the text with those values as options, for a page to show them as its filters. When they
    cannot be taken out so (the query does not parse, or has nothing but filters and excluded
    words, which a query without its fields cannot say), ``query`` as it is and no values."""
    try:
        rest, values = lift_filters(parse(query))
    except QueryError:
        return query, {}
    if rest is None or not values:
        return query, {}
    text, left = query, dict(values)
    for name in values:
        del left[name]
        for match in reversed(list(_WRITTEN[name].finditer(text))):
            cut = (text[: match.start()].rstrip() + " " + text[match.end() :].lstrip()).strip()
            try:
                if lift_filters(parse(cut)) == (rest, left):
                    text = cut
                    break
            except QueryError:
                continue
        else:
            return query, {}
    return text, values


def written(name: str, value: str) -> str:
    """A field as a query writes it: ``since:2015-08``, ``since:"رمضان 1436"``."""
    return f'{name}:"{value}"' if re.search(r"[\s()]", value) else f"{name}:{value}"


# A field as it may be written, for split_filters to try cutting out; what it cuts is checked.
_WRITTEN = {
    name: re.compile(rf'(?i)(?<![^\s(]){name}:(?:\s*"[^"]*"|[^\s()"]+)') for name in FILTER_FIELDS
}


def _text(node: Word | Phrase) -> str:
    """A field's value as typed (a date's ``*`` kept, to be refused as a date)."""
    return node.text + "*" if isinstance(node, Word) and node.prefix else node.text


def _date_field(node: Node) -> Word | Phrase | None:
    """The first date field within ``node``, if any."""
    if isinstance(node, Word | Phrase):
        return node if node.field in DATE_FIELDS else None
    for child in (node.child,) if isinstance(node, Not) else node.children:
        if found := _date_field(child):
            return found
    return None


def _day(name: str, value: str) -> dt.date | None:
    """The day a date field of the query stands for; an error worded as the field."""
    try:
        return as_date(value, "since" if name == "since" else "until")
    except QueryError as error:
        why = error.message.partition(" is not a date")[2]
        message = f"{written(name, value)} in the query is not a date{why}"
        values = {**(error.said[1] if error.said else {}), "field": written(name, value)}
        said = ("date_typed", values)
        raise QueryError(message, error.fix, value=value, said=said) from None
