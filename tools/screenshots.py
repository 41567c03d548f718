"""Screenshots of ``bahth serve``'s pages for the docs, at a phone's width and a desktop's.

    python -m tools.screenshots --index DIR [--out docs/screenshots] [--only NAME ...]

Serves the index (``bahth serve --port 0``, a child process), opens each state of ``STATES`` in
headless Chromium (Debian's ``chromium``, driven by Playwright: the test extra) and writes
``NAME-phone.png`` (390 px wide) and ``NAME-desktop.png`` (1280 px wide): the top of the page
(``SCREENS``), at one pixel per CSS pixel, reduced to 256 colours when Pillow is installed so
that each file stays small (< 150 KB) for the README.

A state is a name, the path (with its query) of a page, and the CSS selector of the part of the
page to show ("" for its top; a ``<details>`` is shown open). ``{first_hit}`` in a path stands
for the id of the first hit of ``FIRST_HIT_QUERY`` in the index served, ``{first_copied}`` for
the first of its stories' articles that has copies, so that the article states work on any
index. Adding a state is adding its line to ``STATES``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

# (name, path with query, the part shown): one line a state.
STATES: tuple[tuple[str, str, str], ...] = (
    ("home", "/", ""),
    ("results", "/search?q=أسعار النفط", ""),
    ("results-source", "/search?q=أسعار النفط&source=alriyadh", ""),
    ("no-results-filter", "/search?q=أسعار النفط&source=okaz&since=2018", ""),
    ("article", "/article/{first_hit}?q=أسعار النفط", ""),
    ("bad-query", '/search?q=أسعار "النفط', ""),
    ("facets-more", "/search?q=أسعار النفط", "nav.facets"),
    ("timeline", "/search?q=الحج&since=2015&until=2015", "figure.timeline"),
    ("autocorrected", "/search?q=الامرات", ""),
    ("english", "/search?q=أسعار النفط&lang=en", ""),
    ("article-copies", "/article/{first_copied}?q=أسعار النفط", "section.copies-of"),
    ("explained", "/article/{first_hit}?q=أسعار النفط&explain=1", "details.why"),
    ("variants", "/search?q=ميونخ", ""),
)
FIRST_HIT_QUERY = "أسعار النفط"
# CSS px: the window, and the height of the picture (the top of the page, from one screen to
# two: a phone shows little at once).
SCREENS = {"phone": (390, 844, 1400), "desktop": (1280, 800, 1000)}
LARGEST = 150_000  # bytes: a file bigger than this is reported
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_URL = re.compile(r"at (http://\S+/)$")


def _interruptible() -> None:
    # A shell without job control starts background commands with SIGINT ignored, which the
    # child would inherit and never stop on the interrupt that ends it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def serving(index: Path) -> Iterator[str]:
    """``bahth serve`` of ``index`` on a free port in a child process: its URL (no trailing
    slash) while the block runs, interrupted afterwards."""
    command = [
        sys.executable,
        "-c",
        "import sys; from search.cli import main; sys.exit(main())",
        *("serve", "--index", str(index), "--port", "0"),
    ]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    server = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_interruptible
    )
    assert server.stderr is not None
    try:
        first = server.stderr.readline()  # written once the socket listens
        found = _URL.search(first.strip())
        if not found:
            raise SystemExit(f"bahth serve did not start: {first}{server.stderr.read()}")
        yield found[1].rstrip("/")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server.stderr.close()


def first_hit(site: str, query: str, *, copied: bool = False) -> str:
    """The id of the first hit of ``query`` on the served index (its JSON API); ``copied``:
    of the first with copies, its stories collapsed."""
    asked = "&collapse=1&limit=100" if copied else "&limit=1"
    with urlopen(f"{site}/api/search?q={quote(query)}{asked}") as response:
        hits = [h for h in json.load(response)["hits"] if not copied or h.get("duplicates")]
    if not hits:
        raise SystemExit(f"no hit for {query!r}: pick another FIRST_HIT_QUERY")
    return str(hits[0]["id"])


def small_png(png: bytes) -> bytes:
    """``png`` reduced to 256 colours (text and flat colours lose nothing visible), when Pillow
    is installed; else as it is."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def take(site: str, out: Path, states: list[tuple[str, str, str]], chromium: str) -> list[Path]:
    """Screenshots of ``states`` on ``site`` written into ``out``: their paths."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for screen, (width, height, shown) in SCREENS.items():
            phone = screen == "phone"
            context = browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                is_mobile=phone,
                has_touch=phone,
                locale="ar",
            )
            page = context.new_page()
            for name, path, part in states:
                response = page.goto(site + path)
                if response is None:
                    raise SystemExit(f"{name}: no response for {path}")
                page.wait_for_selector("footer")
                target = out / f"{name}-{screen}.png"
                if part:
                    shown_part = page.locator(part).first
                    shown_part.evaluate("e => { if (e.localName === 'details') e.open = true; }")
                    picture = shown_part.screenshot()
                else:
                    picture = page.screenshot(
                        full_page=True, clip={"x": 0, "y": 0, "width": width, "height": shown}
                    )
                target.write_bytes(small_png(picture))
                written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, serve the index and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="the index to serve")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", metavar="NAME", help="these states only")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    states = [s for s in STATES if not args.only or s[0] in args.only]
    if args.only and len(states) != len(set(args.only)):
        parser.error(f"states are: {', '.join(name for name, _, _ in STATES)}")
    with serving(args.index) as site:
        for mark, copied in (("{first_hit}", False), ("{first_copied}", True)):
            if any(mark in path for _, path, _ in states):
                hit = quote(first_hit(site, FIRST_HIT_QUERY, copied=copied), safe="")
                states = [(name, path.replace(mark, hit), part) for name, path, part in states]
        written = take(site, args.out, states, args.chromium)
    too_big = 0
    for path in written:
        size = path.stat().st_size
        too_big += size > LARGEST
        print(f"{size / 1000:6.0f} KB  {path}{'  (too big)' if size > LARGEST else ''}")
    return 1 if too_big else 0


if __name__ == "__main__":
    sys.exit(main())
