"""One hit template (``render.hit_html``): the same search gives each hit the same HTML on a
page of ``bahth search --html`` and on ``bahth serve``'s page, but for where its links lead."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from search import Indexer
from search.cli import main
from search.web import create_app
from tests.test_stories import planted
from tests.web.conftest import HOSTILE_ID, OIL, build_oil_index

pytestmark = pytest.mark.usefixtures("engine")

HIT = re.compile(r'<li class="hit[^"]*">.*?</li>', re.DOTALL)
ANCHOR = re.compile(r"<a [^>]*>|</a>")
HREF = re.compile(r'<a href="([^"]*)"')
# On a page without article pages (--html), the id to give bahth show, and a URL that is not
# a link, as text.
IDS = re.compile(r'\n  <p class="ids">.*?</p>')


@pytest.fixture(scope="module")
def oil_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_oil_index(tmp_path_factory.mktemp("oil-hits"))


@pytest.fixture(scope="module")
def stories_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("stories-hits") / "index"
    Indexer(index, workers=1).add_articles(planted())
    return index


def saved_page(index: Path, *options: str) -> str:
    result = CliRunner().invoke(
        main, ["search", *options, "--index", str(index), "--html"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def web_page(index: Path, url: str) -> str:
    with TestClient(create_app(index)) as client:
        response = client.get(url)
    assert response.status_code == 200, response.text[-2000:]
    return response.text


def hits_of(page: str) -> list[str]:
    hits = HIT.findall(page)
    assert hits and not any("<li" in hit[3:] for hit in hits)
    return hits


def without_links(hit: str) -> str:
    return IDS.sub("", ANCHOR.sub("", hit))


@pytest.mark.parametrize(
    ("which", "options", "parameters"),
    [
        ("oil", [OIL, "-n", "30", "--hijri"], f"q={OIL}&limit=30&hijri=1&score=1"),
        ("stories", ["وزارة", "-n", "50", "--collapse"], "q=وزارة&limit=50&collapse=1&score=1"),
    ],
    ids=["hostile-hijri", "collapsed-copies"],
)
def test_a_hit_is_the_same_fragment_in_html_output_and_on_the_web_page(
    which: str, options: list[str], parameters: str, oil_index: Path, stories_index: Path
) -> None:
    index = oil_index if which == "oil" else stories_index
    saved = hits_of(saved_page(index, *options))
    served = hits_of(web_page(index, f"/search?{parameters}"))
    assert len(saved) == len(served) > 3
    assert [without_links(h) for h in saved] == [without_links(h) for h in served]
    # what differs is where links lead: the web page to its own pages, the saved page only to
    # an article's http(s) URL, and there it shows each id instead
    served_links = [urlsplit(href) for hit in served for href in HREF.findall(hit)]
    assert served_links and all(
        not link.scheme and link.path.startswith(("/article/", "/search")) for link in served_links
    )
    saved_links = [href for hit in saved for href in HREF.findall(hit)]
    assert all(href.startswith("https://example.org/") for href in saved_links)
    assert all('<p class="ids">المعرّف: <code class="id" dir="ltr">' in hit for hit in saved)
    assert not any('class="ids"' in hit for hit in served)
    if which == "oil":
        assert len(saved_links) == len(saved) - 1  # all but the hostile article's javascript:
        [hostile] = [
            hit for hit in saved if f'<code class="id" dir="ltr">{HOSTILE_ID}</code>' in hit
        ]
        assert "&lt;script&gt;" in hostile and "&lt;b&gt;evil&lt;/b&gt;" in hostile
        assert "<script" not in hostile and "javascript:alert(document.domain)" in hostile
        assert '<bdi class="hijri">(' in saved[0]
    else:
        assert any('<p class="copies">+3 نسخ من الخبر نفسه: ' in hit for hit in saved)
