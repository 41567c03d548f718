"""The fixed query set: ``benchmarks/queries/queries.tsv``, read and selected for a run.

One query per line, ``category<TAB>query<TAB>options``, options a JSON object:
``corpus`` (where the words were drawn from) and, when the category needs them, ``since`` /
``until`` (``YYYY-MM-DD``) or ``sort`` (``"date"``). The first line is a header.
``python -m benchmarks.speed.make_queries`` writes the file.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.core.corpora import REPO_ROOT

DEFAULT_QUERIES = REPO_ROOT / "benchmarks" / "queries" / "queries.tsv"
HEADER = "category\tquery\toptions"

#: Categories in report order, with what each one measures.
CATEGORIES: dict[str, str] = {
    "single": "one content word from a random article",
    "multi": "2-4 content words from one article",
    "phrase": "2-3 adjacent words of an article, quoted",
    "prefix": "word*: the first 4+ letters of a content word",
    "date": "1-2 words with since/until around the article's date",
    "sorted": "1-2 words, newest first (sort=date)",
    "rare": "a word in 1-5 articles of its corpus",
    "common": "a top document-frequency word that is not a stop word",
}
#: "1-4 word" categories of the latency target.
WORD_CATEGORIES = ("single", "multi", "rare", "common")


@dataclass(frozen=True)
class Query:
    """One benchmark query."""

    category: str
    text: str
    corpus: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def since(self) -> str | None:
        return self.options.get("since")

    @property
    def until(self) -> str | None:
        return self.options.get("until")

    @property
    def sort(self) -> str:
        return self.options.get("sort", "relevance")

    @property
    def search_options(self) -> dict[str, str | None]:
        """``Searcher.search``'s keywords for this query's dates and order."""
        return {
            "since": self.since,
            "until": self.until,
            "sort": "date" if self.sort == "date" else "relevance",
        }

    def line(self) -> str:
        """The TSV line for this query."""
        options = {"corpus": self.corpus, **self.options}
        return f"{self.category}\t{self.text}\t{json.dumps(options, ensure_ascii=False)}"


def load(path: Path = DEFAULT_QUERIES) -> list[Query]:
    """Every query in the file, in file order."""
    queries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != HEADER:
        raise ValueError(f"{path}: the first line must be the header {HEADER!r}")
    for number, line in enumerate(lines[1:], start=2):
        category, text, options_json = line.split("\t")
        options = json.loads(options_json)
        if category not in CATEGORIES:
            raise ValueError(f"{path}:{number}: unknown category {category!r}")
        corpus = options.pop("corpus")
        queries.append(Query(category, text, corpus, options))
    return queries


def select(queries: list[Query], corpora: list[str], per_category: int) -> dict[str, list[Query]]:
    """Up to ``per_category`` queries per category, drawn from ``corpora`` in turn.

    A run on one corpus uses that corpus's queries; a run on several interleaves theirs, so
    every corpus is represented in the first ``per_category``.
    """
    chosen: dict[str, list[Query]] = {}
    for category in CATEGORIES:
        by_corpus = [
            [q for q in queries if q.category == category and q.corpus == corpus]
            for corpus in corpora
        ]
        mixed = (q for group in itertools.zip_longest(*by_corpus) for q in group if q is not None)
        chosen[category] = list(itertools.islice(mixed, per_category))
    return chosen
