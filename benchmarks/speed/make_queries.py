"""Write the fixed query set: ``python -m benchmarks.speed.make_queries``.

Every query is made of words that occur in the corpora, drawn with a fixed seed, so the file
is the same on every machine and a figure from one run compares with a figure from the next.
For each corpus and each category (see ``queryset.CATEGORIES``) it draws ``--per-category``
distinct queries; the file holds only short query strings, never article text.

Words are runs of Arabic letters (3-15, no diacritics or tatweel, so every peer's tokenizer
keeps them whole) that are not stop words for Bahth or for Lucene's Arabic list (so a peer does
not silently run a shorter query than Bahth).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.core import cli
from benchmarks.core.corpora import CORPORA, read_records
from benchmarks.peers._common import arabic_stopwords
from benchmarks.speed.queryset import CATEGORIES, DEFAULT_QUERIES, HEADER, Query
from search.arabic import is_stopword, normalize_light
from search.ingest import parse_date

SEED = 5  # the issue number; any fixed value gives a reproducible file
PER_CATEGORY = 250
# Tokens are runs of letters, digits, tatweel and harakat, so that a word written with a
# tatweel or a haraka (شـركة, خَلاص) stays one token instead of leaving fragments (ركة) behind;
# only tokens of plain Arabic letters (hamza..ghain, feh..yeh) are used as query words.
_TOKEN = re.compile(r"[\w\u0640\u064b-\u065f\u0670]+")
_PLAIN = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")
MIN_LETTERS, MAX_LETTERS = 3, 15
RARE_DF = (1, 5)
MIN_PREFIX_LETTERS = 4
ATTEMPTS_PER_QUERY = 200  # give up on a category rather than loop forever on a tiny sample


@dataclass
class Article:
    """What query drawing needs from an article: its tokens in order, and its date.

    A token is ``(text, follows)``: ``follows`` when a single space is all that separates it
    from the token before (the two are a phrase as written).
    """

    words: list[tuple[str, bool]]
    date: dt.date | None


class Vocabulary:
    """Content words and their document frequencies in one corpus."""

    def __init__(self, articles: list[Article]) -> None:
        self.df: Counter[str] = Counter()
        for article in articles:
            self.df.update({w for w, _ in article.words if is_content(w)})


_LUCENE_STOPWORDS = frozenset(arabic_stopwords())


def is_content(word: str) -> bool:
    """A word worth searching: 3-15 plain Arabic letters, a stop word neither for Bahth nor
    for Lucene."""
    return (
        MIN_LETTERS <= len(word) <= MAX_LETTERS
        and _PLAIN.fullmatch(word) is not None
        and word not in _LUCENE_STOPWORDS
        and not is_stopword(normalize_light(word))
    )


def read_articles(path: Path, limit: int | None) -> list[Article]:
    """Tokens (of title + newline + body) and dates of the corpus articles."""
    articles = []
    for number, record in enumerate(read_records(path)):
        if limit is not None and number >= limit:
            break
        text = f"{record.get('title') or ''}\n{record.get('body') or ''}"
        words = []
        end = -2
        for match in _TOKEN.finditer(text):
            words.append((match.group(), text[end : match.start()] == " "))
            end = match.end()
        articles.append(Article(words, parse_date(record.get("date"))))
    return articles


class Drawer:
    """Draws the queries of every category for one corpus, seeded per category."""

    def __init__(self, corpus: str, articles: list[Article], seed: int, count: int) -> None:
        self.corpus = corpus
        self.articles = [a for a in articles if a.words]
        self.vocab = Vocabulary(self.articles)
        self.seed = seed
        self.count = count
        ranked = sorted(self.vocab.df.items(), key=lambda item: (-item[1], item[0]))
        self.common = [word for word, _ in ranked[:count]]
        self._common_set = set(self.common)

    def all(self) -> list[Query]:
        """Every category's queries, in category order."""
        draw: dict[str, Callable[[random.Random], Query | None]] = {
            "single": self._single,
            "multi": self._multi,
            "phrase": self._phrase,
            "prefix": self._prefix,
            "date": self._date,
            "sorted": self._sorted,
        }
        queries = []
        for category in CATEGORIES:
            if category == "common":
                queries += [Query("common", w, self.corpus) for w in self.common]
            elif category == "rare":
                queries += self._rare()
            else:
                queries += self._distinct(category, draw[category])
        return queries

    def _rng(self, category: str) -> random.Random:
        # A string seed is hashed with SHA-512, not hash(): the same on every run and machine.
        return random.Random(f"{self.seed}/{self.corpus}/{category}")

    def _distinct(
        self, category: str, draw: Callable[[random.Random], Query | None]
    ) -> list[Query]:
        rng = self._rng(category)
        found: dict[tuple[str, str], Query] = {}
        for _ in range(self.count * ATTEMPTS_PER_QUERY):
            if len(found) == self.count:
                break
            query = draw(rng)
            if query is not None:
                found.setdefault((query.text, str(query.options)), query)
        return list(found.values())

    def _words(self, article: Article, *, min_df: int = 2) -> list[str]:
        """Distinct content words of an article in text order, seen in at least min_df articles."""
        seen = dict.fromkeys(
            w for w, _ in article.words if is_content(w) and self.vocab.df[w] >= min_df
        )
        return list(seen)

    def _some_words(self, rng: random.Random, low: int, high: int) -> tuple[Article, str] | None:
        article = rng.choice(self.articles)
        words = self._words(article)
        if len(words) < low:
            return None
        return article, " ".join(rng.sample(words, rng.randint(low, min(high, len(words)))))

    def _single(self, rng: random.Random) -> Query | None:
        # Not a common or rare word: those have categories of their own.
        words = [
            w
            for w in self._words(rng.choice(self.articles), min_df=RARE_DF[1] + 1)
            if w not in self._common_set
        ]
        return Query("single", rng.choice(words), self.corpus) if words else None

    def _multi(self, rng: random.Random) -> Query | None:
        drawn = self._some_words(rng, 2, 4)
        return Query("multi", drawn[1], self.corpus) if drawn else None

    def _phrase(self, rng: random.Random) -> Query | None:
        article = rng.choice(self.articles)
        words = article.words
        length = rng.choice((2, 2, 3))  # two-word phrases are the usual case (names, titles)
        runs = [
            words[i : i + length]
            for i in range(len(words) - length + 1)
            # Adjacent: only one space between them, no punctuation or line break.
            if all(follows for _, follows in words[i + 1 : i + length])
            and all(is_content(w) for w, _ in words[i : i + length])
        ]
        if not runs:
            return None
        return Query("phrase", '"' + " ".join(w for w, _ in rng.choice(runs)) + '"', self.corpus)

    def _prefix(self, rng: random.Random) -> Query | None:
        long_words = [w for w in self._words(rng.choice(self.articles)) if len(w) > 4]
        if not long_words:
            return None
        word = rng.choice(long_words)
        cut = rng.randint(MIN_PREFIX_LETTERS, len(word) - 1)
        return Query("prefix", word[:cut] + "*", self.corpus)

    def _date(self, rng: random.Random) -> Query | None:
        drawn = self._some_words(rng, 1, 2)
        if drawn is None or drawn[0].date is None:
            return None
        day = drawn[0].date
        since = day - dt.timedelta(days=rng.randint(0, 30))
        until = day + dt.timedelta(days=rng.randint(0, 60))
        # Both bounds half of the time, one open end otherwise: all three forms occur in use.
        shape = rng.choice(("both", "both", "since", "until"))
        options = {}
        if shape in ("both", "since"):
            options["since"] = since.isoformat()
        if shape in ("both", "until"):
            options["until"] = until.isoformat()
        return Query("date", drawn[1], self.corpus, options)

    def _sorted(self, rng: random.Random) -> Query | None:
        drawn = self._some_words(rng, 1, 2)
        return Query("sorted", drawn[1], self.corpus, {"sort": "date"}) if drawn else None

    def _rare(self) -> list[Query]:
        low, high = RARE_DF
        rare = sorted(w for w, df in self.vocab.df.items() if low <= df <= high)
        picked = self._rng("rare").sample(rare, min(self.count, len(rare)))
        return [Query("rare", w, self.corpus) for w in picked]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed.make_queries",
        description="Draw the benchmark queries from the corpora (seeded) and write them as TSV.",
        epilog="Example: python -m benchmarks.speed.make_queries --per-category 250",
    )
    cli.add_data(parser)
    parser.add_argument(
        "--per-category",
        type=int,
        default=PER_CATEGORY,
        help="queries per category and corpus (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="(default: %(default)s)")
    parser.add_argument(
        "--limit", type=int, help="read only the first N articles per corpus (trials only)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_QUERIES,
        help="(default: benchmarks/queries/queries.tsv)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Draw and write the queries; exit 1 if a corpus is missing."""
    args = parse_args(argv)
    queries: list[Query] = []
    for corpus, relative in CORPORA.items():
        path = args.data / relative
        if not path.is_file():
            print(
                f"Error: no corpus at {path}. Pass the data directory with --data.", file=sys.stderr
            )
            return 1
        drawer = Drawer(corpus, read_articles(path, args.limit), args.seed, args.per_category)
        drawn = drawer.all()
        counts = Counter(q.category for q in drawn)
        print(f"{corpus}: " + ", ".join(f"{c} {counts[c]}" for c in CATEGORIES), file=sys.stderr)
        queries += drawn
    order = list(CATEGORIES)
    queries.sort(key=lambda q: order.index(q.category))  # stable: corpus order kept inside
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join([HEADER, *(q.line() for q in queries)]) + "\n", encoding="utf-8")
    print(f"{len(queries)} queries written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
