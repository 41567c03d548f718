"""The other issues' features on the page: facets as filters, copies of one story, did you
mean, on the planted copies of ``tests/test_stories.py``."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from search import Indexer
from search.web import create_app
from tests.test_stories import WIRE_COPIES, planted
from tests.web.conftest import Element, parse_html

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    index = tmp_path_factory.mktemp("stories-web") / "index"
    Indexer(index, workers=1).add_articles(planted())
    with TestClient(create_app(index)) as test_client:
        yield test_client


def page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[-2000:]
    return parse_html(response.text)


def test_facets_are_links_that_filter(client: TestClient) -> None:
    root = page(client, "/search?q=وزارة")
    [facets] = root.find_all("nav", "facets")
    # Each paper shown by its name (search.labels), its link filtering by its key.
    links = {
        parse_qs(urlsplit(a.attrs["href"]).query)["source"][0]: a for a in facets.find_all("a")
    }
    counted = client.get("/api/search?q=وزارة&facets=1").json()["facets"]["source"]
    assert set(links) == {entry["value"] for entry in counted} >= {"spa", "okaz"}
    assert links["okaz"].find("bdi").text == "عكاظ"
    links = {key: a.attrs["href"] for key, a in links.items()}
    filtered = page(client, links["spa"])
    assert parse_qs(urlsplit(links["spa"]).query)["source"] == ["spa"]
    assert len(filtered.find_all("li", "hit")) == 1


def test_collapse_lists_the_copies_under_one_hit(client: TestClient) -> None:
    flat = page(client, "/search?q=وزارة&limit=100")
    collapsed = page(client, "/search?q=وزارة&limit=100&collapse=1")
    assert len(collapsed.find_all("li", "hit")) == len(flat.find_all("li", "hit")) - 3
    [copies] = collapsed.find_all("p", "copies")
    assert copies.text.startswith("+3 ")
    linked = {
        urlsplit(a.attrs["href"]).path.removeprefix("/article/") for a in copies.find_all("a")
    }
    assert len(linked) == 3 and linked < WIRE_COPIES


def test_did_you_mean_links_to_the_corrected_search(client: TestClient) -> None:
    # a neighbouring key for the last letter; as typed (the corrected query would run)
    root = page(client, "/search?q=وزارع&autocorrect=0")
    [suggestion] = root.find_all("p", "suggestion")
    target = suggestion.find("a").attrs["href"]
    assert parse_qs(urlsplit(target).query)["q"] == ["وزارة"]
    assert page(client, target).find_all("li", "hit")
