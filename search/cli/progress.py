"""What ``bahth index`` shows while it runs: problems above a progress bar on stderr."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from search.cli.base import MAX_PROBLEMS_SHOWN

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns

    from search import Indexer, Note, Progress, Reject

COMMIT_SHARE = {"whoosh": 0.9, "tantivy": 0.12, "xapian": 0.25}
"""The time an engine's commit takes, as a share of the time reading took before it.

The commit (the analyzing processes' last articles, then writing and merging segments, then
the vocabulary) cannot be timed until it runs, and it grows with the articles as the reading
does, on a fast machine or a slow one. Measured on SaudiNewsNet with two workers: whoosh 0.92
and 1.08 (5,000 articles), 0.65 (20,000); tantivy 0.12, xapian 0.25 (5,000). Without it,
whoosh's ETA at 90 % of the bytes was a tenth of the time left (issue 25)."""


class Problems:
    """Prints bad records as file:line: reason (the first few; all go to the rejects file),
    notes (an empty file, an unparsed date), and, always, the warnings about a dump that looks
    misread and the dump fields read as ours, each on a line of its own."""

    def __init__(self) -> None:
        self.shown = 0
        self.hidden = 0
        # Replaced by the progress view's, which prints above its bar.
        self.echo: Callable[[str], None] = lambda text: click.echo(text, err=True)

    def __call__(self, record: Reject | Note) -> None:
        from search import render

        # A reason quotes the dump (a file name, a date as written): its controls stay inert.
        self._print(record, lambda text: self.echo(render.neutral(text)))

    def _print(self, record: Reject | Note, echo: Callable[[str], None]) -> None:
        from search import Note, Reject

        if isinstance(record, Note) and record.kind == "skipped":
            echo(f"note: {record.file}: {record.message}")
            return
        if isinstance(record, Note) and record.is_warning:
            echo(f"warning: {record.message}")  # a few per run: always shown
            return
        if isinstance(record, Note) and record.kind == "fields":
            echo(record.message)
            return
        if self.shown < MAX_PROBLEMS_SHOWN:
            if isinstance(record, Reject):
                echo(f"rejected: {record}")
            elif record.kind == "empty":
                echo(f"warning: {record.file}: {record.message}")
            else:
                echo(f"note: {record}")
            self.shown += 1
        else:
            self.hidden += 1


class ProgressView:
    """An indexing run's progress on a terminal (stderr).

    While the dumps are read: click's bar over their bytes (compressed bytes for compressed
    files: the number of articles in a dump is not known until it has been read), with the
    articles read, articles/s, MB/s and the time left to read them. The rates are the last
    ``WINDOW`` seconds', measured up to now, so that they show a stall as it happens (and the
    clock keeps ticking through it). The ETA is the bytes left at the whole run's average
    speed: on a busy machine, where speed comes in bursts and stalls, a recent window made it
    jump (from 5 to 23 minutes within a minute, on SaudiNewsNet), while the average was off
    by a quarter on average and moved steadily. Then the commit (the analyzing processes'
    last articles, writing and merging segments) is a step of its own, with its duration.
    The ETA counts the commit too, as ``COMMIT_SHARE`` of the reading time for ``engine`` (the
    engine the run writes with; None: a run that commits nothing, or an engine not measured),
    and the commit step shows what is left of that estimate.
    Messages are printed on lines of their own above the bar.
    """

    WINDOW = 30.0  # seconds
    BAR_WIDTH = 20
    CLUTTER = len("reading  [") + BAR_WIDTH + len("]  ") + 1  # click's bar_template, a margin

    def __init__(self, engine: str | None = None) -> None:
        self.commit_share = COMMIT_SHARE.get(engine or "", 0.0)
        self.start = time.monotonic()
        # (time, bytes, records), oldest first; the rates are taken from the first to now
        self.samples: list[tuple[float, int, int]] = [(self.start, 0, 0)]
        from search import Progress

        self.progress = Progress("", 0, 0, 0, 0)
        self.phase = "reading"
        self.commit_start = 0.0
        self.commit_estimate = 0.0  # seconds, once reading is done
        self.commit_shown = ""
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self._tick, daemon=True)
        self.bar: ProgressBar[int] = click.progressbar(
            length=1,
            label="reading",
            file=sys.stderr,
            width=self.BAR_WIDTH,
            show_percent=False,
            show_eta=False,
            item_show_func=lambda _: self._info(),
        )

    def __enter__(self) -> ProgressView:
        self.bar.__enter__()
        self.ticker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.ticker.join()
        with self.lock:
            if self.phase == "reading":  # interrupted or failed while reading
                self.bar.render_finish()
            elif self.phase == "committing":
                click.echo(err=True)

    def update(self, progress: Progress) -> None:
        """``on_progress`` for ``Indexer``: move the bar, or begin or end the commit step."""
        with self.lock:
            now = time.monotonic()
            if progress.phase == "reading" and self.phase == "reading":
                self.progress = progress
                self.samples.append((now, progress.bytes_done, progress.records))
                while len(self.samples) > 2 and self.samples[1][0] <= now - self.WINDOW:
                    del self.samples[0]
                self.bar.length = max(progress.bytes_total, 1)
                self.bar.pos = min(progress.bytes_done, self.bar.length)
                self.bar.render_progress()
            elif progress.phase == "committing" and self.phase == "reading":
                self.progress = progress
                self.bar.pos = self.bar.length or 0
                self.bar.render_progress()
                self.bar.render_finish()
                took = now - self.start
                rate = progress.records / took if took else 0.0
                click.echo(
                    f"read {progress.records:,} articles ({_megabytes(progress.bytes_total)} MB) "
                    f"in {_duration(took)} ({rate:,.0f} articles/s)",
                    err=True,
                )
                self.phase, self.commit_start = "committing", now
                self.commit_estimate = self.commit_share * took
                self._commit_line()
            elif progress.phase == "committed" and self.phase == "committing":
                self.phase = "committed"
                self._replace_line(f"committed in {_duration(now - self.commit_start)}")
                click.echo(err=True)

    def echo(self, text: str) -> None:
        """Print ``text`` on a line of its own above the bar (or the commit step)."""
        with self.lock:
            if self.phase == "reading":
                sys.stderr.write("\r" + " " * (self.bar.max_width or 0) + "\r")
                click.echo(text, err=True)
                self.bar._last_line = None  # click draws only a changed line: draw it again
                self.bar.render_progress()
            elif self.phase == "committing":
                self._replace_line("")
                click.echo(text, err=True)
                self.commit_shown = ""
                self._commit_line()
            else:
                click.echo(text, err=True)

    def _tick(self) -> None:
        while not self.stopped.wait(1.0):
            with self.lock:
                if self.phase == "reading":
                    self.bar.render_progress()
                elif self.phase == "committing":
                    self._commit_line()

    def _commit_line(self) -> None:
        took = time.monotonic() - self.commit_start
        left = self.commit_estimate - took
        # Past its estimate, a commit has no honest ETA left to show: only its clock.
        eta = f", ETA {_eta(left)}" if left >= 1 else ""
        self._replace_line(f"committing (writing and merging segments) {_clock(took)}{eta}")

    def _replace_line(self, text: str) -> None:
        pad = " " * max(0, len(self.commit_shown) - len(text))
        sys.stderr.write(f"\r{text}{pad}")
        sys.stderr.flush()
        self.commit_shown = text

    def _info(self) -> str:
        """The text after the bar: what fits of percent, articles, rates, ETA, MB, clock."""
        p, now = self.progress, time.monotonic()
        since, bytes_then, records_then = self.samples[0]
        span = now - since
        byte_rate = (p.bytes_done - bytes_then) / span if span > 0 else 0.0
        rate = (p.records - records_then) / span if span > 0 else 0.0
        elapsed = now - self.start
        seconds = self.eta_seconds(now)
        eta = "?" if seconds is None else _eta(seconds)
        pct = 100 * p.bytes_done / p.bytes_total if p.bytes_total else 0.0
        parts = [  # (priority: 0 is kept longest, text)
            (0, f"{pct:3.0f}%"),
            (0, f"{p.records:,} articles"),
            (1, f"{rate:,.0f} articles/s"),
            (2, f"ETA {eta}"),
            (3, f"{_megabytes(p.bytes_done)}/{_megabytes(p.bytes_total)} MB"),
            (4, f"{byte_rate / 1e6:.2f} MB/s"),
            (5, _clock(elapsed)),
        ]
        room = shutil.get_terminal_size().columns - self.CLUTTER
        while len(parts) > 2 and len(", ".join(t for _, t in parts)) > room:
            parts.remove(max(parts, key=lambda part: part[0]))
        return ", ".join(t for _, t in parts)

    def eta_seconds(self, now: float | None = None) -> float | None:
        """The time left while reading: the bytes left at the run's average speed so far,
        then the commit's share of the whole reading time; None in the first seconds, when
        the queue of the analyzing processes is still filling. (The last ``WINDOW``'s speed,
        tried instead, made it worse: bytes are read in bursts as the queue drains, and it
        put the ETA at 50 % of 20,000 articles at 3.5 times the time left.)"""
        p = self.progress
        elapsed = (time.monotonic() if now is None else now) - self.start
        average = p.bytes_done / elapsed if elapsed > 0 else 0.0
        if average <= 0 or elapsed < 5:
            return None
        reading_left = max(p.bytes_total - p.bytes_done, 0) / average
        return reading_left + self.commit_share * (elapsed + reading_left)


def run_engine(indexer: Indexer, *, commits: bool = True) -> str | None:
    """The engine ``indexer``'s run writes with (``ProgressView``'s ``engine``): the one asked
    for, else the live index's, else the default; None for a run that ``commits`` nothing (a
    dry run) or an index that cannot be read (the run itself says why)."""
    from search import BahthError

    if not commits:
        return None
    try:
        return indexer.engine_name()
    except (BahthError, OSError):
        return None


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f}"


def _clock(seconds: float) -> str:
    """m:ss, or h:mm:ss."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _duration(seconds: float) -> str:
    """4.2 s below a minute, else m:ss."""
    return f"{seconds:.1f} s" if seconds < 60 else _clock(seconds)


def _eta(seconds: float) -> str:
    """A time left, rounded to what such an estimate can say (5 s, 10 s, a minute)."""
    if seconds < 60:
        return f"{round(seconds / 5) * 5} s"
    if seconds < 600:
        minutes, secs = divmod(round(seconds / 10) * 10, 60)
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
