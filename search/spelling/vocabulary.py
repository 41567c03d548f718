"""The archive's own vocabulary: the Arabic words its articles hold, with how many hold each.

Kept in the index generation as tries of normalized words with their article counts
(marisa-trie's ``RecordTrie``), side files numbered with the engine's commit like the
metadata (``search.generation``):

    spelling.000007.marisa   a base: the words as counted at commit 7
    spelling.000009.changes  the words changed since that base, with their counts as of
                             commit 9 (0: no longer kept), and the base's number

A search maps the files instead of reading them: a search that needs them starts using them
at once, and they take no memory of the process's own (a dict of the same words took
0.2-0.4 s to read and 25 MB; the trie's look-ups are slower, about a microsecond, a few
milliseconds for the candidates of a misspelled word).

After each indexing run that changed something, ``refresh`` brings the vocabulary to the last
commit in the cheapest of three ways:

* **changes**, when the run says which words its articles hold (``touched``): the counts of
  those words are asked of the committed index (``EngineReader.doc_frequency``, the figure a
  full count reads) and written with the earlier changes over the base. A run of one article
  costs a few hundred look-ups, whatever the size of the archive.
* **merge**, once the changes hold more than ``MERGE_SHARE`` of the base's words: the base
  and its changes are written as a new base, without walking the index's terms.
* **full count** (``count_words``): every term of the exact fields, when no base is in
  force (or one of a Bahth that did not note its count), when the run cannot say which words
  it touched (a rebuild, a build too large to list them), and in place of a merge once the
  live articles differ by ``RECOUNT_GROWTH`` from the last full count's.

Measured with ``benchmarks.vocabulary`` (tantivy, 2 busy cores): a full count takes 1.6-2.7 s
and 60-110 MB more memory at 72,659 and 290,000 articles (more as the archive's vocabulary
grows); the changes of a one-article run 0.01 s (0.17 s once the changes hold 28,000 words),
of a 1,000-article run (28,000 words looked up) 0.5-1.2 s and 15-27 MB, at either size.

What changes leave out that a full count would see: a word held only by deleted articles, or
only by the replaced versions of updated ones, keeps its count until the next full count.
tantivy and whoosh count a deleted article in a word's figure until a merge of segments drops
it, so a full count right after the delete gives the same figure and the difference appears
once such a merge has run; xapian forgets it at once. The difference is on the high side, in
words of deleted text only (and a suggestion is offered only as a live article writes it,
``search.spelling.decide``).

A reader takes the files in force, the highest numbered up to the last commit; a changes file
applies to the base it names, and only while that base is in force. A run killed between its
commit and these files leaves the previous run's vocabulary, which still serves (its words are
a run's worth older); the next run sees that the vocabulary in force is not that of the commit
before its own (``since``) and counts every word. A rebuild writes its base before the new
generation is published.

Only words held by at least ``MIN_ARTICLES`` articles are kept: a suggestion never points at
a word the archive has once (often a misspelling itself), and the file stays small (72,716
articles: 197,000 words, a file of 0.8 MB).
"""

from __future__ import annotations

import errno
import itertools
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

import marisa_trie

from ..engine import EngineReader
from ..engine.contract import EXACT_FIELDS, TOUCHED_MOST
from ..generation import VOCABULARY, Generation, SideFile
from ..generation import VOCABULARY_CHANGES as CHANGES

MIN_ARTICLES = 2
MERGE_SHARE = 0.10
"""Changes past this share of the base's words are merged into a new base."""
RECOUNT_GROWTH = 0.10
"""A merge counts every word afresh instead once the live articles differ by this share from
those of the last full count (the counts of words of deleted articles are then refreshed)."""
MAX_TOUCHED = TOUCHED_MOST
"""More words touched than this are counted in full (about as long as looking each one up)."""
_COUNT = "<I"  # a record of the trie: the articles holding its word, 32 bits unsigned
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")
# The files' own figures, under keys no word has (a word is Arabic letters only).
_OWN = "#"
_ARTICLES = "#articles"  # a base: the live articles at the last full count
_BASE = "#base"  # changes: the number of the base they change


def count_words(reader: EngineReader) -> dict[str, int]:
    """The Arabic words of the exact fields held by ``MIN_ARTICLES`` articles or more, with
    the number of articles of the field that holds each most (a headline's words are nearly
    always in its body too, so a sum would count most articles twice)."""
    counts: dict[str, int] = {}
    arabic = _ARABIC_WORD.fullmatch
    for field in EXACT_FIELDS:
        # Counted as they come, each field's list dropped before the next is read: one
        # field's terms at a time, and only the words kept in the dict.
        for word, articles in reader.terms(field):
            if articles >= MIN_ARTICLES and articles > counts.get(word, 0) and arabic(word):
                counts[word] = articles
    return counts


def count_of(reader: EngineReader, words: Iterable[str]) -> dict[str, int]:
    """What ``count_words`` says of each Arabic word of ``words``, looked up one by one: 0 for
    a word it leaves out (held by fewer than ``MIN_ARTICLES``)."""
    counts = {}
    for word in words:
        if _ARABIC_WORD.fullmatch(word):
            held = max(reader.doc_frequency(field, word) for field in EXACT_FIELDS)
            counts[word] = held if held >= MIN_ARTICLES else 0
    return counts


def _trie(counts: Iterable[tuple[str, int]]) -> marisa_trie.RecordTrie:
    return marisa_trie.RecordTrie(_COUNT, ((word, (n,)) for word, n in counts))


def _mapped(path: Path) -> marisa_trie.RecordTrie:
    try:
        return marisa_trie.RecordTrie(_COUNT).mmap(str(path))
    except RuntimeError:
        # marisa says only that it could not open the file: a commit may have removed it
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)) from None
        raise


def _record(trie: marisa_trie.RecordTrie, key: str) -> int | None:
    found = trie.get(key)
    return int(found[0][0]) if found else None


def _number(path: Path) -> int:
    """The commit number in a side file's name."""
    return int(path.name.split(".")[1])


def refresh(
    generation: Path, touched: Collection[str] | None = None, since: int | None = None
) -> None:
    """Bring the vocabulary to the generation's last commit, unless it is there already.

    ``touched``: the words of the exact fields of the articles the run added (a superset does
    no harm; empty when it added none), and ``since``: the last commit before the run's. The
    run's words are counted over the vocabulary in force when that was ``since``'s; every
    word is counted when it was not (a run killed before writing its own), when more than
    ``MAX_TOUCHED`` words are given, or when the run cannot say (None). The caller holds the
    index's write lock, and then removes the files no longer in force
    (``Generation.remove_superseded``)."""
    side = Generation(generation)
    commit = side.committed()
    if side.file(VOCABULARY, commit).exists() or side.file(CHANGES, commit).exists():
        return
    held = None
    if touched is not None and since is not None and len(touched) <= MAX_TOUCHED:
        held = _Held.of(side)
        if held is not None and held.made_at != since:
            held = None  # a commit's words are missing from it
    if held is not None and not touched:
        # Nothing to count: the changes in force, written again as this commit's.
        _write(side, CHANGES, commit, held.changes_trie(held.changes))
    else:
        reader = side.engine.open_reader(side.location)
        try:
            kind, trie = _counted(reader, held, touched or ())
        finally:
            reader.close()
        _write(side, kind, commit, trie)


def _counted(
    reader: EngineReader, held: _Held | None, touched: Collection[str]
) -> tuple[SideFile, marisa_trie.RecordTrie]:
    """The file to write for the committed index read by ``reader``: changes over the base
    ``held``, a merge of the two, or a full count (``refresh``)."""
    articles = reader.doc_count()
    if held is not None:
        changes = held.changed(count_of(reader, touched))
        if len(changes) <= MERGE_SHARE * held.words:
            return CHANGES, held.changes_trie(changes)
        if abs(articles - held.counted) < RECOUNT_GROWTH * held.counted:
            return VOCABULARY, _trie(held.merged(changes))
    return VOCABULARY, _trie(_led(_ARTICLES, articles, count_words(reader).items()))


def _led(key: str, value: int, words: Iterable[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """``words`` after a file's own figure."""
    yield key, value
    yield from words


def _write(side: Generation, kind: SideFile, commit: int, trie: marisa_trie.RecordTrie) -> None:
    side.write(kind, commit, lambda out: out.write(trie.tobytes()))


class _Held:
    """The vocabulary in force before a run: its base, and the changes over it."""

    def __init__(self, number: int, base: marisa_trie.RecordTrie, counted: int) -> None:
        self.number = number
        self.base = base
        self.counted = counted
        self.changes: dict[str, int] = {}
        self.made_at = number  # the commit whose vocabulary this is

    @classmethod
    def of(cls, side: Generation) -> _Held | None:
        """None when no base is in force, or one that does not say how many articles it
        counted (written by an older Bahth: counted afresh)."""
        path = side.in_force(VOCABULARY)
        if path is None:
            return None
        base = _mapped(path)
        counted = _record(base, _ARTICLES)
        if counted is None:
            return None
        held = cls(_number(path), base, counted)
        changes = side.in_force(CHANGES)
        if changes is not None:
            found = _mapped(changes)
            if _record(found, _BASE) == held.number:
                held.changes = {w: n for w, (n,) in found.iteritems() if not w.startswith(_OWN)}
                held.made_at = _number(changes)
        return held

    @property
    def words(self) -> int:
        """How many words the base holds."""
        return len(self.base) - 1

    def changed(self, counts: Mapping[str, int]) -> dict[str, int]:
        """The changes over the base once ``counts`` are applied: only the words whose
        count is not the base's."""
        changes = self.changes
        for word, n in counts.items():
            if n == (_record(self.base, word) or 0):
                changes.pop(word, None)
            else:
                changes[word] = n
        return changes

    def changes_trie(self, changes: Mapping[str, int]) -> marisa_trie.RecordTrie:
        """A changes file of ``changes`` over this base."""
        return _trie(_led(_BASE, self.number, changes.items()))

    def merged(self, changes: Mapping[str, int]) -> Iterator[tuple[str, int]]:
        """The base with ``changes`` applied, as the records of a new base."""
        kept = (
            (w, n)
            for w, (n,) in self.base.iteritems()
            if not w.startswith(_OWN) and w not in changes
        )
        added = ((w, n) for w, n in changes.items() if n)
        return _led(_ARTICLES, self.counted, itertools.chain(kept, added))


class Vocabulary:
    """Normalized word → articles holding it, for the words of one vocabulary file with the
    changes over it (or of ``counts``)."""

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self._trie = _trie((counts or {}).items())
        self._changes: marisa_trie.RecordTrie | None = None

    def __len__(self) -> int:
        words = len(self._trie) - (_ARTICLES in self._trie)
        if self._changes is not None:
            for word, (n,) in self._changes.iteritems():
                if not word.startswith(_OWN):
                    words += (n > 0) - (word in self._trie)
        return words

    def get(self, word: str) -> int:
        """Articles holding ``word`` (0: fewer than ``MIN_ARTICLES``)."""
        if word.startswith(_OWN):
            return 0
        if self._changes is not None:
            changed = _record(self._changes, word)
            if changed is not None:
                return changed
        return _record(self._trie, word) or 0

    def items(self) -> Iterator[tuple[str, int]]:
        """Every word with its articles."""
        changes = self._changes
        for word, (n,) in self._trie.iteritems():
            if not word.startswith(_OWN) and (changes is None or word not in changes):
                yield word, n
        if changes is not None:
            for word, (n,) in changes.iteritems():
                if n and not word.startswith(_OWN):
                    yield word, n

    @classmethod
    def read(cls, generation: Path) -> Vocabulary | None:
        """The vocabulary of the generation's last commit with one, mapped (None: none yet,
        as in an index built before Bahth kept one; the next indexing run writes it)."""
        side = Generation(generation)
        found = side.read(CHANGES, lambda path: cls._changed(side, path))
        return found if found is not None else side.read(VOCABULARY, cls.mapped)

    @classmethod
    def _changed(cls, side: Generation, path: Path) -> Vocabulary | None:
        """The changes file at ``path`` over its base; None when that base is not the one in
        force (a newer one is: the changes are stale)."""
        changes = _mapped(path)
        number = _record(changes, _BASE)
        base = side.in_force(VOCABULARY)
        if number is None or base is None or base != side.file(VOCABULARY, number):
            return None
        vocabulary = cls.mapped(base)
        vocabulary._changes = changes
        return vocabulary

    @classmethod
    def mapped(cls, path: Path) -> Vocabulary:
        """The vocabulary file at ``path`` (a base), mapped; ``FileNotFoundError`` if there is
        none."""
        vocabulary = cls()
        vocabulary._trie = _mapped(path)
        return vocabulary
