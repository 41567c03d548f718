"""The web tests' archive: oil news from three sources over a year, and one hostile article."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from search import Indexer
from search.web import create_app
from tests.conftest import interruptible, jsonl

# The command, run by this interpreter: the working tree's code, installed script or not.
BAHTH = [sys.executable, "-c", "import sys; from search.cli import main; sys.exit(main())"]

SOURCES = ("alriyadh", "okaz", "alwatan")
OIL = "النفط"
OPENINGS = (
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار أوبك خفض الإنتاج",
    "تراجعت أسعار النفط مع زيادة المخزونات الأمريكية وتباطؤ الطلب",
    "قالت وزارة الطاقة إن صادرات النفط بلغت أعلى مستوى لها منذ سنوات",
    "أكد محللون أن سوق النفط تشهد تقلبات حادة بسبب التوترات في المنطقة",
)
BODY = (
    "{opening}.\n"
    "وأوضح التقرير أن العقود الآجلة للخام سجلت مكاسب أسبوعية، فيما تترقب الأسواق بيانات "
    "المخزونات. {extra}\n"
    "ويرى خبراء أن ميزانية الدولة تعتمد على إيرادات النفط والغاز، وأن تنويع الاقتصاد بات ضرورة."
)
HOSTILE_ID = "evil/1 x?y"
HOSTILE_TITLE = '<script>alert("title")</script> النفط <img src=x onerror=alert(1)>'


def oil_articles() -> list[dict[str, object]]:
    """22 articles holding النفط (8 of them also الغاز in the title), dated through 2015,
    and one with HTML in every field and a ``javascript:`` url."""
    articles: list[dict[str, object]] = []
    for n in range(22):
        day = dt.date(2015, 1, 5) + dt.timedelta(days=16 * n)
        gas = n % 3 == 0
        articles.append(
            {
                "id": f"oil-{n:02d}",
                "title": f"{'النفط والغاز' if gas else 'أسواق النفط'}: تقرير رقم {n + 1}",
                "body": BODY.format(
                    opening=OPENINGS[n % len(OPENINGS)],
                    extra="وارتفعت أسعار الغاز الطبيعي كذلك." if n % 4 == 1 else "",
                ),
                "date": day.isoformat(),
                "source": SOURCES[n % len(SOURCES)],
                "category": "economy" if n % 2 else "energy",
                "url": f"https://example.org/{SOURCES[n % len(SOURCES)]}/oil-{n}",
            }
        )
    articles.append(
        {
            "id": HOSTILE_ID,
            "title": HOSTILE_TITLE,
            "body": "</p><script>alert(2)</script> خبر عن النفط "
            '<a href="javascript:alert(3)">هنا</a>',
            "date": "2016-01-01",
            "source": "<b>evil</b>",
            "category": "economy",
            "url": "javascript:alert(document.domain)",
        }
    )
    return articles


def build_oil_index(directory: Path) -> Path:
    dump = directory / "oil.jsonl"
    dump.write_text(jsonl(oil_articles()), encoding="utf-8")
    index = directory / "index"
    report = Indexer(index).add_files([dump])
    assert (report.added, report.rejected) == (23, 0), report
    return index


@pytest.fixture(scope="module")
def oil_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The oil archive, built once per module (of the engine the module runs on), read-only."""
    return build_oil_index(tmp_path_factory.mktemp("oil"))


@pytest.fixture(scope="module")
def client(oil_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(oil_index)) as test_client:
        yield test_client


class Element:
    """An element of a parsed page: tag, attributes, text (its descendants' too), children."""

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[Element] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag and (cls is None or cls in child.classes):
                found.append(child)
            found.extend(child.find_all(tag, cls))
        return found

    def find(self, tag: str, cls: str | None = None) -> Element:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls}>"
        return found[0]


_VOID = {"meta", "link", "input", "br", "img", "hr"}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.parts.append(data)


def parse_html(text: str) -> Element:
    """The page as a tree of ``Element``s (the standard library's tolerant parser)."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- bahth serve as a process ----------------------------------------------------------------

_URL = re.compile(r"at (http://\S+/)$")


@contextlib.contextmanager
def running_server(index: Path, *arguments: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``bahth serve --index INDEX --port 0 ARGUMENTS`` in a child process: (its URL, the
    process), once it says where it listens; interrupted (Ctrl-C) afterwards."""
    command = [*BAHTH, "serve", "--index", str(index), "--port", "0", *arguments]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    server = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=interruptible
    )
    assert server.stderr is not None
    try:
        first = server.stderr.readline()  # written once the socket listens
        found = _URL.search(first.strip())
        assert found, first + server.stderr.read()
        yield found[1], server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server.stderr.close()
