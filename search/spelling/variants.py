"""Spelling variants of names, mined from the archive itself: غوغل، جوجل and قوقل are one
company, ميونخ and ميونيخ one city, and a search for one spelling should find the others.

Outlets write a foreign name as their house style says: a long vowel in or out (ميونخ /
ميونيخ, فرانسوا / فرنسوا), another letter for a g (غوغل / جوجل / قوقل, بوينج / بوينغ). The
stemmer folds the few it ships (``search.arabic.stem``'s spelling folds, from another corpus);
the rest are found here, in the terms of the index (stems, so every inflection comes along):

1. **Candidates**: two terms held by ``MIN_ARTICLES`` articles or more, one edit apart by
   those rules (``spellings``), the shorter of four letters or more (``candidate_pairs``), or
   the terms of two such words of the vocabulary (``word_pairs``); not two words of one Arabic
   family (``same_family``: a verb and its verbal noun, a singular and its broken plural).
2. **Evidence** (``mine``): the words around them agree. For each term, the words just before
   and after it in ``SAMPLE`` of its articles are counted; a pair is a variant when the cosine
   of the two counts reaches ``MIN_SIMILARITY``. Two different words one letter apart are
   used among different words (كتاب / كتب, حاسب / احسب); two spellings of one name among the
   same ones (the ministers and cities around ميونخ are those around ميونيخ).

A search adds a word's variants as alternatives at a lower weight than the form typed
(``search.engine.compiling``), says which it added (``Results.variants``), and takes
``variants=False`` (``--no-variants``) to search as typed.

The pairs are kept in the index generation as ``variants.<commit>.tsv``, a side file numbered
with the engine's commit like the vocabulary (``search.generation``), written after each run
that changed something (``refresh``). Mining reads a few articles of every frequent term
(about 11 s on the 72,659 articles of the shared corpora), so a run carries the file in force
forward unchanged while the archive has grown by less than ``REMINE_GROWTH`` since it was
mined; a rebuild mines afresh.
"""

from __future__ import annotations

import collections
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..arabic import analyze_word, normalize
from ..engine.contract import EngineReader, Term
from ..generation import VARIANTS, Generation
from ..query import Highlights
from ..snippets import mark
from .forking import Forked, may_fork
from .vocabulary import Vocabulary

LONG_VOWELS = "اوي"
G_LETTERS = "غجقك"  # how Arabic outlets write a g: غوغل، جوجل، قوقل; كونغرس، كونجرس
MIN_LENGTH = 4  # the shorter term: three-letter terms are Arabic roots (سلم / سليم)
MIN_ARTICLES = 20
# Chosen on benchmarks/variants/judged.tsv: at 0.45 every mined pair of the list is a variant
# and 57 % of its frequent variants are found; lower, unlisted pairs of one family creep in.
MIN_SIMILARITY = 0.45
SAMPLE = 15  # articles read for a term's neighbours
READER_TERMS = 100
"""Terms whose articles one reader reads when ``mine`` may open readers: a reader keeps the
pages of the document store it has read mapped, about 1 MB a term (the system reads ahead
around each article): 0.4 GB for 600 terms of 290,000 articles; closed, it lets go of them."""
FORKED_TERMS = 40
"""Fewer terms than this are read in one process: a fork costs more than they take."""
NEIGHBOURS = 2  # words on each side of an occurrence
REMINE_GROWTH = 0.10
FIELD = "text"
_WORD = re.compile(r"[\u0621-\u064a]+")
_HEADER = "# variants of {articles} articles: term, variant, its usual form, similarity\n"
_SCORE = re.compile(r"[01](\.\d+)?")


def spellings(term: str) -> set[str]:
    """The spellings one edit away from ``term``: a long vowel letter inserted or swapped
    with its neighbour, or another letter for a g.

    >>> "بوتين" in spellings("بوتن"), "بتون" in spellings("بوتن"), "جوجل" in spellings("غوغل")
    (True, True, True)
    """
    out: set[str] = set()
    for i in range(1, len(term) + 1):
        out.update(term[:i] + v + term[i:] for v in LONG_VOWELS)
    for i in range(len(term) - 1):
        if term[i] in LONG_VOWELS or term[i + 1] in LONG_VOWELS:
            out.add(term[:i] + term[i + 1] + term[i] + term[i + 2 :])
    for i, ch in enumerate(term):
        if ch in G_LETTERS:
            out.update(term[:i] + g + term[i + 1 :] for g in G_LETTERS)
    if sum(ch in G_LETTERS for ch in term) > 1:  # every g of a name the same way: غوغل / جوجل
        out.update(re.sub(f"[{G_LETTERS}]", g, term) for g in G_LETTERS)
    out.discard(term)
    return out


def candidate_pairs(counts: Mapping[str, int], min_count: int) -> list[tuple[str, str]]:
    """Pairs of terms held ``min_count`` times or more, one spelling edit apart, the shorter
    of ``MIN_LENGTH`` letters or more, and not of one Arabic family (``same_family``);
    each pair once, in order."""
    frequent = {t for t, n in counts.items() if n >= min_count and "\u0621" <= t[0] <= "\u064a"}
    pairs = set()
    for term in frequent:
        for other in spellings(term) & frequent:
            pair = (min(term, other), max(term, other))
            if min(map(len, pair)) >= MIN_LENGTH and not same_family(*pair):
                pairs.add(pair)
    return sorted(pairs)


# Arabic's own alternations of a long vowel, which make two words of one family rather than
# one word spelled two ways: (what they are, what the shorter word begins with, its length or
# 0 for any, the longer word made of it). Each checks a few letters, so that names pass.
_FAMILY: tuple[tuple[str, str, int, Callable[[str], str]], ...] = (
    (
        "a verb of forms IV-X, its verbal noun: اندلع / اندلاع",
        "ا",
        0,
        lambda s: s[:-1] + "ا" + s[-1],
    ),
    ("a verb of form II, its verbal noun: تحلق / تحليق", "ت", 0, lambda s: s[:-1] + "ي" + s[-1]),
    (
        "a singular, its broken plural: مقطع / مقاطع, يقرب / يقارب",
        "",
        4,
        lambda s: s[:2] + "ا" + s[2:],
    ),
    ("a singular, its broken plural: قالب / قوالب", "", 4, lambda s: s[0] + "و" + s[1:]),
    ("a verb of form I, of form IV: سقطت / أسقطت, دانت / أدانت", "", 0, lambda s: "ا" + s),
)


def word_pairs(words: Mapping[str, int], counts: Mapping[str, int]) -> set[tuple[str, str]]:
    """The pairs of terms of words one spelling edit apart, held by ``MIN_ARTICLES`` articles
    or more: the stemmer may take two spellings of a name further apart than they are
    (البنتاغون → بنتاغون, a name it knows; البنتاجون → البنتاج, a plural ending cut), and
    then only their words show that they are one edit apart. ``counts``: the terms' articles.
    """
    frequent = {w for w, n in words.items() if n >= MIN_ARTICLES and len(w) >= MIN_LENGTH}
    pairs = set()
    for word in frequent:
        for other in spellings(word) & frequent:
            if same_family(word, other):
                continue
            a, b = analyze_word(word)[1], analyze_word(other)[1]
            if not a or not b or a == b or min(len(a), len(b)) < MIN_LENGTH:
                continue
            if counts.get(a, 0) >= MIN_ARTICLES <= counts.get(b, 0) and not same_family(a, b):
                pairs.add((min(a, b), max(a, b)))
    return pairs


def same_family(a: str, b: str) -> bool:
    """Whether two terms a long vowel apart are two words of one Arabic family (``_FAMILY``,
    and the alef of a four-letter singular moved in its plural: حارس / حراس), whose
    neighbours agree as those of a name's spellings do (an outbreak breaks out), but which
    are not one word.

    >>> same_family("اندلع", "اندلاع"), same_family("مقطع", "مقاطع"), same_family("حارس", "حراس")
    (True, True, True)
    >>> same_family("انخل", "انخيل"), same_family("ميونخ", "ميونيخ"), same_family("جوجل", "غوغل")
    (False, False, False)
    """
    short, long = sorted((a, b), key=len)
    for _, start, letters, make in _FAMILY:
        if short.startswith(start) and letters in (0, len(short)) and make(short) == long:
            return True
    middle = (a[1:3], b[1:3])
    return (
        len(a) == len(b) == 4
        and (a[0], a[3]) == (b[0], b[3])
        and "ا" in middle[0]
        and (middle[0] == middle[1][::-1] != middle[1])
    )


def similarity(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """The cosine of two count vectors."""
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


@dataclass(frozen=True, slots=True)
class Variant:
    """Another spelling of a term: its ``term`` (a stem, what is searched), the ``form`` the
    archive writes it in most (what is shown), and the ``similarity`` of their neighbours."""

    term: str
    form: str
    similarity: float


@dataclass(frozen=True, slots=True)
class _Seen:
    """A term's neighbours and the normalized forms it was written in, in its sampled
    articles."""

    neighbours: collections.Counter[str]
    forms: collections.Counter[str]


def _seen(reader: EngineReader, term: str) -> _Seen:
    hits = reader.top(Term(FIELD, term), SAMPLE, None, False)
    neighbours: collections.Counter[str] = collections.Counter()
    forms: collections.Counter[str] = collections.Counter()
    wanted = Highlights(terms={term})
    for article in reader.stored_many([hit.ref for hit in hits]):
        text = f"{article.title}\n{article.body}"
        for start, end in mark(text, wanted):
            forms[normalize(text[start:end])] += 1
            # Characters enough for two words on each side; their stems are the context.
            around = _WORD.findall(text[max(0, start - 40) : start])[-NEIGHBOURS:]
            around += _WORD.findall(text[end : end + 40])[:NEIGHBOURS]
            neighbours.update(stem for word in around if (stem := analyze_word(word)[1]))
    return _Seen(neighbours, forms)


def mine(
    reader: EngineReader,
    words: Mapping[str, int] | None = None,
    reopen: Callable[[], EngineReader] | None = None,
    forked: bool = False,
) -> list[tuple[str, Variant]]:
    """Every variant pair of the index read by ``reader``, both ways: ``(term, variant)``.
    ``words``: the archive's vocabulary (normalized words, the articles holding each), whose
    pairs add theirs (``word_pairs``). ``reopen``: opens a reader of the same commit, through
    which the terms' articles are read, a new one every ``READER_TERMS`` terms; with
    ``forked``, a forked process reads half of them through readers of its own
    (``_seen_forked``)."""
    counts = {t: n for t, n in reader.terms(FIELD) if n >= MIN_ARTICLES}
    pairs = sorted(set(candidate_pairs(counts, MIN_ARTICLES)) | word_pairs(words or {}, counts))
    terms = sorted({t for pair in pairs for t in pair})
    if forked and reopen is not None and len(terms) >= FORKED_TERMS:
        seen = _seen_forked(terms, reader, reopen)
    else:
        seen = _seen_all(terms, reader, reopen)
    found = []
    for a, b in pairs:
        score = similarity(seen[a].neighbours, seen[b].neighbours)
        if score < MIN_SIMILARITY:
            continue
        for term, other in ((a, b), (b, a)):
            found.append((term, Variant(other, _usual(seen[other].forms, other), round(score, 3))))
    return found


def _seen_all(
    terms: list[str], reader: EngineReader, reopen: Callable[[], EngineReader] | None
) -> dict[str, _Seen]:
    """What each term is seen with (``mine``)."""
    seen: dict[str, _Seen] = {}
    step = READER_TERMS if reopen else max(1, len(terms))
    for start in range(0, len(terms), step):
        fresh = reopen() if reopen else reader
        try:
            for term in terms[start : start + step]:
                seen[term] = _seen(fresh, term)
        finally:
            if reopen:
                fresh.close()
    return seen


def _seen_forked(
    terms: list[str], reader: EngineReader, reopen: Callable[[], EngineReader]
) -> dict[str, _Seen]:
    """``_seen_all``, the first half of the terms read by a forked process (``forking``):
    what a term is seen with depends on the commit alone, so the result is the same."""
    half = len(terms) // 2
    theirs = Forked(lambda: _seen_all(terms[:half], reader, reopen))
    try:
        seen = _seen_all(terms[half:], reader, reopen)
    except BaseException:
        theirs.cancel()
        raise
    seen.update(theirs.result())
    return seen


def _usual(forms: collections.Counter[str], term: str) -> str:
    """The form to show a term in: the shortest of those it is written in a quarter of the
    time or more (والالومنيوم and الالومنيوم: the one without the clitic)."""
    if not forms:
        return term
    most = forms.most_common(1)[0][1]
    return min((f for f, n in forms.items() if 4 * n >= most), key=lambda f: (len(f), f))


class Variants:
    """Term → its other spellings in the archive, best first (``mine``'s pairs)."""

    def __init__(self, pairs: Iterable[tuple[str, Variant]] = (), articles: int = 0) -> None:
        self.articles = articles  # how many articles the index held when they were mined
        self._of: dict[str, list[Variant]] = collections.defaultdict(list)
        for term, variant in pairs:
            self._of[term].append(variant)
        for listed in self._of.values():
            listed.sort(key=lambda v: -v.similarity)

    def __len__(self) -> int:
        return sum(map(len, self._of.values()))

    def of(self, term: str) -> list[Variant]:
        """The other spellings of ``term`` (none: an empty list)."""
        return self._of.get(term, [])

    def pairs(self) -> Iterable[tuple[str, Variant]]:
        """Every ``(term, variant)``, ordered by term."""
        return ((term, v) for term in sorted(self._of) for v in self._of[term])

    def to_text(self) -> str:
        """The side file's text (``parse`` reads it back)."""
        rows = (f"{t}\t{v.term}\t{v.form}\t{v.similarity}\n" for t, v in self.pairs())
        return _HEADER.format(articles=self.articles) + "".join(rows)

    @classmethod
    def parse(cls, text: str) -> Variants:
        """The ``Variants`` of a side file's text; a line that is not a pair (a file edited
        by hand) is left out, and a file without its header counts as mined on no article,
        so the next run mines again."""
        lines = text.splitlines()
        found = re.match(r"# variants of (\d+) articles", lines[0]) if lines else None
        pairs = []
        for line in lines[1:]:
            fields = line.split("\t")
            if len(fields) == 4 and _SCORE.fullmatch(fields[3]):
                term, other, form, score = fields
                pairs.append((term, Variant(other, form, float(score))))
        return cls(pairs, int(found[1]) if found else 0)

    @classmethod
    def read(cls, generation: Path) -> Variants | None:
        """The variants in force in the generation (None: none mined yet)."""
        return Generation(generation).read(VARIANTS, lambda p: cls.parse(p.read_text("utf-8")))


def refresh(generation: Path) -> None:
    """Write the variants of the generation's last commit, unless it has them: those in force,
    carried forward, while the archive has grown by less than ``REMINE_GROWTH`` since they were
    mined; else mined afresh. The caller holds the index's write lock (no other commit comes
    while the readers of this one are opened)."""
    side = Generation(generation)

    def reopen() -> EngineReader:
        return side.engine.open_reader(side.location)

    def count(reader: EngineReader) -> str:
        articles = reader.doc_count()
        held = Variants.read(generation)
        if held is not None and abs(articles - held.articles) < REMINE_GROWTH * held.articles:
            return held.to_text()
        if articles < MIN_ARTICLES:  # no term is held by that many articles: no pair
            return Variants((), articles).to_text()
        vocabulary = Vocabulary.read(generation)  # written just before, by the same run
        words = dict(vocabulary.items()) if vocabulary is not None else None
        return Variants(mine(reader, words, reopen, may_fork(side.engine)), articles).to_text()

    side.write_counted(VARIANTS, count)
