"""Distinct, realistic articles made from the shared news corpora, as many as a scale run needs.

    python -m benchmarks.scale.generate --articles 290000 --out FILE [--seed 24]

Repeating the 72,716 shared articles with new ids makes every article one of N exact or near
copies, which is not what a large archive looks like (stories would hold N articles each). So
each generated article recombines several real articles of one source and one month:

* its title joins the first half of one article's title to the second half of another's;
* its body is a lede (the first sentences of the main article) followed by a run of sentences
  from each of one to three more articles, each run a paragraph;
* it gets a new id, a date in that month (random day and time), a URL under ``scale.invalid``,
  the real source and the main article's category.

Runs of sentences from several articles share few 5-word shingles with any other generated
article, so stories (``search.stories``, Jaccard 0.5) stay small. On top of that, a controlled
share (``NEAR_COPY_SHARE``) are *true* near-copies of a recent generated article of the same
group: the same title (or one word shorter), one sentence dropped or one added, a date up to
36 hours later, as a republication would be.

Groups (source, month) are generated in date order, each given a share of the articles in
proportion to its real size, so a file is chronological by month and its last articles are the
newest. Every (title, body) in a file is distinct. Records are streamed to the file; the real
articles are held in memory (a few hundred MB), so a harness runs this in a child process.
The same corpora, seed and count give the same bytes.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import email.utils
import hashlib
import json
import random
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.core.corpora import CORPORA, DEFAULT_DATA, read_records

NEAR_COPY_SHARE = 0.05
"""Share of generated articles that are near-copies of a recent one (the rest are new)."""
RECENT = 64  # how many of a group's latest articles a near-copy may copy
MIN_GROUP = 6  # a (source, month) with fewer real articles joins the next month of its source
TRIES = 32  # attempts at a distinct article before the group's pool is declared too small
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\s*\n+\s*")
ADDED_SENTENCES = (
    "وأضاف المصدر أن التفاصيل ستعلن في وقت لاحق.",
    "وقالت مصادر مطلعة إن الاتصالات ما زالت جارية.",
    "ولم يصدر أي تعليق رسمي حتى الآن.",
    "ويأتي ذلك في سياق تطورات متسارعة تشهدها المنطقة.",
)


@dataclass(frozen=True)
class Original:
    """A real article, as much of it as recombination needs."""

    title: str
    body: str
    category: str | None


def month_of(date: object) -> tuple[int, int] | None:
    """(year, month) of a date in one of the corpora's forms (ISO 8601, RFC 2822), or None."""
    if not isinstance(date, str) or not date.strip():
        return None
    text = date.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return parsed.year, parsed.month


def load_groups(data: Path) -> dict[tuple[int, int, str], list[Original]]:
    """The real articles with a title, a body and a readable date, by (year, month, source),
    in file order; groups smaller than ``MIN_GROUP`` joined to the next month of their source."""
    groups: dict[tuple[int, int, str], list[Original]] = {}
    for relative in CORPORA.values():
        for record in read_records(data / relative):
            title = (record.get("title") or "").strip()
            body = (record.get("body") or "").strip()
            month = month_of(record.get("date"))
            if not title or not body or month is None:
                continue
            key = (*month, str(record.get("source") or "unknown"))
            groups.setdefault(key, []).append(Original(title, body, record.get("category")))
    merged: dict[tuple[int, int, str], list[Original]] = {}
    carried: dict[str, list[Original]] = {}
    for key in sorted(groups):
        articles = carried.pop(key[2], []) + groups[key]
        if len(articles) < MIN_GROUP:
            carried[key[2]] = articles
        else:
            merged[key] = articles
    for source, articles in carried.items():  # a source's last months, still too small
        last = max((k for k in merged if k[2] == source), default=None)
        if last is not None:
            merged[last] = merged[last] + articles
    return merged


def allocate(sizes: list[int], total: int) -> list[int]:
    """``total`` split in proportion to ``sizes`` (largest remainders), summing exactly."""
    whole = sum(sizes)
    exact = [total * size / whole for size in sizes]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def sentences(body: str) -> list[str]:
    """A body cut into sentences (and paragraphs), empty pieces left out."""
    return [s for s in SENTENCE_END.split(body) if s.strip()]


def _run(rng: random.Random, items: list[str], share: float, *, lede: bool = False) -> list[str]:
    """A contiguous run of about ``share`` of ``items`` (from the start for a lede)."""
    length = max(1, round(len(items) * share))
    start = 0 if lede else rng.randrange(len(items) - length + 1)
    return items[start : start + length]


def _title(rng: random.Random, first: str, second: str) -> str:
    a, b = first.split(), second.split()
    if len(a) < 4 or len(b) < 4:
        return first
    return " ".join(a[: len(a) // 2 + rng.randrange(2)] + b[len(b) // 2 :])


def recombine(rng: random.Random, group: list[Original]) -> tuple[str, str, str | None]:
    """A new (title, body, category) from two to four articles of ``group``."""
    parts = rng.sample(group, min(len(group), rng.randint(2, 4)))
    share = 1 / len(parts)
    paragraphs = [" ".join(_run(rng, sentences(parts[0].body), share * 1.5, lede=True))]
    for part in parts[1:]:
        paragraphs.append(" ".join(_run(rng, sentences(part.body), share * rng.uniform(0.6, 1.2))))
    title = _title(rng, parts[0].title, parts[-1].title)
    return title, "\n".join(paragraphs), parts[0].category


def near_copy(rng: random.Random, title: str, body: str) -> tuple[str, str]:
    """A republication of (title, body): one sentence dropped or one added, the title kept
    or one word shorter. Shingle similarity stays well above the stories' threshold."""
    pieces = sentences(body)
    if len(pieces) >= 5 and rng.random() < 0.6:
        del pieces[rng.randrange(1, len(pieces))]
    else:
        pieces.insert(rng.randrange(1, len(pieces) + 1), rng.choice(ADDED_SENTENCES))
    words = title.split()
    if len(words) > 4 and rng.random() < 0.5:
        title = " ".join(words[:-1])
    return title, "\n".join(pieces)


def _digest(title: str, body: str) -> bytes:
    return hashlib.blake2b(f"{title}\x00{body}".encode(), digest_size=12).digest()


def _date(rng: random.Random, year: int, month: int) -> dt.datetime:
    days = calendar.monthrange(year, month)[1]
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    return start + dt.timedelta(seconds=rng.randrange(days * 86_400))


def _month_end(moment: dt.datetime) -> dt.datetime:
    days = calendar.monthrange(moment.year, moment.month)[1]
    return moment.replace(day=days, hour=23, minute=59, second=59)


def generate(
    count: int,
    *,
    seed: int = 24,
    data: Path = DEFAULT_DATA,
    groups: dict[tuple[int, int, str], list[Original]] | None = None,
) -> Iterator[dict[str, Any]]:
    """``count`` distinct generated articles (records in the dumps' JSON form), oldest month
    first. Ids are ``s<seed>-<number>``; ``near_copy_of`` names the article a near-copy
    copies (null for a new one), for tests and analysis; Bahth ignores the field. ``groups``:
    ``load_groups(data)`` read earlier (it is read here otherwise)."""
    groups = load_groups(data) if groups is None else groups
    keys = list(groups)  # sorted by (year, month, source) in load_groups
    quotas = allocate([len(groups[k]) for k in keys], count)
    rng = random.Random(seed)
    number = 0
    for (year, month, source), quota in zip(keys, quotas, strict=True):
        group = groups[(year, month, source)]
        seen: set[bytes] = set()
        recent: deque[dict[str, Any]] = deque(maxlen=RECENT)
        for _ in range(quota):
            for _attempt in range(TRIES):
                original = rng.choice(recent) if recent and rng.random() < NEAR_COPY_SHARE else None
                if original is None:
                    title, body, category = recombine(rng, group)
                    date = _date(rng, year, month)
                else:
                    title, body = near_copy(rng, original["title"], original["body"])
                    category = original["category"]
                    later = dt.datetime.fromisoformat(original["date"])
                    later += dt.timedelta(seconds=rng.randrange(600, 36 * 3_600))
                    date = min(later, _month_end(dt.datetime(year, month, 1, tzinfo=dt.UTC)))
                if (digest := _digest(title, body)) not in seen:
                    break
            else:
                raise ValueError(f"{source} {year}-{month:02}: too few articles for {quota}")
            seen.add(digest)
            number += 1
            ident = f"s{seed}-{number:08d}"
            record = {
                "id": ident,
                "title": title,
                "body": body,
                "date": date.isoformat(),
                "source": source,
                "category": category,
                "url": f"https://scale.invalid/{year}/{month:02}/{ident}",
                "near_copy_of": original["id"] if original else None,
            }
            recent.append(record)
            yield record


def write(records: Iterator[dict[str, Any]], splits: list[tuple[Path, int]]) -> list[int]:
    """Stream ``records`` into the files of ``splits``, each ``(path, how many)`` in turn;
    returns how many each file got (fewer when the records run out)."""
    written = []
    for path, wanted in splits:
        done = 0
        with path.open("w", encoding="utf-8") as sink:
            for record in records:
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                done += 1
                if done == wanted:
                    break
        written.append(done)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write ``--articles`` generated articles to ``--out``, then ``--extra`` more to each
    ``--then`` file (the update batches of a scale run), and print the counts as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale.generate", description=__doc__
    )
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--then", type=Path, nargs="*", default=[], metavar="FILE")
    parser.add_argument("--extra", type=int, nargs="*", default=[], metavar="N")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if len(args.then) != len(args.extra):
        parser.error("give as many --extra counts as --then files")
    total = args.articles + sum(args.extra)
    splits = [(args.out, args.articles), *zip(args.then, args.extra, strict=True)]
    written = write(generate(total, seed=args.seed, data=args.data), splits)
    print(json.dumps({"written": written}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
