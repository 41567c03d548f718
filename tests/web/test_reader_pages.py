"""What a reader of the web page sees: one language at a time (``search.messages``), every
source behind "N more", a search that found nothing under filters naming them with the
searches without each, and an article listing its copies."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from starlette.testclient import TestClient

from search import Article, Indexer, Searcher
from search.messages import MESSAGES, language, message
from search.web import create_app
from tests.test_stories import WIRE_COPIES, planted
from tests.web.conftest import OIL, parse_html

pytestmark = pytest.mark.usefixtures("engine")

SOURCES = [f"paper{n:02d}" for n in range(17)]  # more than the page lists before "more"
TAG = re.compile(r"<[^>]*>")


def _articles() -> list[Article]:
    out = [
        Article(
            id=f"n{n}",
            title=f"أسعار النفط في تقرير رقم {n}",
            body=f"تراجعت أسعار النفط في الأسواق العالمية، وقال محللون إن الطلب ضعيف {n}.",
            date=dt.date(2015, 1 + n % 12, 1 + n % 27),
            source=SOURCES[n % len(SOURCES)],
            category="economy" if n % 2 else "energy",
        )
        for n in range(60)
    ]
    return out + planted()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    index = tmp_path_factory.mktemp("reader") / "index"
    Indexer(index, workers=1).add_articles(_articles())
    with TestClient(create_app(index)) as test_client:
        yield test_client


def _visible(page: str) -> str:
    """The page's text as a reader sees it (no tags), and its titles and labels."""
    attributes = re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page)
    return TAG.sub(" ", page) + " " + " ".join(attributes)


PAGES = [
    "/",
    f"/search?q={OIL}",
    f"/search?q={OIL}&source=paper01&since=2016",
    "/search?q=(",
    "/article/n1",
    "/no/such/page",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_page_speaks_one_language(client: TestClient, url: str, lang: str) -> None:
    """No text of the table shows in the other language (query and articles aside)."""
    joined = "&" if "?" in url else "?"
    page = client.get(f"{url}{joined}lang={lang}").text
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    shown = _visible(page)
    other = 0 if lang == "en" else 1
    # The long texts only: a word such as "Source" may also be the start of a longer one.
    foreign = [
        texts[other]
        for texts in MESSAGES.values()
        if texts[0] != texts[1] and len(texts[other]) > 12 and "{" not in texts[other]
    ]
    leaked = [text for text in foreign if TAG.sub(" ", text) in shown]
    assert not leaked, leaked


def test_the_language_follows_the_parameter_then_the_browser(client: TestClient) -> None:
    assert 'lang="ar"' in client.get("/").text
    english = {"accept-language": "en-US,en;q=0.9,ar;q=0.5"}
    assert '<html lang="en"' in client.get("/", headers=english).text
    assert '<html lang="ar"' in client.get("/?lang=ar", headers=english).text
    page = client.get(f"/search?q={OIL}&lang=en")
    assert page.headers["content-language"] == "en"
    # Every link to another page of results keeps the language asked for.
    links = [href for href in re.findall(r'href="(/(?:search|article)[^"]*)"', page.text)]
    assert len(links) > 10
    for href in links:
        wanted = "ar" if "lang=ar" in href else "en"  # the switch leads to Arabic
        assert parse_qs(urlsplit(href.replace("&amp;", "&")).query)["lang"] == [wanted], href


def test_the_switch_shows_the_same_page_in_the_other_language(client: TestClient) -> None:
    page = parse_html(client.get(f"/search?q={OIL}&source=paper03").text)
    [switch] = [a for a in page.find_all("a", "language")]
    assert switch.text == "English" and switch.attrs["hreflang"] == "en"
    english = client.get(switch.attrs["href"]).text
    assert '<html lang="en"' in english and "paper03" in english
    assert message("results_count", "en", count="<b>").split(":")[0] in english


def test_accept_language_weights() -> None:
    assert language(None, "fr-CA, en;q=0.8, ar;q=0.9") == "ar"
    assert language(None, "ar;q=0, en") == "en"
    assert language("xx", "en") == "en"
    assert language(None, None) == "ar"


def test_every_source_is_listed_the_rest_behind_more(client: TestClient) -> None:
    with Searcher(client.app.state.live.path) as searcher:  # type: ignore[attr-defined]
        counts = {
            searcher.labels.name("source", key): count
            for key, count in searcher.search(OIL, facets=True).facets["source"]
        }
    page = parse_html(client.get(f"/search?q={OIL}").text)
    [sources] = [d for d in page.find_all("div", "facet") if d.text.strip().startswith("المصادر")]
    more = sources.find("details", "more")
    hidden = len(more.find_all("a"))
    assert hidden == len(counts) - 12 > 0
    assert more.find("summary").text == message("more_values", "ar", count=hidden)
    listed = {a.find("bdi").text: int(a.find("small").text) for a in sources.find_all("a")}
    assert listed == counts


def test_no_results_under_filters_names_each_with_the_search_without_it(
    client: TestClient,
) -> None:
    url = f"/search?q={OIL}&source=paper01&since=2016&lang=en"
    page = parse_html(client.get(url).text)
    note = page.find("p", "unfiltered").text
    assert "Source: paper01" in note and "From: 2016" in note
    offers = page.find("ul", "unfiltered").find_all("a")
    assert len(offers) == 3  # each filter, then all of them
    for offer in offers:
        href = offer.attrs["href"]
        [count] = re.findall(r": ([\d,]+) results", offer.text)
        followed = parse_html(client.get(href).text).find("p", "totals").text
        if int(count.replace(",", "")):
            assert f"Results: {count}" in " ".join(followed.split()), (href, followed)
        else:
            assert "No results" in followed
    assert "source=paper01" not in offers[0].attrs["href"] or "since" not in offers[0].attrs["href"]
    assert "since" not in offers[-1].attrs["href"] and "source" not in offers[-1].attrs["href"]


def test_no_results_without_filters_offers_nothing(client: TestClient) -> None:
    page = client.get("/search?q=زيلينسكي").text
    assert "unfiltered" not in page and message("no_results", "ar", query="زيلينسكي") in page


def test_an_article_lists_its_copies_linked(client: TestClient) -> None:
    query = urlencode({"q": "خبر", "lang": "en"})
    page = parse_html(client.get(f"/article/wire?{query}").text)
    section = page.find("section", "copies-of")
    links = section.find_all("a")
    ids = {urlsplit(a.attrs["href"]).path.rsplit("/", 1)[1] for a in links}
    assert ids == WIRE_COPIES - {"wire"}
    for a in links:
        assert parse_qs(urlsplit(a.attrs["href"]).query)["lang"] == ["en"]
        copy = parse_html(client.get(a.attrs["href"]).text)
        assert copy.find("h1").text.strip() == a.text.strip()
    alone = client.get("/article/other-1").text
    assert "copies-of" not in alone


def test_the_api_gives_the_timeline_the_command_gives(client: TestClient) -> None:
    from click.testing import CliRunner

    from search.cli import main

    index = client.app.state.live.path  # type: ignore[attr-defined]
    arguments = ["search", OIL, "--index", str(index), "--json", "--timeline"]
    command = json.loads(CliRunner().invoke(main, arguments).stdout)
    served = client.get(f"/api/search?q={OIL}&timeline=1").json()
    assert served["timeline"] == command["timeline"] and served["timeline"]["series"]
    assert served["facets"] is None  # drawn from the facets, shown only if asked
    assert "timeline" not in client.get(f"/api/search?q={OIL}").json()
