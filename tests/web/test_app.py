"""bahth serve's pages and API through Starlette's test client: every page, parameter and error
path, escaping of what a dump holds and what a user types, and the API's JSON against the
command's."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import Indexer, layout
from search.cli import main
from search.web import create_app
from search.web.app import SECURITY_HEADERS, article_path
from tests.conftest import jsonl
from tests.web.conftest import HOSTILE_ID, OIL, SOURCES, Element, build_oil_index, parse_html

pytestmark = pytest.mark.usefixtures("engine")

GAS = "الغاز"


def page(client: TestClient, url: str, status: int = 200) -> Element:
    response = client.get(url)
    assert response.status_code == status, response.text[-2000:]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return parse_html(response.text)


def api(client: TestClient, url: str, status: int = 200) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def hit_ids(root: Element) -> list[str]:
    """The article ids the result page links to, in order."""
    ids = []
    for li in root.find_all("li", "hit"):
        path = urlsplit(li.find("h2").find("a").attrs["href"]).path
        ids.append(path.removeprefix("/article/"))
    return [_unquote(i) for i in ids]


def _unquote(segment: str) -> str:
    from urllib.parse import unquote

    return unquote(segment)


def api_ids(document: dict[str, object]) -> list[str]:
    return [hit["id"] for hit in document["hits"]]  # type: ignore[index, union-attr]


# --- pages ---------------------------------------------------------------------------------------


def test_home_page_is_arabic_first_with_the_search_box_and_the_query_help(
    client: TestClient,
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    root = parse_html(response.text)
    form = root.find("form", "search")
    assert form.attrs["action"] == "/search" and form.attrs["method"] == "get"
    assert {i.attrs["name"] for i in form.find_all("input")} >= {"q", "since", "until", "exact"}
    sources = [o.attrs["value"] for o in form.find_all("select")[0].find_all("option")]
    assert set(sources) == {"", *SOURCES, "<b>evil</b>"}
    help_table = root.find("details", "help")
    assert "open" in help_table.attrs and "OR" in help_table.text and "title:" in help_table.text
    assert "23" in root.find("footer").text  # the index's article count
    # no asset from anywhere else: the one style sheet is served by the app
    assert re.findall(r'(?:href|src)="(https?:)?//', response.text) == []
    assert client.get(root.find("link").attrs["href"]).status_code == 200


def test_search_page_marks_the_words_and_links_each_title_to_its_article(
    client: TestClient,
) -> None:
    root = page(client, f"/search?q={OIL}")
    hits = root.find_all("li", "hit")
    assert len(hits) == 10
    document = api(client, f"/api/search?q={OIL}")
    assert hit_ids(root) == api_ids(document)
    for li, hit in zip(hits, document["hits"], strict=True):  # type: ignore[arg-type]
        marks = [m.text for m in li.find("p", "snippet").find_all("mark")]
        assert marks and all("النفط" in m or "نفط" in m for m in marks), marks
        # the marks are the API's highlights, as written in the snippet
        assert marks == [hit["snippet"][a:b] for a, b in hit["highlights"]]
        assert li.find("time").attrs["datetime"] == hit["date"]
        assert li.find("a", "source").text == hit["source_name"]  # the paper's name
        assert not li.find_all("span", "score")  # scores on demand only
        link = urlsplit(li.find("h2").find("a").attrs["href"])
        assert parse_qs(link.query)["q"] == [OIL]


def test_scores_are_shown_on_demand(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}&score=1")
    document = api(client, f"/api/search?q={OIL}")
    shown = [s.find("span").text for s in root.find_all("span", "score")]
    assert shown == [f"{hit['score']:.2f}" for hit in document["hits"]]  # type: ignore[union-attr]
    # the links to other pages keep showing them
    assert "score=1" in root.find("nav", "pages").find("a").attrs["href"]


def test_totals_line_counts_all_words_and_some_words(client: TestClient) -> None:
    document = api(client, f"/api/search?q={OIL} {GAS}")
    full, total = document["total_all_words"], document["total"]
    assert 0 < full < total  # type: ignore[operator]
    totals = page(client, f"/search?q={OIL} {GAS}").find("p", "totals")
    numbers = [b.text for b in totals.find_all("strong")]
    assert numbers == [str(full), str(total - full)]  # type: ignore[operator]
    assert "كل الكلمات" in totals.text and "بعضها" in totals.text
    only = page(client, f"/search?q={OIL}").find("p", "totals")
    assert [b.text for b in only.find_all("strong")] == ["23"]
    assert "1–10" in only.text


def test_pages_link_to_each_other_and_match_the_api(client: TestClient) -> None:
    first = page(client, f"/search?q={OIL}")
    nav = first.find("nav", "pages")
    assert [b.text for b in nav.find_all("b")] == ["1"]
    links = {a.text: a.attrs["href"] for a in nav.find_all("a")}
    assert set(links) == {"2", "3", "التالي"}
    assert links["التالي"] == links["2"]
    second = page(client, links["2"])
    assert hit_ids(second) == api_ids(api(client, f"/api/search?q={OIL}&page=2"))
    assert second.find("ol", "hits").attrs["start"] == "11"
    previous = {a.text: a.attrs["href"] for a in second.find("nav", "pages").find_all("a")}
    assert "السابق" in previous
    third = page(client, f"/search?q={OIL}&page=3")
    assert len(third.find_all("li", "hit")) == 3
    past = page(client, f"/search?q={OIL}&page=9")
    assert not past.find_all("li", "hit") and "بعد الأخيرة" in past.find("p", "totals").text


# Each a query string of the page and the API: the page lists what the API finds.
OPTION_CASES = [
    "limit=5&page=2",
    "sort=date",
    "source=okaz",
    "category=economy",
    "since=2015-06&until=2015-08",
    "since=2015-11",
    "match=all",
    "match=any",
    "all-words=1",
    "exact=1",
    "sort=date&source=alwatan&limit=20",
]


@pytest.mark.parametrize("options", OPTION_CASES)
def test_each_option_gives_the_page_the_api_results(client: TestClient, options: str) -> None:
    query = f"{OIL} {GAS}"
    ids = hit_ids(page(client, f"/search?q={query}&{options}"))
    assert ids == api_ids(api(client, f"/search?q={query}&{options}".replace("/", "/api/", 1)))


def test_filters_narrow_the_results_and_show_as_removable_chips(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}&source=okaz&since=2015-03")
    hits = root.find_all("li", "hit")
    assert hits and {li.find("a", "source").text for li in hits} == {"عكاظ"}  # okaz, named
    assert all(li.find("time").attrs["datetime"] >= "2015-03-01" for li in hits)
    chips = {a.text.split(":")[0]: a.attrs["href"] for a in root.find_all("a", "chip")}
    assert set(chips) == {"المصدر", "من"}
    without_source = parse_qs(urlsplit(chips["المصدر"]).query)
    assert "source" not in without_source and without_source["since"] == ["2015-03"]
    # the form shows the filters being applied
    selected = [o for o in root.find("form").find_all("option") if "selected" in o.attrs]
    assert "okaz" in [o.attrs["value"] for o in selected]
    # a hit's source is a link that filters by it
    alwatan = page(client, f"/search?q={OIL}")
    link = next(a for a in alwatan.find_all("a", "source") if a.text == "الوطن")
    assert parse_qs(urlsplit(link.attrs["href"]).query)["source"] == ["alwatan"]
    filtered = page(client, link.attrs["href"])
    assert {a.text for a in filtered.find_all("a", "source")} == {"الوطن"}


def test_sorting_by_date_lists_newest_first_and_is_a_link(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}")
    by_date = next(
        a for a in root.find("nav", "refine").find_all("a") if "sort=date" in a.attrs["href"]
    )
    listed = page(client, by_date.attrs["href"]).find("ol", "hits")
    dates = [t.attrs["datetime"] for t in listed.find_all("time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10


def test_an_empty_query_shows_the_search_box(client: TestClient) -> None:
    root = page(client, "/search?q=&source=okaz")
    assert root.find("form", "search") and not root.find_all("ol", "hits")


# --- the article page ------------------------------------------------------------------------


def test_article_page_marks_the_query_words_through_the_whole_text(client: TestClient) -> None:
    root = page(client, f"/article/oil-01?q={GAS}")
    article = root.find("article")
    paragraphs = article.find("div", "body").find_all("p")
    assert len(paragraphs) == 3  # one per line of the body
    # every form of the word, in every paragraph, not only the snippet's
    marks = [[m.text for m in p.find_all("mark")] for p in paragraphs]
    assert marks == [[], [GAS], ["و" + GAS]]
    original = article.find("p", "original").find("a")
    assert original.attrs["href"] == "https://example.org/okaz/oil-1"
    assert "noopener" in original.attrs["rel"]
    back = article.find("a", "back").attrs["href"]
    assert parse_qs(urlsplit(back).query) == {"q": [GAS]}


def test_article_page_without_a_query_marks_nothing(client: TestClient) -> None:
    root = page(client, "/article/oil-01")
    assert not root.find("article").find_all("mark") and not root.find_all("a", "back")


def test_an_article_page_with_a_malformed_query_still_shows_the_article(
    client: TestClient,
) -> None:
    root = page(client, '/article/oil-01?q="unclosed')
    assert "تقرير رقم 2" in root.find("h1").text


def test_unknown_article_is_404(client: TestClient) -> None:
    root = page(client, "/article/no-such-id", 404)
    assert "لا مقال" in root.find("h1").text
    document = api(client, "/api/article/no-such-id", 404)
    assert "no-such-id" in document["error"]["message"]  # type: ignore[index]


def test_any_id_has_an_article_page(client: TestClient) -> None:
    assert article_path(HOSTILE_ID) == "/article/evil%2F1%20x%3Fy"
    root = page(client, article_path(HOSTILE_ID))
    assert "النفط" in root.find("h1").text
    assert api(client, "/api" + article_path(HOSTILE_ID))["id"] == HOSTILE_ID


def test_api_article_is_the_show_json_document(client: TestClient, oil_index: Path) -> None:
    shown = CliRunner().invoke(
        main, ["show", "oil-03", "--index", str(oil_index), "--json"], catch_exceptions=False
    )
    response = client.get("/api/article/oil-03")
    assert response.text == shown.stdout


# --- escaping and links --------------------------------------------------------------------------


def test_a_hostile_dump_and_query_are_escaped_everywhere(client: TestClient) -> None:
    query = '<script>alert("q")</script> النفط'
    pages = [
        client.get(f"/search?q={quote(query)}&limit=50"),
        client.get(article_path(HOSTILE_ID) + f"?q={quote(query)}"),
        client.get("/"),
        client.get(f"/search?q={quote(query)}&source={quote('<b>evil</b>')}"),
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.text.lower()
        assert "<script" not in text and "<img" not in text and "<b>evil" not in text
        assert "javascript:" not in "".join(re.findall(r'href="[^"]*"', text))
    results = parse_html(pages[0].text)
    assert '<script>alert("q")</script>' in results.find("input").attrs["value"]
    titles = [h.text for h in results.find_all("h2")]
    assert any("<script>" in t and "<img src=x" in t for t in titles)  # shown, as text
    assert "&lt;script&gt;" in pages[1].text


def test_a_javascript_url_is_shown_but_never_linked(client: TestClient) -> None:
    root = page(client, article_path(HOSTILE_ID))
    original = root.find("p", "original")
    assert not original.find_all("a") and "javascript:" in original.text


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "needle", "word"),
    [
        (f"({OIL}", "never closed", "("),
        (f"{OIL} OR", "nothing after", "OR"),
        (f'{OIL} "الغاز', "never closed", '"الغاز'),
        ("nofield:x", "unknown field", "nofield:x"),
    ],
)
def test_a_malformed_query_shows_the_parsers_message_and_where(
    client: TestClient, query: str, needle: str, word: str
) -> None:
    root = page(client, f"/search?q={quote(query)}&lang=en", 400)  # as the API says it
    message = root.find("div", "message")
    assert needle in message.text
    assert message.find("mark", "here").text == word
    assert root.find("input").attrs["value"] == query  # kept in the box, to fix
    document = api(client, f"/api/search?q={quote(query)}", 400)
    error = document["error"]
    assert needle in error["message"] and error["status"] == 400  # type: ignore[index]
    assert query[error["position"] - 1 :].startswith(word)  # type: ignore[index, operator]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "not a whole number"),
        ("page=0", "page"),
        ("page=1001", "past the last page"),
        ("sort=newest", "relevance, date"),
        ("match=most", "auto, all, any"),
        ("exact=maybe", "exact"),
        ("all-words=1&match=any", "conflicts"),
        ("since=yesterday", "not a date"),
        ("since=2016&until=2015", "is after"),
        ("source=nowhere", "alriyadh"),
        (f"q={'ن' * 501}", "at most 500"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(
    client: TestClient, options: str, needle: str
) -> None:
    url = f"/search?q={OIL}&{options}" if not options.startswith("q=") else f"/search?{options}"
    root = page(client, url + "&lang=en", 400)  # as the API says it
    assert needle in root.find("div", "message").text
    error = api(client, url.replace("/search", "/api/search"), 400)["error"]
    assert needle in error["message"] + error["fix"]  # type: ignore[index, operator]


def test_the_api_refuses_unknown_parameters_and_an_empty_query(client: TestClient) -> None:
    document = api(client, f"/api/search?q={OIL}&limt=5", 400)
    assert "limt" in document["error"]["message"]  # type: ignore[index]
    assert "the query is empty" in api(client, "/api/search?q=", 400)["error"]["message"]  # type: ignore[index]


def test_unknown_pages_are_404_and_no_path_reaches_the_disk(client: TestClient) -> None:
    for url in ("/nowhere", "/static/app.py", "/static/../app.py", "/templates/base.html"):
        assert client.get(url).status_code == 404, url
    assert api(client, "/api/nowhere", 404)["error"]["status"] == 404  # type: ignore[index]
    # an id that looks like a path is only ever an id
    page(client, "/article/..%2F..%2Fpyproject.toml", 404)
    assert client.post("/search").status_code == 405


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in (
        "/",
        f"/search?q={OIL}",
        "/search?q=(",
        "/article/oil-01",
        "/nowhere",
        f"/api/search?q={OIL}",
        "/api/article/x",
        "/static/bahth.css",
    ):
        response = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (url, name)
    assert "script-src" not in SECURITY_HEADERS["content-security-policy"]
    assert "default-src 'none'" in SECURITY_HEADERS["content-security-policy"]


# --- the API is the command's JSON ------------------------------------------------------------

CLI_CASES = [
    ([OIL], ""),
    ([f"{OIL} {GAS}", "-n", "5", "--page", "2"], "limit=5&page=2"),
    ([f"{OIL} {GAS}", "--match", "any", "--sort", "date"], "match=any&sort=date"),
    ([f"{OIL} {GAS}", "--all-words", "--source", "okaz"], "all-words=1&source=okaz"),
    (
        [OIL, "--since", "2015-06", "--until", "2015-09", "--exact"],
        "since=2015-06&until=2015-09&exact=1",
    ),
    ([f"-{GAS} {OIL}", "--category", "energy"], "category=energy"),
    (["nothingatall"], ""),
]


@pytest.mark.parametrize(("arguments", "options"), CLI_CASES)
def test_api_search_is_the_cli_json_document(
    client: TestClient, oil_index: Path, arguments: list[str], options: str
) -> None:
    cli = CliRunner().invoke(
        main, ["search", *arguments, "--index", str(oil_index), "--json"], catch_exceptions=False
    )
    assert cli.exit_code == 0, cli.output
    response = client.get("/api/search", params={"q": arguments[0], **parse_qs_flat(options)})
    assert response.status_code == 200
    took = re.compile(r'"took_ms": [\d.]+')
    assert took.sub("", response.text) == took.sub("", cli.stdout)
    assert json.loads(response.text)["query"] == arguments[0]


def parse_qs_flat(options: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(options).items()}


# --- a live index ------------------------------------------------------------------------------


def test_the_server_sees_new_commits_rebuilds_and_a_lost_index(tmp_path: Path) -> None:
    index = build_oil_index(tmp_path)
    late = {
        "id": "late",
        "title": "خبر متأخر عن البترول",
        "body": "البترول والطاقة.",
        "date": "2016-02-02",
    }
    with TestClient(create_app(index, refresh_interval=0)) as client:
        assert api(client, "/api/search?q=البترول")["total"] == 0
        (tmp_path / "late.jsonl").write_text(jsonl([late]), encoding="utf-8")
        Indexer(index).add_files([tmp_path / "late.jsonl"])
        assert api_ids(api(client, "/api/search?q=البترول")) == ["late"]
        assert "24" in page(client, "/").find("footer").text
        Indexer(index).rebuild([tmp_path / "late.jsonl"])  # a new generation of one article
        assert api(client, f"/api/search?q={OIL}")["total"] == 0
        assert api(client, "/api/article/late")["id"] == "late"
        # the index goes away: 503 with the reason, until it is back
        pointer = index / layout.POINTER
        saved = pointer.read_text(encoding="utf-8")
        pointer.unlink()
        lost = api(client, "/api/search?q=البترول", 503)
        assert "No index at" in lost["error"]["message"]  # type: ignore[index]
        lost_page = page(client, "/search?q=البترول&lang=en", 503)
        assert "No index at" in lost_page.find("div", "message").text
        pointer.write_text(saved, encoding="utf-8")
        assert api_ids(api(client, "/api/search?q=البترول")) == ["late"]


def test_a_missing_index_fails_at_start(tmp_path: Path) -> None:
    from search import IndexNotFound

    with pytest.raises(IndexNotFound, match="No index at"):
        create_app(tmp_path / "nowhere")
    shutil.rmtree(tmp_path)
