"""An error on a page speaks the page's language: in Arabic its message and fix are the Arabic
texts of ``search.error_texts.ERRORS`` (the user's text, paths and commands kept as written, each
isolated), in English exactly the library's message, as the API and the command say it."""

from __future__ import annotations

import dataclasses
import errno
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from search import Searcher, layout
from search.error_texts import ERRORS, option_label
from search.errors import BahthError, QueryError, ShardUnavailable, StorageError
from search.filters import lift_filters
from search.options import OPTIONS, check_value, page_error
from search.periods import as_date, date_range
from search.query import parse
from search.web import create_app, params
from tests.web.conftest import OIL, Element, build_oil_index, parse_html

pytestmark = pytest.mark.usefixtures("engine")

_ISOLATE = re.compile("\u2068[^\u2068\u2069]*\u2069")
_LATIN_WORDS = re.compile(r"[A-Za-z]+(?:\W+[A-Za-z]+){2,}")

# Each a search a page refuses (the URL's parameters), for every kind of error it may meet.
BAD = {
    "open group": {"q": f"({OIL}"},
    "stray close": {"q": f"{OIL})"},
    "empty group": {"q": f"{OIL} ()"},
    "open quote": {"q": f'{OIL} "الغاز'},
    "empty quotes": {"q": f'{OIL} ""'},
    "unknown field": {"q": "nofield:x"},
    "field without word": {"q": f"{OIL} title:"},
    "nothing after OR": {"q": f"{OIL} OR"},
    "nothing before OR": {"q": f"OR {OIL}"},
    "nothing after AND": {"q": f"{OIL} AND"},
    "nothing before AND": {"q": f"AND {OIL}"},
    "nothing after NOT": {"q": f"{OIL} NOT"},
    "OR of exclusions": {"q": f"الغاز ({OIL} OR -قطر)"},
    "NOT NOT": {"q": f"{OIL} NOT NOT الغاز"},
    "nested too deeply": {"q": "(" * 17 + OIL + ")" * 17},
    "short prefix": {"q": "نف*"},
    "only exclusions": {"q": f"-{OIL}"},
    "only stopwords": {"q": "في"},
    "only punctuation": {"q": "؟!"},
    "too long": {"q": "ن" * 501},
    "too many words": {"q": " ".join([OIL] * 65)},
    "too many prefixes": {"q": " ".join(["نفط*"] * 9)},
    "not a date": {"q": OIL, "since": "yesterday"},
    "no month 13": {"q": OIL, "since": "2015-13"},
    "no Hijri day 30": {"q": OIL, "since": "30 رمضان 1436هـ"},
    "no Hijri month 13": {"q": OIL, "until": "1/13/1436هـ"},
    "Hijri year outside": {"q": OIL, "since": "1600h"},
    "no Hijri day 31": {"q": OIL, "since": "31/9/1436هـ الموافق 2015-07-18"},
    "dates reversed": {"q": OIL, "since": "2016", "until": "2015"},
    "typed dates reversed": {"q": f"{OIL} since:2016 until:2015"},
    "typed not a date": {"q": f"{OIL} since:2015-13"},
    "typed date twice": {"q": f"{OIL} since:2015 since:2016"},
    "typed date in OR": {"q": f"{OIL} OR since:2015"},
    "typed conflict": {"q": f"{OIL} source:okaz", "source": "alriyadh"},
    "typed unknown source": {"q": f"{OIL} source:nowhere"},
    "unknown source": {"q": OIL, "source": "nowhere"},
    "unknown category": {"q": OIL, "category": "nowhere"},
    "limit 0": {"q": OIL, "limit": "0"},
    "limit 101": {"q": OIL, "limit": "101"},
    "limit ten": {"q": OIL, "limit": "ten"},
    "page 0": {"q": OIL, "page": "0"},
    "past the last page": {"q": OIL, "page": "2000"},
    "past the last story": {"q": OIL, "page": "1001", "collapse": "1"},
    "past the last of none": {"q": "الغاز until:2014", "page": "1001"},
    "not yes or no": {"q": OIL, "exact": "maybe"},
    "not a choice": {"q": OIL, "sort": "newest"},
    "all-words conflict": {"q": OIL, "all-words": "1", "match": "any"},
    "value too long": {"q": OIL, "since": "2" * 501},
}


def shown(client: TestClient, url: str, status: int, lang: str | None) -> tuple[str, str | None]:
    """The message and fix an error page shows, in ``lang`` (None: the default)."""
    response = client.get(url + (f"&lang={lang}" if lang else ""))
    assert response.status_code == status, response.text[-2000:]
    box: Element = parse_html(response.text).find("div", "message")
    fixes = [p.text for p in box.find_all("p")[1:] if "at" not in p.classes]
    return box.find("strong").text, fixes[0] if fixes else None


def assert_arabic(text: str) -> None:
    """``text`` is Arabic: outside what it isolates (the user's text, paths, commands, values),
    it has Arabic letters and not a Latin letter."""
    bare = text
    while _ISOLATE.search(bare):
        bare = _ISOLATE.sub(" ", bare)
    assert re.search("[\u0621-\u064a]", bare), text
    assert not re.search("[A-Za-z]", bare), text
    assert not _LATIN_WORDS.search(bare), text


@pytest.mark.parametrize("sent", BAD.values(), ids=BAD.keys())
def test_an_error_page_says_it_in_the_pages_language(
    client: TestClient, sent: dict[str, str]
) -> None:
    url = "/search?" + urlencode(sent)
    api = client.get(url.replace("/search", "/api/search")).json()["error"]
    english = shown(client, url, 400, "en")
    # English: the library's own words, as the API says them (its --help pointer left out).
    assert english[0] == api["message"]
    assert english[1] == (api["fix"] if api["fix"] != QueryError.default_fix else None)
    arabic = shown(client, url, 400, None)
    assert shown(client, url, 400, "ar") == arabic
    assert_arabic(arabic[0])
    assert (arabic[1] is None) == (english[1] is None)
    if arabic[1] is not None:
        assert_arabic(arabic[1])


def test_the_arabic_names_the_option_by_its_label_and_keeps_the_users_text(
    client: TestClient,
) -> None:
    message, fix = shown(client, "/search?" + urlencode(BAD["unknown source"]), 400, None)
    assert "«\u2068المصدر\u2069»" in message and "'nowhere'" in message
    assert fix is not None and "alriyadh" in fix
    message, _ = shown(client, "/search?" + urlencode(BAD["stray close"]), 400, None)
    assert "\u2068)\u2069" in message  # the parenthesis as typed, not mirrored by the Arabic
    message, _ = shown(client, "/search?" + urlencode(BAD["typed not a date"]), 400, None)
    assert "since:2015-13" in message


@pytest.fixture
def lost_client(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    index = build_oil_index(tmp_path)
    with TestClient(create_app(index, refresh_interval=0)) as client:
        yield client, index


def test_a_missing_index_is_said_in_arabic_with_its_path(
    lost_client: tuple[TestClient, Path],
) -> None:
    client, index = lost_client
    (index / layout.POINTER).unlink()
    url = f"/search?q={OIL}"
    english = shown(client, url, 503, "en")
    assert english[0].startswith("No index at")
    assert english[1] is not None and english[1].startswith("Build one with: bahth index")
    message, fix = shown(client, url, 503, None)
    assert_arabic(message)
    assert fix is not None
    assert_arabic(fix)
    bare = re.sub("[\u2068\u2069]", "", message + fix)
    assert str(index.resolve()) in bare and f"--index {index}" in bare


# --- every raise site's key and fields ------------------------------------------------------------


def _fields(text: str | None) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text or "") if name}


def _keys(said: tuple[str, object]) -> Iterator[str]:
    """The key of a ``said`` and of the parts said within it."""
    key, values = said
    yield key
    assert isinstance(values, dict)
    for value in values.values():
        if isinstance(value, tuple):
            yield from _keys(value)


def _check(error: BahthError, reached: set[str]) -> None:
    """The error's key is in ERRORS, with the fields its values fill; its Arabic is Arabic."""
    assert error.said is not None, error.message
    key, values = error.said
    assert key in ERRORS, key
    message, fix = ERRORS[key]
    given = set(values) | set(error._named())
    assert _fields(message) | _fields(fix) <= given, (key, given)
    # A raise site that gives its own fix has its own Arabic fix, and only then.
    assert (fix is None) == (error.fix == type(error).default_fix), key
    for part in (p for p in text_parts(error) if p):
        assert_arabic(part)
    reached.update(_keys(error.said))


def text_parts(error: BahthError) -> tuple[str, str]:
    return error.text("ar", option_label)


def _raised(call: Callable[[], object]) -> BahthError:
    with pytest.raises(BahthError) as caught:
        call()
    return caught.value


def test_every_raise_site_has_its_arabic_text(oil_index: Path, tmp_path: Path) -> None:
    reached: set[str] = set()
    searcher = Searcher(oil_index)
    for sent in BAD.values():
        try:
            query, options = params.parse(sent)
        except QueryError as error:  # the server's own limits
            _check(error, reached)
            continue
        with pytest.raises(BahthError) as caught:
            searcher.search(query, **options.arguments())
        _check(caught.value, reached)
    # What a page cannot send: the library's own checks.
    library: list[Callable[[], object]] = [
        lambda: parse(""),
        lambda: parse("   "),
        lambda: parse(42),  # type: ignore[arg-type]
        lambda: parse("ن" * 1001),
        lambda: parse("روسيا \ud800"),
        lambda: parse("روسيا AND OR قطر"),
        lambda: as_date("2015-13", "until"),
        lambda: date_range("2016", "2015"),
        lambda: lift_filters(parse("since:2015 since:2016")),
    ]
    for unit in ("results", "stories"):
        for page, listed in ((10**30, 0), (10**30, 50_000), (2_000, 50), (2_000, 50_000)):
            _check(page_error(page, 10, listed, unit=unit), reached)
    # An option with bounds and no fix of its own, as a future one may be.
    bounded = dataclasses.replace(next(o for o in OPTIONS if o.high is not None), fix=None)
    for option in (*OPTIONS, bounded):
        bad: list[object] = [1.5, "x" * 300, object(), "\ud800", -1, True, 10**6]
        for value in bad:
            try:
                check_value(option, value)
            except QueryError as error:
                _check(error, reached)
    for call in library:
        _check(_raised(call), reached)
    for code in StorageError.CODES | {errno.ENOENT}:
        for path in (None, "indexes/news"):
            for writing in (None, True, False):
                _check(StorageError.of(code, path, writing=writing), reached)
    _check(ShardUnavailable("tcp://127.0.0.1:9", "Connection refused"), reached)
    _check(_raised(lambda: layout.require_current(tmp_path / "nowhere")), reached)
    searcher.close()
    _check(_raised(lambda: searcher.search(OIL)), reached)
    # Every text is used: by a raise site, or as what a class says by default, or an option.
    defaults = {cls.said_key for cls in _classes(BahthError)}
    labels = {key for key in ERRORS if key.startswith("option_")}
    unmet = set(ERRORS) - reached - defaults - labels - {"index_being_built"}
    assert not unmet, sorted(unmet)


def _classes(cls: type[BahthError]) -> Iterator[type[BahthError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _classes(sub)


def test_each_class_says_itself_in_arabic_when_its_raise_site_does_not() -> None:
    for cls in _classes(BahthError):
        message, fix = ERRORS[cls.said_key]
        assert fix is not None and not _fields(message) | _fields(fix), cls
        try:  # each as a raise site that says nothing in Arabic
            error = cls("English words here")
        except TypeError:  # a class that takes more
            error = cls.__new__(cls)
            BahthError.__init__(error, "English words here")
        error.said = None
        for part in error.text("ar"):
            assert_arabic(part)


def test_every_parameter_of_a_page_has_an_arabic_name() -> None:
    for parameter in params.parameters():
        name = option_label(parameter.field)
        assert name is not None and re.search("[\u0621-\u064a]", name), parameter.name
