"""The real dumps in ../shared/data, read end to end (``pytest -m corpus``)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from search.article import Article
from search.ingest import Note, Reject, read_dump

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

DATA = Path(__file__).parents[2] / ".." / "shared" / "data"

Split = Callable[..., tuple[list[Article], list[Reject], list[Note]]]

# (dump, lines, records with neither title nor body). The counts are those of data/README.md;
# SaudiNewsNet's 57 empty records are among its 133 empty bodies and 67 empty titles.
CORPORA = [
    ("antcorpus_v1.1/ant_v1.1_jawharafm.jsonl.gz", 10_161, 0),
    ("antcorpus_multisource_v2.1/ant_v2.1_multisource.jsonl.gz", 31_525, 0),
    ("saudinewsnet/saudinewsnet.jsonl.gz", 31_030, 57),
]


@pytest.mark.parametrize(("dump", "lines", "empty"), CORPORA)
def test_corpus(dump: str, lines: int, empty: int, split: Split) -> None:
    path = DATA / dump
    if not path.exists():
        pytest.skip(f"{dump} is not in ../shared/data")
    articles, rejects, notes = split(read_dump(path))

    assert len(articles) + len(rejects) == lines
    assert len(rejects) == empty
    for reject in rejects:
        assert reject.reason == "empty title and body"
        record = json.loads(reject.raw or "")
        assert not record["title"].strip() and not record["body"].strip()
    assert notes == []  # every date parsed and every byte was UTF-8
    assert all(a.date is not None and a.date_text for a in articles)
    with gzip.open(path, "rt", encoding="utf-8") as raw:
        first = json.loads(next(raw))
    assert (articles[0].id, articles[0].title, articles[0].date_text) == (
        first["id"], first["title"].strip(), first["date"])  # fmt: skip
