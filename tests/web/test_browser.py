"""bahth serve in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Types a query, sees the marked words, changes page, applies a filter, opens an article, and
saves screenshots of the results and article pages in the test's temporary directory. Skipped
when Chromium is not installed, unless ``BAHTH_REQUIRE_BROWSER`` is set (as ``.ci/run`` does,
having installed it), where a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.conftest import HOSTILE_TITLE, OIL, running_server

pytestmark = pytest.mark.slow  # a real browser: seconds to start

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start. Nothing
# that would reach the network (the test page loads nothing from it anyway).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000  # a busy CI machine; every wait ends as soon as its element is there


def _missing(reason: str) -> None:
    if os.environ.get("BAHTH_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (BAHTH_REQUIRE_BROWSER is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        _missing("Chromium is not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(oil_index: Path) -> Iterator[str]:
    with running_server(oil_index) as (url, _):
        yield url


def test_search_page_and_filter_and_article_in_a_browser(
    browser: object, site: str, tmp_path: Path
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="ar")
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Type a query, see the marked words.
    page.goto(site)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=q]", OIL)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.hits li.hit .snippet mark")
    marks = page.locator("ol.hits .snippet mark").all_inner_texts()
    assert marks and all("نفط" in m for m in marks)
    assert page.locator("ol.hits li.hit").count() == 10
    page.screenshot(path=tmp_path / "results.png", full_page=True)
    # A title from the dump with HTML in it is text on the page, and nothing ran.
    # (On some engines it ranks on this page; as text, its tags make no element.)
    expect(page.locator("ol.hits script, ol.hits img")).to_have_count(0)
    first_page = page.locator("ol.hits h2").all_inner_texts()

    # Change page.
    page.click("nav.pages a[rel=next]")
    page.wait_for_selector("nav.pages b[aria-current=page]:text-is('2')")
    assert page.locator("ol.hits").get_attribute("start") == "11"
    second_page = page.locator("ol.hits h2").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)

    # Apply a filter through the form's options.
    page.click("details.options summary")
    page.select_option("select[name=source]", "okaz")
    page.click("form.search button[type=submit]")
    page.wait_for_url(lambda url: "source=okaz" in url)
    page.wait_for_selector("ol.hits li.hit")
    assert set(page.locator("ol.hits .meta a.source").all_inner_texts()) == {"okaz"}
    assert page.locator("a.chip").count() == 1
    assert parse_qs(urlsplit(page.url).query)["q"] == [OIL]

    # Open an article: the query's words are marked through the whole text.
    page.click("ol.hits li.hit h2 a >> nth=0")
    page.wait_for_selector("article .body mark")
    assert all("نفط" in m for m in page.locator("article .body mark").all_inner_texts())
    assert page.locator("article .body mark").count() >= 2
    original = page.locator("p.original a").get_attribute("href")
    assert original is not None and original.startswith("https://example.org/okaz/")
    page.screenshot(path=tmp_path / "article.png", full_page=True)

    # The hostile article: its javascript: url is shown, never linked; nothing runs.
    page.goto(site + "search?q=" + OIL + "&sort=date")
    page.click("ol.hits li.hit h2 a >> nth=0")
    page.wait_for_selector("article h1")
    assert page.locator("article h1").inner_text() == HOSTILE_TITLE
    assert page.locator("a[href^='javascript']").count() == 0
    assert "javascript:" in page.locator("p.original").inner_text()
    assert dialogs == [] and errors == []
    for name in ("results.png", "article.png"):
        assert (tmp_path / name).stat().st_size > 10_000
