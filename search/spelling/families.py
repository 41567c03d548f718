"""Word families of the archive: its stems grouped by root, for a rare word's fallback.

A word the archive does not hold as the reader wrote it (a possessive on a broken
plural, a verb with an object pronoun: forms the light stemmer leaves apart) still has a
family there: its root's other words. ``mine`` reads every stem of the index's ``text`` field,
takes its candidate roots (``search.arabic.root``) and keeps, for each stem, the candidate the
most other stems share: a reading is *checked by the corpus* when at least ``MIN_STEMS`` stems
of the archive share it (مفاوض reads فوض or فاض; the archive holds تفويض, مفوض and تفاوض, so
فوض). A search gives a word whose stem is held by fewer than ``RARE_ARTICLES`` articles its
family's most frequent stems as alternatives at a low weight (``search.engine.compiling``):
a word the archive does not hold at all, so far (see ``RARE_ARTICLES``).

Kept in the index generation as ``families.<commit>.tsv``, written after each run that
changed something, like the variants (``search.spelling.variants``), and carried forward
while the archive has grown by less than a tenth.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..arabic.root import candidate_roots
from ..engine.contract import EngineReader
from ..generation import FAMILIES, Generation
from .variants import REMINE_GROWTH

Family = Callable[[str], list[tuple[str, int]]]
"""A stem → the other stems of its root in the archive, with their articles, most frequent
first (``Families.family``)."""

FIELD = "text"
MIN_STEMS = 3  # stems sharing a reading for the archive to take it as their root
MEMBERS = 12  # stems kept a family, the most frequent
# A word whose stem fewer articles hold gets its family as alternatives: 1, the words the
# archive does not hold at all. Measured with benchmarks.relevance (docs/relevance-tuning.md):
# from 5 articles on, coordination counts the family's matches as the word's, and Qur'an QA
# dropped 0.006-0.011 MRR@10.
RARE_ARTICLES = 1
_HEADER = "# families of {articles} articles: root, then stem:articles of its members\n"


class Families:
    """Root → its stems in the archive, most frequent first; and each stem's root."""

    def __init__(self, members: dict[str, list[tuple[str, int]]], articles: int = 0) -> None:
        self.articles = articles
        self._members = members

    def root_of(self, stem: str) -> str | None:
        """The root of ``stem`` the archive checked, or None."""
        readings = [r for r in candidate_roots(stem) if r in self._members]
        return max(readings, key=lambda r: len(self._members[r]), default=None)

    def family(self, stem: str) -> list[tuple[str, int]]:
        """The other stems of ``stem``'s family, with their articles, most frequent first."""
        root = self.root_of(stem)
        return [m for m in self._members.get(root or "", []) if m[0] != stem]

    def to_text(self) -> str:
        rows = (
            f"{root}\t{' '.join(f'{stem}:{n}' for stem, n in stems)}\n"
            for root, stems in sorted(self._members.items())
        )
        return _HEADER.format(articles=self.articles) + "".join(rows)

    @classmethod
    def parse(cls, text: str) -> Families:
        lines = text.splitlines()
        articles = 0
        if lines and lines[0].startswith("# families of "):
            articles = int(lines[0].split()[3])
        members: dict[str, list[tuple[str, int]]] = {}
        for line in lines[1:]:
            root, _, listed = line.partition("\t")
            pairs = [item.rpartition(":") for item in listed.split()]
            members[root] = [(stem, int(n)) for stem, _, n in pairs if n.isdigit()]
        return cls(members, articles)

    @classmethod
    def read(cls, generation: Path) -> Families | None:
        return Generation(generation).read(FAMILIES, lambda p: cls.parse(p.read_text("utf-8")))


def lazy(generation: Path) -> Family:
    """``Families.family`` of the generation's families, read on the first call (most
    searches hold no rare word: ``bahth search`` does not pay for reading them); no family
    for any stem when the generation has none yet."""
    held: list[Families | None] = []
    reading = threading.Lock()

    def family(stem: str) -> list[tuple[str, int]]:
        with reading:
            if not held:
                held.append(Families.read(generation))
        return held[0].family(stem) if held[0] is not None else []

    return family


def group(terms: Iterable[tuple[str, int]]) -> dict[str, list[tuple[str, int]]]:
    """Stems with their articles → each checked root's ``MEMBERS`` most frequent stems."""
    counts = {t: n for t, n in terms if "\u0621" <= t[:1] <= "\u064a"}
    sharing: collections.Counter[str] = collections.Counter()
    for stem in counts:
        sharing.update(candidate_roots(stem))
    members: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for stem, n in counts.items():
        readings = candidate_roots(stem)
        if readings:
            root = max(readings, key=lambda r: sharing[r])
            if sharing[root] >= MIN_STEMS:
                members[root].append((stem, n))
    return {
        root: sorted(stems, key=lambda m: (-m[1], m[0]))[:MEMBERS]
        for root, stems in members.items()
        if len(stems) > 1
    }


def mine(reader: EngineReader) -> Families:
    return Families(group(reader.terms(FIELD)), reader.doc_count())


def refresh(generation: Path) -> None:
    """Write the families of the generation's last commit, unless it has them (carried
    forward while the archive has grown by less than ``REMINE_GROWTH``)."""

    def count(reader: EngineReader) -> str:
        held = Families.read(generation)
        articles = reader.doc_count()
        if held is not None and abs(articles - held.articles) < REMINE_GROWTH * held.articles:
            return held.to_text()
        return mine(reader).to_text()

    Generation(generation).write_counted(FAMILIES, count)
