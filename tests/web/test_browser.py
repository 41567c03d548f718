"""bahth serve in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Types a query, sees the marked words, changes page, applies a filter, opens an article, and
saves screenshots of the results and article pages in the test's temporary directory. Skipped
when Chromium is not installed, unless ``BAHTH_REQUIRE_BROWSER`` is set (as ``.ci/run`` does,
having installed it), where a missing browser fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from search import Indexer
from tests.conftest import jsonl
from tests.web.conftest import BODY, HOSTILE_TITLE, OIL, OPENINGS, oil_articles, running_server

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
    from playwright.sync_api import Browser, Dialog, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="ar")
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
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
    # Each hit's source: a link to its results alone, named by the paper's name (a label).
    sources = page.locator("ol.hits .meta a.source")
    hrefs = {sources.nth(n).get_attribute("href") or "" for n in range(sources.count())}
    assert hrefs and all(parse_qs(urlsplit(h).query)["source"] == ["okaz"] for h in hrefs)
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


# --- layout: every kind of page at a phone's width and a desktop's ----------------------------

PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TAP = 44  # CSS px: the least width and height of a tap target on a touch screen (WCAG 2.5.5)
# A 120-letter word with no break in it, a 300-character URL and a 100-character id: strings
# that a line cannot break at a space, which a narrow page must still wrap.
LONG_WORD = ("استقلالية" * 14)[:120]
LONG_URL = ("https://example.org/news/" + "%D8%A7%D9%84%D9%86%D9%81%D8%B7" * 12)[:300]
LONG_ID = "long-" + "0123456789abcdef" * 6 + "-end"
LONG_SOURCE = "internationalNewsAgencyOfTheGulfRegionLongName"
MISSPELLED = "النفظ"  # النفط with ظ for ط, a slip of the ear: no article writes it
PAPERS = [f"paper{n:02d}" for n in range(14)]  # sources enough for "more"
COPIED = "copy-0"  # an article with two copies, from other papers
WIRE = (  # the copies' one text, a wire story: no other article shares its sentences
    "قررت منظمة أوبك في اجتماعها الوزاري الإبقاء على سقف الإنتاج دون تغيير حتى نهاية العام، "
    "وقال الأمين العام للمنظمة إن الأسواق تحتاج إلى الاستقرار بعد أشهر من التقلبات الحادة. "
    "وأضاف أن الدول الأعضاء ستراجع القرار في اجتماعها المقبل في فيينا، مشيرا إلى أن الطلب "
    "العالمي على الخام يتعافى ببطء في آسيا وأوروبا، فيما تبقى المخزونات التجارية مرتفعة."
)
# Every kind of page: its path, and what shows that it is that page.
WIDE_PAGES = {
    "home": ("/", "main form.search"),
    "results": (f"/search?q={OIL}&sort=date", "nav.pages a[rel=next]"),
    "results-filtered": (
        f"/search?q={OIL}&sort=date&source={LONG_SOURCE}&exact=1",
        "a.chip >> nth=1",
    ),
    "article": ("/article/" + LONG_ID, "p.original a"),
    "article-unlinked-url": ("/article/long-unlinked", "p.original .url"),
    "not-found": ("/article/no-such-article", "section.error"),
    "bad-query": (f"/search?q=({OIL} {LONG_WORD}", "section.error"),
    "no-results": (f"/search?q={OIL}&source=okaz&since=2016-06", "a.chip"),
    "past-the-last-page": (f"/search?q={OIL}&page=40", "nav.pages a"),
    # What a reader meets (issue 25): a field typed in the box, the page in English, every
    # source behind "more", the timeline, an autocorrected search, an article's copies.
    "source-in-the-box": (f"/search?q={OIL} source:okaz", "a.chip"),
    "english": (f"/search?q={OIL}&lang=en", "html[lang=en] a.language"),
    "facets-more": (f"/search?q={OIL}", "nav.facets details.more summary"),
    "timeline": (f"/search?q={OIL}", "figure.timeline svg a"),
    "autocorrected": (f"/search?q={MISSPELLED}", "p.suggestion.corrected a"),
    "article-copies": (f"/article/{COPIED}?q={OIL}", "section.copies-of a"),
    "explained": (f"/search?q={OIL} {LONG_WORD}&explain=1", "details.why table"),
    "article-explained": (f"/article/{COPIED}?q={OIL}&explain=1", "details.why table"),
}
# What a finger taps: page links, facets, chips, the sort links, the form's controls.
TARGETS = (
    "nav.pages a, nav.pages b, nav.facets a, nav.refine a, a.chip, form.search button,"
    " form.search select, form.search input:not([type=checkbox]), details summary, label.check,"
    " ul.unfiltered a, a.back, a.language"
)


def long_articles() -> list[dict[str, object]]:
    """The oil archive and, newest of all, three articles with strings that do not break: the
    long word in a title and text, a long URL (linked, and not linkable), a long id and source."""
    body = f"{OPENINGS[0]} {LONG_WORD}. {LONG_URL}\n{BODY}"
    long: list[dict[str, object]] = [
        {
            "id": LONG_ID,
            "title": f"{LONG_WORD} {OIL} {LONG_WORD}",
            "body": body,
            "date": "2016-03-01",
            "source": LONG_SOURCE,
            "category": "economy",
            "url": LONG_URL,
            "keywords": [LONG_WORD, LONG_ID],
        },
        {
            "id": "long-unlinked",
            "title": f"{OIL} {LONG_URL}",
            "body": body,
            "date": "2016-02-01",
            "source": LONG_SOURCE,
            "category": "energy",
            "url": "ftp" + LONG_URL[5:],
        },
        {
            "id": LONG_ID + "-2",
            "title": f"{OIL}: {LONG_ID}",
            "body": body,
            "date": "2016-02-15",
            "source": "okaz",
            "category": LONG_SOURCE,
            "url": LONG_URL,
        },
    ]
    copies: list[dict[str, object]] = [
        {
            "id": f"copy-{n}",
            "title": f"{OIL}: أوبك تبقي على سقف الإنتاج",
            "body": WIRE,
            "date": f"2016-04-0{n + 1}",
            "source": PAPERS[n],
            "category": "economy",
        }
        for n in range(3)
    ]
    papers: list[dict[str, object]] = [
        {
            "id": f"paper-{n}",
            "title": f"{OIL} في صحيفة {n}",
            "body": f"{OPENINGS[n % len(OPENINGS)]} في عدد رقم {n} من الصحيفة.",
            "date": f"2016-05-{n + 1:02d}",
            "source": source,
            "category": "economy",
        }
        for n, source in enumerate(PAPERS)
    ]
    return oil_articles() + long + copies + papers


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("long")
    dump = directory / "long.jsonl"
    dump.write_text(jsonl(long_articles()), encoding="utf-8")
    index = directory / "index"
    report = Indexer(index).add_files([dump])
    assert report.rejected == 0, report
    with running_server(index) as (url, _):
        yield url.rstrip("/")


@contextlib.contextmanager
def _open(browser: object, site: str, name: str, viewport: dict[str, int]) -> Iterator[Any]:
    """A page at ``viewport``, a phone's (touch, mobile) when narrow, showing ``WIDE_PAGES``'s
    page ``name``."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport={"width": viewport["width"], "height": viewport["height"]},
        is_mobile=phone,
        has_touch=phone,
        locale="ar",
        device_scale_factor=1,
    )
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        path, shown = WIDE_PAGES[name]
        page.goto(site + path)
        page.wait_for_selector("footer")
        assert page.locator(shown).count(), f"{name}: no {shown} on {path}"
        yield page
    finally:
        context.close()


def _shot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


# Boxes of every element drawn outside the page's width, however it is clipped: text cut at
# the edge counts as much as a page that scrolls sideways.
_OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll('*')].flatMap(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.left >= -0.5 && r.right <= width + 0.5)) return [];
    const where = `${Math.round(r.left)}..${Math.round(r.right)}`;
    return [`<${e.localName} class="${e.className}"> ${where}`];
  });
}"""
_SMALL = """([selector, least]) => [...document.querySelectorAll(selector)].flatMap(e => {
  const r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return [];  // not shown (a closed <details>)
  if (e.closest('svg')) return [];  // a chart's bar: its table's link is the one to tap
  if (r.width >= least - 0.5 && r.height >= least - 0.5) return [];
  return [`<${e.localName}> ${JSON.stringify(e.textContent.trim().slice(0, 30))}`
          + ` ${r.width.toFixed(1)}×${r.height.toFixed(1)}`];
})"""


@pytest.mark.parametrize(
    "viewport", [PHONE, NARROW_PHONE, DESKTOP], ids=["phone", "narrow-phone", "desktop"]
)
@pytest.mark.parametrize("name", list(WIDE_PAGES))
def test_no_page_is_wider_than_the_screen(
    browser: object, wide_site: str, tmp_path: Path, name: str, viewport: dict[str, int]
) -> None:
    width = viewport["width"]
    with _open(browser, wide_site, name, viewport) as page:
        # What a reader opens counts too (the options, the facets' more, the explanations).
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        outside = page.evaluate(_OUTSIDE)
        if scroll_width > width or outside:
            shot = _shot(page, tmp_path, f"{name}-{width}")
            pytest.fail(
                f"{name} at {width} px: {scroll_width} px wide, drawn outside: {outside[:8]}; "
                f"screenshot: {shot}"
            )


@pytest.mark.parametrize("name", list(WIDE_PAGES))
def test_tap_targets_are_big_enough_on_a_phone(
    browser: object, wide_site: str, tmp_path: Path, name: str
) -> None:
    with _open(browser, wide_site, name, PHONE) as page:
        # The form's options, their selects and check boxes, shown (no click: a click would
        # wait for a page cut at the edge to be still, and the test fail on its timeout).
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")  # a touch screen
        small = page.evaluate(_SMALL, [TARGETS, TAP])
        if small:
            shot = _shot(page, tmp_path, f"{name}-targets")
            pytest.fail(f"{name}: smaller than {TAP}×{TAP} px: {small[:10]}; screenshot: {shot}")


# --- what a reader does: the page's own controls, clicked --------------------------------------


def test_a_field_typed_in_the_box_filters_as_the_option_does(
    browser: object, wide_site: str
) -> None:
    with _open(browser, wide_site, "home", PHONE) as page:
        page.fill("input[name=q]", f"{OIL} source:okaz")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("a.chip")
        assert page.input_value("input[name=q]") == OIL  # the field became the filter's chip
        sources = page.locator("ol.hits .meta a.source")
        hrefs = {sources.nth(n).get_attribute("href") or "" for n in range(sources.count())}
        assert hrefs and all(parse_qs(urlsplit(h).query)["source"] == ["okaz"] for h in hrefs)
        typed = page.locator("p.totals").inner_text()
        page.goto(f"{wide_site}/search?q={OIL}&source=okaz")
        assert page.locator("p.totals").inner_text().split("·")[0] == typed.split("·")[0]


def test_the_language_switch_keeps_the_page_and_the_language(
    browser: object, wide_site: str
) -> None:
    with _open(browser, wide_site, "results", PHONE) as page:
        page.click("a.language")
        page.wait_for_selector("html[lang=en]")
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.locator("ol.hits li.hit").count() == 10
        page.fill("input[name=q]", "أسعار")
        page.press("input[name=q]", "Enter")  # a new search stays in English
        page.wait_for_selector("ol.hits li.hit")
        assert page.locator("html").get_attribute("lang") == "en"
        page.click("a.language")
        page.wait_for_selector("html[lang=ar]")


def test_more_sources_open_and_each_filters(browser: object, wide_site: str) -> None:
    with _open(browser, wide_site, "facets-more", PHONE) as page:
        hidden = page.locator("nav.facets details.more a")
        assert hidden.count() > 0 and not hidden.first.is_visible()
        page.click("nav.facets details.more summary")
        assert hidden.first.is_visible()
        assert not page.evaluate(_SMALL, ["nav.facets a", TAP])
        count = int(hidden.first.locator("small").inner_text().replace(",", ""))
        hidden.first.click()
        page.wait_for_selector("a.chip")
        assert page.locator("ol.hits li.hit").count() == min(count, 10)


def test_a_bar_of_the_timeline_leads_to_its_month(browser: object, wide_site: str) -> None:
    with _open(browser, wide_site, "timeline", DESKTOP) as page:
        bar = page.locator("figure.timeline svg a").first
        said = bar.locator("title").text_content() or ""
        period, count = said.rsplit(": ", 1)
        bar.click()
        page.wait_for_selector("a.chip")
        query = parse_qs(urlsplit(page.url).query)
        assert query["since"] == query["until"] == [period.strip()]
        totals = page.locator("p.totals strong").all_inner_texts()
        assert totals[0].replace(",", "") == count.replace(",", "")


def test_an_autocorrected_search_links_back_to_the_typed_one(
    browser: object, wide_site: str
) -> None:
    with _open(browser, wide_site, "autocorrected", PHONE) as page:
        assert page.locator("ol.hits li.hit").count() > 0
        assert page.locator("ol.hits mark").first.inner_text().endswith("نفط")
        page.click("p.suggestion.corrected a")
        page.wait_for_url(lambda url: "autocorrect=0" in url)
        assert page.locator("p.suggestion.corrected").count() == 0
        assert page.locator("ol.hits li.hit").count() == 0


def test_an_article_lists_its_copies_and_each_opens(browser: object, wide_site: str) -> None:
    with _open(browser, wide_site, "article-copies", PHONE) as page:
        links = page.locator("section.copies-of a")
        titles = links.all_inner_texts()
        assert len(titles) == 2
        links.first.click()
        page.wait_for_selector("section.copies-of a")
        assert page.locator("article h1").inner_text() == titles[0]
        assert COPIED in page.locator("section.copies-of").inner_html()
