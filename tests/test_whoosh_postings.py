"""Bahth's whoosh write path (``search.engine.whoosh.postings``) writes what whoosh's own
writes: the same terms and postings files, byte for byte, for one segment, and the same
postings, lengths and stored fields of every article when the pool spills, when analysing
processes split the articles among segments, and when a commit merges segments."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.writing import SegmentWriter

from search.arabic import index_terms
from search.article import Article
from search.engine.testing import ARTICLES
from search.engine.whoosh.postings import TERMS, TermPostings
from search.engine.whoosh.processes import ProcessWriter
from search.engine.whoosh.schema import analysed, document
from search.engine.whoosh.writing import BahthCodec, create_index, open_index

# Real words, drawn with repetitions: some words occur several times in a body (frequencies
# and positions above 1) and some in more articles than a posting block holds (128).
_WORDS = sorted({w for a in ARTICLES for w in f"{a.title} {a.body}".split()})


def _articles(count: int, seed: int = 7) -> list[Article]:
    draw = random.Random(seed)
    return [
        Article(
            f"n{n}",
            " ".join(draw.choices(_WORDS, k=draw.randint(2, 8))),
            " ".join(draw.choices(_WORDS[: 20 + n % 60], k=draw.randint(0, 90))),
            keywords=tuple(draw.sample(_WORDS, k=n % 3)),
            source=draw.choice(["Okaz", "Al Riyadh", ""]),
        )
        for n in range(count)
    ]


Writer = Callable[[Any], Any]


def _add(writer: Any, articles: list[Article], terms: bool = True, compressed: bool = True) -> None:
    """Add the articles' documents as Bahth's writer makes them (the analysis given with
    them, unless not ``terms``: whoosh's own writer leaves it out and analyses the texts; the
    body compressed, unless not ``compressed``: the writer compresses it)."""
    for article in articles:
        fields = document(article, f"h-{article.id}", analysed(article), compressed)
        fields["story"] = str(len(article.body) % 5)
        if not terms:
            del fields[TERMS]
        writer.add_document(**fields)


def _build(
    directory: Path,
    make: Writer,
    articles: list[Article],
    terms: bool = True,
    compressed: bool = True,
) -> None:
    directory.mkdir()
    create_index(directory)
    index = open_index(directory)
    writer = make(index)
    _add(writer, articles, terms, compressed)
    writer.commit()
    index.close()


def _stock(index: Any, limitmb: int = 256) -> Any:
    return SegmentWriter(index, codec=BahthCodec(), limitmb=limitmb)


def _files(directory: Path) -> dict[str, bytes]:
    """The terms and postings files of the index's one segment. (Its per-document files are
    not the same twice even from whoosh alone: ``_postings`` compares what they hold.)"""
    index = open_index(directory)
    (segment,) = index._segments()
    storage = segment.open_compound_file(index.storage)
    found = {
        extension: storage.open_file(f"{segment.make_filename(extension)}").read()
        for extension in (".trm", ".pst")
    }
    index.close()
    return found


def _postings(directory: Path) -> dict[tuple[str, str, Any], Any]:
    """(article, field, term) → (weight, value, the field's length in the article), and
    (article, "stored", "") → its stored fields, over every segment."""
    index = open_index(directory)
    reader = index.reader()
    ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
    found: dict[tuple[str, str, Any], Any] = {
        (fields["id"], "stored", ""): fields for _, fields in reader.iter_docs()
    }
    for field in reader.indexed_field_names():
        for term in reader.lexicon(field):
            postings = reader.postings(field, term)
            while postings.is_active():
                docnum = postings.id()
                length = reader.doc_field_length(docnum, field) or 0
                found[ids[docnum], field, term] = (postings.weight(), postings.value(), length)
                postings.next()
    reader.close()
    index.close()
    return found


def _rare(count: int) -> list[Article]:
    """Articles whose words no other article has, some twice (a term of one posting, of
    weight 1 or 2: most terms of a segment are of one article)."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمن"
    words = [f"{a}{b}{c}ان" for a in letters for b in letters for c in letters[:2]]
    return [
        Article(f"r{n}", words[3 * n], f"{words[3 * n + 1]} {words[3 * n + 2]} " * (1 + n % 2))
        for n in range(count)
    ]


def test_one_segment_is_the_same_files_as_whooshs(tmp_path: Path) -> None:
    articles = _articles(300) + _rare(40)
    _build(tmp_path / "stock", _stock, articles)
    _build(tmp_path / "ours", lambda ix: TermPostings(ix, codec=BahthCodec()), articles)
    stock, ours = _files(tmp_path / "stock"), _files(tmp_path / "ours")
    for extension, data in stock.items():
        assert ours[extension] == data, f"segment file {extension} differs"
    postings = _postings(tmp_path / "ours")
    assert postings == _postings(tmp_path / "stock")
    # What the analysis says an article holds.
    article = articles[5]
    body = {w.encode() for w in index_terms(article.body)[0]}
    assert {term for (i, f, term) in postings if i == article.id and f == "body"} == body


def test_a_spilling_pool_writes_the_same_postings(tmp_path: Path) -> None:
    articles = _articles(120)
    _build(tmp_path / "stock", _stock, articles)
    # A limit of 0 spills every document's postings to a run of their own; without the terms
    # given, the texts are analysed by the writer.
    spilling = lambda ix: TermPostings(ix, codec=BahthCodec(), limitmb=0)  # noqa: E731
    _build(tmp_path / "ours", spilling, articles, terms=False)
    assert _files(tmp_path / "ours") == _files(tmp_path / "stock")
    assert _postings(tmp_path / "ours") == _postings(tmp_path / "stock")


def test_writing_processes_write_the_same_postings(tmp_path: Path) -> None:
    articles = _articles(240)
    _build(tmp_path / "stock", _stock, articles)
    # Each process spills every document's postings, to runs in the directory they share,
    # and compresses the bodies it stores, as Bahth's writer leaves them to it.
    _build(
        tmp_path / "ours",
        lambda ix: ProcessWriter(ix, procs=2, batchsize=20, codec=BahthCodec(), limitmb=0),
        articles,
        compressed=False,
    )
    assert len(open_index(tmp_path / "ours")._segments()) == 2  # one a process
    postings = _postings(tmp_path / "ours")
    assert postings == _postings(tmp_path / "stock")
    stored = [fields for (_, kind, _), fields in postings.items() if kind == "stored"]
    assert sum(isinstance(fields.get("body_z"), bytes) for fields in stored) > 200


def test_merged_segments_keep_every_posting(tmp_path: Path) -> None:
    """A commit merges small segments through the pool (whoosh's ``add_reader``)."""
    articles = _articles(90)
    _build(tmp_path / "stock", _stock, articles)
    directory = tmp_path / "ours"
    _build(directory, lambda ix: TermPostings(ix, codec=BahthCodec()), articles[:30])
    for part in (articles[30:60], articles[60:]):
        index = open_index(directory)
        writer = TermPostings(index, codec=BahthCodec())
        _add(writer, part)
        writer.commit(optimize=True)
        index.close()
    assert len(open_index(directory)._segments()) == 1
    assert _postings(directory) == _postings(tmp_path / "stock")
