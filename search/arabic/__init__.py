"""Arabic analysis: the pure functions that decide what Bahth finds. No whoosh here.

The chain, per token, and why it runs in this order:

1. ``tokenize`` on the original text, so offsets point at the words as written;
2. ``is_stopword`` on the lightly normalized form (``normalize_light``), *before* letters are
   folded and before stemming: الذين is a stopword, not the stem ذين, and the name علي must not
   become the preposition على;
3. ``normalize`` (diacritics, tatweel, alef/ya/ta-marbuta/hamza variants, digits, case);
4. ``stem`` (clitics and suffixes), giving the index term. Numbers keep their digits; a clitic
   glued to a number is dropped (و30 → 30) and thousands separators go (1,700 → 1700).

``analyze_word`` memoizes steps 2-4 per distinct surface word: news vocabulary is Zipfian, so most
tokens are cache hits.

``index_terms`` is the indexing path: the same terms and normalized forms as ``analyze``, without
offsets or stopwords, memoized per whitespace-separated chunk of text.

>>> [(t.text, t.term) for t in analyze("وقال المتحدثُ إنّ المفاوضاتِ مستمرّة")]
[('وقال', 'قال'), ('المتحدثُ', 'متحدث'), ('إنّ', None), ('المفاوضاتِ', 'مفاوض'), ('مستمرّة', 'مستمر')]
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import NamedTuple

from .normalize import normalize, normalize_light
from .stem import stem, strip_prefixes
from .stopwords import is_stopword
from .tokenize import KIND_WORD, TOKEN_PATTERN, Token, tokenize

__all__ = [
    "ANALYSIS_VERSION",
    "AnalyzedToken",
    "Token",
    "analyze",
    "analyze_word",
    "index_terms",
    "is_stopword",
    "normalize",
    "normalize_light",
    "stem",
    "strip_prefixes",
    "tokenize",
]

# Bump when a rule changes in code; data changes are picked up by the hash below. An index
# records the version it was built with and refuses to mix terms from two versions.
_RULES_VERSION = 3
# Words (and whitespace chunks) whose analysis is kept. An indexing run holds two of these
# caches and the stems' in each analysis process: at 2 ** 18 entries, about 260 MB a process
# once full; at 2 ** 17, 165 MB, for 3-4 % more analysis time (150,000 generated articles).
WORD_CACHE_SIZE = 1 << 17

_CLITIC_NUMBER = re.compile(r"[وفبلك]?(\d[\d.,]*)")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


class AnalyzedToken(NamedTuple):
    """One token: its surface ``text`` (``source[start:end]``), normalized form and index term.

    ``term`` is ``None`` for a stopword.
    """

    text: str
    start: int
    end: int
    norm: str
    term: str | None


def _number_term(norm: str) -> str | None:
    match = _CLITIC_NUMBER.fullmatch(norm)
    if not match:
        return None
    digits = match.group(1)
    return digits.replace(",", "") if _THOUSANDS.fullmatch(digits) else digits


@lru_cache(maxsize=WORD_CACHE_SIZE)
def analyze_word(surface: str, kind: str = KIND_WORD) -> tuple[str, str | None]:
    """Return ``(normalized form, index term)`` of one token as written; memoized.

    The term is ``None`` for a stopword. URLs and e-mail addresses (``kind`` from
    ``tokenize``) are only normalized.

    >>> analyze_word("لبوتين"), analyze_word("الذين"), analyze_word("١٬٧٠٠")
    (('لبوتين', 'بوتين'), ('الذين', None), ('1,700', '1700'))
    """
    norm = normalize(surface)
    if kind != KIND_WORD:
        return norm, norm
    if is_stopword(normalize_light(surface)):
        return norm, None
    return norm, _number_term(norm) or stem(norm)


def analyze(text: str) -> list[AnalyzedToken]:
    """Analyze ``text`` into tokens with offsets, normalized forms and index terms.

    Tokens that normalize to nothing (a lone tatweel, stray marks) are left out.

    >>> [(t.text, t.start, t.end, t.norm, t.term) for t in analyze("لبوتين والحكومات")]
    [('لبوتين', 0, 6, 'لبوتين', 'بوتين'), ('والحكومات', 7, 16, 'والحكومات', 'حكوم')]
    """
    tokens: list[AnalyzedToken] = []
    append = tokens.append
    # The tokenizer's pattern is used directly: this loop runs once per token of every
    # article indexed, and skipping the intermediate Token tuple makes it ~1.5x faster.
    for match in TOKEN_PATTERN.finditer(text):
        surface = match.group()
        norm, term = analyze_word(surface, match.lastgroup or KIND_WORD)
        if norm:
            append(AnalyzedToken(surface, match.start(), match.end(), norm, term))
    return tokens


class _ChunkMemo(dict[str, tuple[str, ...]]):
    """Whitespace-separated chunk of text -> its indexed words' terms and norms, interleaved.

    ``str.split`` splits on exactly the characters the tokenizer's ``\\s`` means and no token
    spans one, so a text's tokens are its chunks' tokens in order. A miss is analyzed in
    ``__missing__``, so that ``index_terms`` looks every chunk up once, in C loops. Threads may
    share it: a chunk's value never changes, and a ``clear`` only causes misses.
    """

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        if len(self) >= WORD_CACHE_SIZE:
            self.clear()  # bounded like analyze_word; the frequent chunks come back at once
        flat: list[str] = []
        for match in TOKEN_PATTERN.finditer(chunk):
            norm, term = analyze_word(match.group(), match.lastgroup or KIND_WORD)
            if norm and term is not None:
                flat += (term, norm)
        value = self[chunk] = tuple(flat)
        return value


_CHUNKS = _ChunkMemo()


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """(terms, norms) of the indexed words of ``text`` in order: stopwords are left out.

    Exactly ``[t.term for t in toks], [t.norm for t in toks]`` for the tokens ``toks`` of
    ``analyze(text)`` whose term is not ``None``, several times faster: what an index writer
    needs, without offsets and per-token objects.

    >>> terms, norms = index_terms("وقال المتحدثُ باسم الكرملين إنّ المفاوضاتِ مستمرّة")
    >>> terms
    ['قال', 'متحدث', 'اسم', 'كرملين', 'مفاوض', 'مستمر']
    >>> norms
    ['وقال', 'المتحدث', 'باسم', 'الكرملين', 'المفاوضات', 'مستمره']
    """
    flat = list(chain.from_iterable(map(_CHUNKS.__getitem__, text.split())))
    return flat[::2], flat[1::2]


def _data_digest() -> str:
    digest = hashlib.sha256()
    for name in ("lexicon.tsv.gz", "names.txt", "protected.txt", "spellings.tsv", "stopwords.txt"):
        digest.update(resources.files(__package__).joinpath("data", name).read_bytes())
    return digest.hexdigest()[:12]


ANALYSIS_VERSION = f"{_RULES_VERSION}-{_data_digest()}"
"""Identifies the analysis rules and data; indexes built with another version must be rebuilt."""
