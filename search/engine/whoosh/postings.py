"""A segment's postings, buffered by term and written a term at a time.

whoosh buffers each posting of a new segment as a tuple of its own (field, term, document,
weight, value) in an external merge sort: past ``limitmb`` every tuple is pickled to a run
file, and at the commit each is read back, merged through a heap, looked up for its
document's field length and written. Bahth indexes a body three times (stemmed, exact, and
in ``text``), about 530 postings an article where plain whoosh makes about 200, and that
pipeline was more than half of its indexing time (docs/benchmarks.md).

``TermPool`` keeps each term's postings in one flat list (document, weight, value, ...),
spills whole terms to a run (one marshal record a term) when it grows past its limit, and
gives them back term by term in order. ``TermPostings`` is the writer's side:
``add_document`` makes a document's postings from the terms given with it (``TERMS``: one
analysis of each text, for all its fields) instead of whoosh's token stream, and
``_flush_segment`` writes each term's postings at once, with each field's document lengths
read once. What is written is what whoosh writes: tests compare every posting, weight, value
and length.
"""

from __future__ import annotations

import heapq
import marshal
import pickle
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from .analysis import ArabicTermFilter, ArabicTokenizer, words_of

TERMS = "_bahth_terms"
"""A document's entry giving the analysis of each of its Arabic fields: the (terms, norms) of
each text the field joins (``schema.document``). The writer analyses an article once, for
every field and for its story; without this entry a field's text is analysed here. whoosh
leaves entries named with an underscore out of the document."""

COMPRESS = "_bahth_compress"
"""A document's entry naming the stored fields whose text the writer stores compressed (zlib of
its UTF-8), as ``schema.document`` does itself when it is not told to leave it: with writing
processes, they compress it rather than the process that feeds them all."""

POSTING_BYTES = 64
"""What a buffered posting costs on average (three list slots and, for the exact fields, its
positions): the pool spills past ``limitmb`` of them."""

_SMALL = 256
_FLOATS = [float(n) for n in range(_SMALL)]
_PACKED = [pack_uint(n) for n in range(_SMALL)]
# Shared objects for the frequent weights and frequency values: most postings hold 1.0 and
# pack_uint(1), and a buffered posting then costs its three list slots.

Terms = Iterator[tuple[str, bytes, list[Any]]]
"""(field, term, postings) in the order whoosh writes them; postings flat: document, weight,
value, document, ..."""


class TermPool:
    """The postings of a segment being written, by field and term (whoosh's ``PostingPool``
    interface: ``add``, ``fieldnames``, ``cleanup``), ``terms`` in order."""

    def __init__(self, tempstore: Any, limitmb: int) -> None:
        self._tempstore = tempstore
        self._fields: dict[str, dict[bytes, list[Any]]] = {}  # field → term → postings
        self._postings = 0
        self._limit = limitmb * 1024 * 1024 // POSTING_BYTES
        self._runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (field, term, document, weight, value): how whoosh pours a merged
        segment's postings in."""
        fieldname, btext, docnum, weight, value = item
        self.add_field(fieldname, docnum, [(btext, weight, value)])

    def add_field(
        self, fieldname: str, docnum: int, postings: list[tuple[bytes, float, bytes | None]]
    ) -> None:
        """The postings (term, weight, value) of one document in one field; documents come in
        increasing order."""
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        for btext, weight, value in postings:
            found = terms.get(btext)
            if found is None:
                terms[btext] = [docnum, weight, value]
            else:
                found += (docnum, weight, value)
        self._postings += len(postings)
        if self._postings > self._limit:
            self._spill()

    def _spill(self) -> None:
        # The writing processes share the temporary directory: a name of their own.
        name = f"{random_name()}.terms"
        with self._tempstore.create_file(name).raw_file() as run:
            for fieldname, btext, postings in self._in_memory():
                marshal.dump(((fieldname, btext), postings), run)
        self._runs.append(name)
        self._fields, self._postings = {}, 0

    def _in_memory(self) -> Terms:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for btext in sorted(terms):
                yield fieldname, btext, terms[btext]

    def _read(self, name: str) -> Iterator[tuple[tuple[str, bytes], list[Any]]]:
        with self._tempstore.open_file(name).raw_file() as run:
            while True:
                try:
                    yield marshal.load(run)
                except EOFError:
                    return

    def terms(self) -> Terms:
        """Every term's postings, by field and term; a term's spilled postings come first
        (they are of earlier documents)."""
        if not self._runs:
            yield from self._in_memory()
            return
        self._spill()
        merged = heapq.merge(*map(self._read, self._runs), key=itemgetter(0))
        for key, parts in groupby(merged, key=itemgetter(0)):
            postings: list[Any] = []
            for _, part in parts:
                postings += part
            yield key[0], key[1], postings

    def cleanup(self) -> None:
        """Remove the spilled runs."""
        for name in self._runs:
            if self._tempstore.file_exists(name):
                self._tempstore.delete_file(name)
        self._runs = []


def _arabic(field: Any) -> bool | None:
    """Whether ``field``'s words are its stemmed terms (True) or their normalized forms
    (False), when it is analysed by ``search.arabic`` with a format this module encodes;
    None otherwise."""
    analyzer = getattr(field, "analyzer", None)
    items: list[Any] = list(getattr(analyzer, "items", ()))
    if type(field.format) not in (Frequency, Positions) or len(items) != 2:
        return None
    if not isinstance(items[0], ArabicTokenizer) or not isinstance(items[1], ArabicTermFilter):
        return None
    return bool(items[1].stemmed)


def _frequencies(words: list[str]) -> list[tuple[bytes, float, bytes | None]]:
    """Postings of a field without positions, boosts 1: whoosh's ``Frequency.word_values``."""
    memo = _BYTES.get
    return [
        (
            memo(word) or _utf8(word),
            _FLOATS[freq] if freq < _SMALL else float(freq),
            _PACKED[freq] if freq < _SMALL else pack_uint(freq),
        )
        for word, freq in Counter(words).items()
    ]


def _positions(words: list[str], encode: Any) -> list[tuple[bytes, float, bytes | None]]:
    """Postings of a field with positions, boosts 1: whoosh's ``Positions.word_values``
    (``encode``: its ``Positions.encode``)."""
    places: defaultdict[str, list[int]] = defaultdict(list)
    for position, word in enumerate(words):
        places[word].append(position)
    memo, once = _BYTES.get, _ONCE.get
    found: list[tuple[bytes, float, bytes | None]] = []
    for word, at in places.items():
        if len(at) == 1:  # most words of an article: the pickle of their position is kept
            value = _ONE_POSITION + (once(at[0]) or _once(at[0]))
            found.append((memo(word) or _utf8(word), 1.0, value))
        else:
            found.append((memo(word) or _utf8(word), _float(len(at)), encode(at)))
    return found


_ONE_POSITION = pack_uint(1)  # how whoosh's Positions.encode begins a single position
_ONCE: dict[int, bytes] = {}
_ONCE_MOST = 1 << 16
# A value is a new object each time (a concatenation), not the kept one: pickle writes an
# object met twice in a block as a reference to the first, and the block would not be
# whoosh's byte for byte.


def _once(position: int) -> bytes:
    """The pickle of ``[position]`` as ``Positions.encode`` writes it, kept for positions
    under ``_ONCE_MOST``."""
    value = pickle.dumps([position], 2)
    if position < _ONCE_MOST:
        _ONCE[position] = value
    return value


_BYTES: dict[str, bytes] = {}
_BYTES_MOST = 1 << 18
# A word's UTF-8 bytes, the same object each time: the pool's dictionaries then hash a term's
# bytes once, not once a posting (a word is a memo's object, its hash known already).


def _utf8(word: str) -> bytes:
    found = _BYTES.get(word)
    if found is None:
        if len(_BYTES) >= _BYTES_MOST:
            _BYTES.clear()
        found = _BYTES[word] = word.encode("utf-8")
    return found


def _float(number: int) -> float:
    return _FLOATS[number] if number < _SMALL else float(number)


class TermFlush(SegmentWriter):  # type: ignore[misc]
    """whoosh's segment writer with a ``TermPool``, written a term at a time."""

    def __init__(self, *args: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(*args, limitmb=limitmb, **kwargs)
        self.use_term_pool(limitmb)

    def use_term_pool(self, limitmb: int) -> None:
        """Buffer postings in a ``TermPool`` (for writers whose ``__init__`` skips this one's)."""
        self.pool = TermPool(self._tempstorage, limitmb)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            self._write_terms(self.pool.terms(), lengths)
            self.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()

    def _write_terms(self, terms: Terms, lengths: Any) -> None:
        writer = self.fieldwriter
        for name, found in groupby(terms, key=itemgetter(0)):
            field = self.schema[name]
            writer.start_field(name, field)
            of_doc = None
            if lengths is not None and field.scorable:
                of_doc = [lengths.doc_field_length(d, name) for d in range(self.docnum)]
            for _, btext, flat in found:
                writer.add_term(btext, flat[0::3], flat[1::3], flat[2::3], of_doc)
            writer.finish_field()


class TermPostings(TermFlush):
    """A ``TermFlush`` writer whose documents' Arabic fields get their postings from the terms
    given with them (``TERMS``), not from whoosh's token stream."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._arabic = {name: _arabic(field) for name, field in self.schema.items()}

    def add_document(self, **fields: Any) -> None:
        for name in fields.get(COMPRESS, ()):
            fields[name] = zlib.compress(fields[name].encode("utf-8"))
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    postings, length = self._postings(fields, name, field, docboost)
                    self.pool.add_field(name, docnum, postings)
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _postings(
        self, fields: dict[str, Any], name: str, field: Any, docboost: float
    ) -> tuple[list[tuple[bytes, float, bytes | None]], int]:
        """A field's postings in one document (term, weight, value), and its length."""
        boost = self._field_boost(fields, name, docboost)
        stemmed = self._arabic[name]
        if stemmed is None or boost != 1.0 or field.format.field_boost != 1.0:
            items = list(field.index(fields[name]))
            postings = [(btext, weight * boost, value) for btext, _, weight, value in items]
            return postings, sum(freq for _, freq, _, _ in items)
        given = fields.get(TERMS, {}).get(name)
        if given is None:
            words = words_of(fields[name], stemmed)
        else:
            words = []
            for analysis in given:
                words += analysis[0 if stemmed else 1]
        if type(field.format) is Positions:
            return _positions(words, field.format.encode), len(words)
        return _frequencies(words), len(words)
