"""``hijri=1`` in bahth serve's URLs: the Hijri date beside each date on the pages, kept in
their links, and ``date_hijri`` in the API's JSON, as ``bahth search --hijri`` gives it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search.cli import main
from search.web import create_app
from tests.test_hijri_output import (
    ARTICLES,
    EXPECTED,
    HIJRI,
    OIL,
    build_hijri_index,
    without_hijri,
)
from tests.web.conftest import Element, parse_html

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture(scope="module")
def hijri_index(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """Articles of Shawwal 1436, of 1900 and undated (see ``tests/test_hijri_output.py``),
    built once per engine, read-only."""
    return build_hijri_index(tmp_path_factory.mktemp(f"hijri-{engine}"))


@pytest.fixture(scope="module")
def client(hijri_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hijri_index)) as test_client:
        yield test_client


def page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[-2000:]
    return parse_html(response.text)


def cli(index: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--index", str(index)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def took(text: str) -> str:
    return re.sub(r'"took_ms": [\d.]+', '"took_ms": 0', text)


def shown_dates(root: Element) -> dict[str, tuple[str, str | None]]:
    """Each hit's id → (its date, its Hijri date as the page shows it, or None)."""
    shown = {}
    for li in root.find_all("li", "hit"):
        href = li.find("h2").find("a").attrs["href"]
        article_id = urlsplit(href).path.removeprefix("/article/")
        times = li.find_all("time")
        hijri = li.find_all("bdi", "hijri")
        shown[article_id] = (
            times[0].text if times else "",
            hijri[0].text if hijri else None,
        )
    return shown


def test_the_search_page_shows_hijri_dates_with_hijri_1(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}&hijri=1")
    assert shown_dates(root) == {
        str(a["id"]): (
            str(a["date"]) if a["id"] in EXPECTED or a["id"] == "h-1900" else "",
            f"({EXPECTED[str(a['id'])]})" if a["id"] in EXPECTED else None,
        )
        for a in ARTICLES
    }
    # the Hijri date follows the date in the hit's line
    meta = root.find_all("p", "meta")
    assert any(
        [c.tag for c in m.children][:2] == ["time", "bdi"] and "(21 شوال 1436 هـ)" in m.text
        for m in meta
    )
    # the form's box is ticked, so a new search keeps them
    box = [i for i in root.find("form").find_all("input") if i.attrs.get("name") == "hijri"]
    assert len(box) == 1 and "checked" in box[0].attrs


def test_without_hijri_the_page_shows_no_hijri_date(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}")
    assert not root.find_all("bdi", "hijri") and "هـ" not in client.get(f"/search?q={OIL}").text
    assert all(hijri is None for _, hijri in shown_dates(root).values())
    box = [i for i in root.find("form").find_all("input") if i.attrs.get("name") == "hijri"]
    assert len(box) == 1 and "checked" not in box[0].attrs
    assert "التاريخ الهجري" in root.find("form").text
    links = [a.attrs["href"] for a in root.find_all("a") if "href" in a.attrs]
    assert not [link for link in links if "hijri" in link]


def test_the_page_links_keep_hijri_1(client: TestClient) -> None:
    root = page(client, f"/search?q={OIL}&limit=2&hijri=1")
    links = {
        name: [a.attrs["href"] for a in root.find(tag, cls).find_all("a")]
        for name, tag, cls in (
            ("pages", "nav", "pages"),
            ("facets", "nav", "facets"),
            ("refine", "nav", "refine"),
            ("hits", "ol", "hits"),
        )
    }
    for name, hrefs in links.items():
        assert hrefs, name
        for href in hrefs:
            if href.startswith(("/search", "/article")):
                assert parse_qs(urlsplit(href).query).get("hijri") == ["1"], (name, href)


def test_the_article_page_shows_the_hijri_date_and_links_back_with_it(
    client: TestClient,
) -> None:
    root = page(client, f"/article/h-shawwal?q={OIL}&hijri=1")
    meta = root.find("article").find("p", "meta")
    assert meta.find("time").text == "2015-08-06"
    assert meta.find("bdi", "hijri").text == f"({HIJRI['2015-08-06']})"
    back = root.find("a", "back").attrs["href"]
    assert parse_qs(urlsplit(back).query) == {"q": [OIL], "hijri": ["1"]}
    plain = page(client, f"/article/h-shawwal?q={OIL}")
    assert not plain.find_all("bdi", "hijri")
    assert "hijri" not in plain.find("a", "back").attrs["href"]
    # outside the calendar: the date alone
    old = page(client, "/article/h-1900?hijri=1").find("article").find("p", "meta")
    assert old.find("time").text == "1900-01-01" and not old.find_all("bdi", "hijri")


def test_the_api_adds_date_hijri_as_the_command_does(client: TestClient, hijri_index: Path) -> None:
    response = client.get(f"/api/search?q={OIL}&hijri=1")
    assert response.status_code == 200
    document = response.json()
    assert {h["id"]: h["date_hijri"] for h in document["hits"]} == {
        str(a["id"]): EXPECTED.get(str(a["id"])) for a in ARTICLES
    }
    assert took(response.text) == took(cli(hijri_index, "search", OIL, "--json", "--hijri"))
    plain = client.get(f"/api/search?q={OIL}")
    assert "date_hijri" not in plain.text
    assert took(plain.text) == took(cli(hijri_index, "search", OIL, "--json"))
    assert without_hijri(json.loads(took(response.text))) == json.loads(took(plain.text))
    # hijri is taken by the API; a misspelled parameter is still refused, naming hijri
    refused = client.get(f"/api/search?q={OIL}&hijiri=1")
    assert refused.status_code == 400 and "hijri" in refused.json()["error"]["message"]


def test_the_api_article_adds_date_hijri_as_show_does(
    client: TestClient, hijri_index: Path
) -> None:
    response = client.get("/api/article/h-eid?hijri=1")
    assert response.json()["date_hijri"] == "1 شوال 1436 هـ"
    assert response.text == cli(hijri_index, "show", "h-eid", "--json", "--hijri")
    plain = client.get("/api/article/h-eid")
    assert "date_hijri" not in plain.text
    assert plain.text == cli(hijri_index, "show", "h-eid", "--json")
    assert client.get("/api/article/h-1900?hijri=1").json()["date_hijri"] is None
