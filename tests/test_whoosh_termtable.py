"""The raw read of a segment's term table (``search.engine.whoosh.termtable``) gives what
whoosh's ``iter_field`` gives: every term of a field, in order, with its document frequency."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from search.engine.whoosh import termtable
from search.engine.whoosh.postings import TermPostings
from search.engine.whoosh.reading import WhooshReader
from search.engine.whoosh.termtable import field_terms
from search.engine.whoosh.writing import BahthCodec, open_index
from tests.test_whoosh_postings import _add, _articles, _build


@pytest.mark.parametrize("chunk", [None, 64])  # 64 bytes: records cut, some longer than it
def test_every_field_of_every_segment_reads_as_whoosh_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    if chunk:
        monkeypatch.setattr(termtable, "_CHUNK", chunk)
    articles = _articles(160)
    directory = tmp_path / "index"
    _build(directory, lambda ix: TermPostings(ix, codec=BahthCodec()), articles[:100])
    index = open_index(directory)
    writer = TermPostings(index, codec=BahthCodec())
    _add(writer, articles[100:])
    writer.commit(merge=False)  # a second segment
    index.close()

    index = open_index(directory)
    reader = index.reader()
    segments = [segment for segment, _ in reader.leaf_readers()]
    assert len(segments) == 2
    compared = 0
    for segment in segments:
        for name in (*index.schema.names(), "no_such_field"):
            found = field_terms(segment, name)
            assert found is not None
            known = name in segment.indexed_field_names()
            expected = (
                [(t, i.doc_frequency()) for t, i in segment.iter_field(name)] if known else []
            )
            assert list(found) == expected, name
            compared += len(expected)
    reader.close()
    index.close()
    assert compared > 1000

    # The engine's reader sums them over the segments.
    engine = WhooshReader(directory)
    try:
        summed = dict(engine.terms("body"))
    finally:
        engine.close()
    index = open_index(directory)
    with index.searcher() as searcher:
        expected_sum = Counter(
            {t.decode(): searcher.doc_frequency("body", t) for t in searcher.lexicon("body")}
        )
    index.close()
    assert summed == dict(expected_sum) and max(summed.values()) > 1


def test_a_segment_of_another_kind_is_left_to_whoosh() -> None:
    assert field_terms(object(), "body") is None
