"""The judged sets: documents, queries and relevance judgments (qrels), read from ``shared/data``.

* ``arcd``: ARCD's 465 Wikipedia paragraphs (title = article title, body = paragraph) and its
  1,395 crowd questions; a question is relevant to the paragraph it was written on, and to the
  other copy when the paragraph occurs twice (5 paragraphs do).
* ``quran``: Qur'an QA 2023 task A: the 1,266 Qur'anic passages and the train + dev questions
  with their qrels; questions whose only judgment is ``-1`` (no answer in the collection) are
  left out and counted.
* ``news``: known-item queries on the three news corpora (``knownitem.py``): a seeded sample of
  target articles, each with one generated query, searched among the targets plus seeded
  distractor articles.
* ``names``, ``hard``: known-item queries on the news set's collection (``derived.py``): a
  name written in its other spelling (``benchmarks.variants.queries``), and words written in
  forms Lucene's light stemmer misses (``hardforms.py``).
"""

from __future__ import annotations

import csv
import functools
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.core.corpora import read_news_pool
from benchmarks.peers import Doc
from benchmarks.peers._common import arabic_stopwords
from benchmarks.relevance.knownitem import KnownItemQuery, Vocabulary, fold, make_query, query_rng

SET_NAMES = ("arcd", "quran", "news", "names", "hard")
ARCD_FILE = Path("arcd") / "arcd.json"
QURAN_DIR = Path("quran_qa_2023_task_a")
QURAN_PASSAGES = "QQA23_TaskA_QPC_v1.1.tsv"
QURAN_SPLITS = ("train", "dev")  # the test split has no published qrels
NO_ANSWER = "-1"  # Qur'an QA's passage id for "the collection holds no answer"


@dataclass
class EvalSet:
    """One judged set: what to index, what to ask, and which documents are relevant."""

    name: str
    docs: list[Doc]
    queries: dict[str, str]  # query id → text
    qrels: dict[str, dict[str, int]]  # query id → {doc id: relevance}
    info: dict[str, Any] = field(default_factory=dict)  # sizes, skips, seeds: for the report
    # Per query, extra detail for the report (known-item: the words and their variants).
    details: dict[str, Any] = field(default_factory=dict)
    # The set whose documents these are, when another's (names, hard: news): engines index a
    # collection once and every set of it searches that index.
    collection: str = ""

    @property
    def index_name(self) -> str:
        """The name the set's indexes are built and cached under."""
        return self.collection or self.name


def load_arcd(data: Path) -> EvalSet:
    """ARCD: every paragraph a document, every question a query."""
    squad = json.loads((data / ARCD_FILE).read_text(encoding="utf-8"))
    docs: list[Doc] = []
    by_context: dict[str, list[str]] = defaultdict(list)
    asked: list[tuple[str, str, str]] = []  # (question id, question, context)
    for a, article in enumerate(squad["data"]):
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"arcd-{a}-{p}"
            context = paragraph["context"]
            docs.append(Doc(id=doc_id, title=article["title"], body=context, date=None))
            by_context[context].append(doc_id)
            asked += [(qa["id"], qa["question"], context) for qa in paragraph["qas"]]
    queries = {qid: question.strip() for qid, question, _ in asked}
    # A paragraph that occurs twice answers its questions in both places.
    qrels = {qid: dict.fromkeys(by_context[context], 1) for qid, _, context in asked}
    duplicated = sum(1 for ids in by_context.values() if len(ids) > 1)
    return EvalSet(
        name="arcd",
        docs=docs,
        queries=queries,
        qrels=qrels,
        info={
            "documents": len(docs),
            "queries": len(queries),
            "duplicated_paragraphs": duplicated,
            "queries_with_two_relevant": sum(1 for q in qrels.values() if len(q) > 1),
        },
    )


def _tsv(path: Path) -> list[list[str]]:
    # The files have no final newline and no quoting; csv keeps tabs inside nothing.
    with path.open(encoding="utf-8", newline="") as lines:
        return [row for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def load_quran(data: Path) -> EvalSet:
    """Qur'an QA 2023 task A: passages, train + dev questions, qrels without zero-answer ones."""
    root = data / QURAN_DIR
    docs = [
        Doc(id=pid, title="", body=text, date=None) for pid, text in _tsv(root / QURAN_PASSAGES)
    ]
    questions: dict[str, str] = {}
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    for split in QURAN_SPLITS:
        questions.update({qid: text for qid, text in _tsv(root / f"QQA23_TaskA_{split}.tsv")})
        with (root / f"QQA23_TaskA_qrels_{split}.gold").open(encoding="utf-8") as lines:
            for line in lines:
                if parts := line.split():
                    qid, _, pid, relevance = parts
                    judged[qid][pid] = int(relevance)
    zero_answer = sorted(q for q, j in judged.items() if set(j) == {NO_ANSWER})
    qrels = {
        q: {p: r for p, r in j.items() if p != NO_ANSWER and r > 0}
        for q, j in judged.items()
        if q not in zero_answer
    }
    unjudged = sorted(set(questions) - set(judged))
    return EvalSet(
        name="quran",
        docs=docs,
        queries={q: questions[q] for q in qrels},
        qrels=qrels,
        info={
            "documents": len(docs),
            "queries": len(qrels),
            "questions_read": len(questions),
            "zero_answer_dropped": len(zero_answer),
            "unjudged_dropped": len(unjudged),
            "relevant_per_query": round(sum(map(len, qrels.values())) / len(qrels), 2),
        },
    )


def known_items(
    name: str,
    prefix: str,
    docs: list[Doc],
    targets: list[KnownItemQuery],
    info: dict[str, Any],
    collection: str = "",
) -> EvalSet:
    """The set of known-item searches ``targets`` over ``docs``, numbered ``prefix-0000``…,
    with the kinds of change their words hold in ``info`` and each query's words in
    ``details``."""
    queries = {f"{prefix}-{i:04d}": q for i, q in enumerate(targets)}
    rules = [rule.split(":")[0] for q in targets for w in q.words for rule in w.rules]
    return EvalSet(
        name=name,
        docs=docs,
        queries={qid: q.text for qid, q in queries.items()},
        qrels={qid: {q.doc_id: 1} for qid, q in queries.items()},
        info={
            "documents": len(docs),
            "queries": len(queries),
            **info,
            "query_words": sum(len(q.words) for q in targets),
            "variant_kinds": {kind: rules.count(kind) for kind in sorted(set(rules))},
        },
        details={
            qid: {
                "doc": q.doc_id,
                "words": [[w.original, w.variant, list(w.rules)] for w in q.words],
            }
            for qid, q in queries.items()
        },
        collection=collection,
    )


def load_news(data: Path, *, sample: int, distractors: int | None, seed: int) -> EvalSet:
    """Known-item set: ``sample`` targets and ``distractors`` other articles (None: all)."""
    return _news(data, sample, distractors, seed)[0]


@functools.cache
def _news(
    data: Path, sample: int, distractors: int | None, seed: int
) -> tuple[EvalSet, Vocabulary, frozenset[str]]:
    """The news set, with the pool's vocabulary and the folded stop words it was made with
    (kept: the names and hard sets are made on the same collection)."""
    pool, pool_stats = read_news_pool(data)
    vocab = Vocabulary.build(f"{d['title']}\n{d['body']}" for d in pool)
    stopwords = frozenset(fold(w) for w in arabic_stopwords())
    # One seeded permutation of the pool: targets are its first eligible articles, distractors
    # the next articles not drawn as targets. Targets do not depend on --news-docs, and the
    # distractors of a smaller collection are a subset of those of a larger one.
    order = random.Random(seed).sample(range(len(pool)), len(pool))
    targets: list[KnownItemQuery] = []
    target_positions: set[int] = set()
    ineligible = 0
    for position in order:
        if len(targets) == sample:
            break
        doc = pool[position]
        query = make_query(
            doc["id"], doc["title"], doc["body"], vocab, query_rng(seed, doc["id"]), stopwords
        )
        if query is None:
            ineligible += 1
            continue
        targets.append(query)
        target_positions.add(position)
    others = [p for p in order if p not in target_positions]
    chosen = set(others if distractors is None else others[:distractors])
    # Indexed in permutation order, targets among the others: engines break score ties by
    # index order, which must not favour the targets.
    docs = [pool[p] for p in order if p in target_positions or p in chosen]
    info = {
        "targets": len(targets),
        "distractors": len(chosen),
        "distractors_requested": "all" if distractors is None else distractors,
        "pool": pool_stats.kept,
        "pool_read": pool_stats.read,
        "pool_skipped": {
            "empty_title_or_body": pool_stats.empty,
            "duplicate_url": pool_stats.duplicate_url,
            "duplicate_title_body": pool_stats.duplicate_text,
        },
        "pool_per_corpus": pool_stats.per_corpus,
        "ineligible_targets_skipped": ineligible,
        "seed": seed,
    }
    news = known_items("news", "ki", docs, targets, info)
    return news, vocab, stopwords


def load_set(name: str, data: Path, *, sample: int, distractors: int | None, seed: int) -> EvalSet:
    """The set called ``name`` (one of ``SET_NAMES``)."""
    if name == "arcd":
        return load_arcd(data)
    if name == "quran":
        return load_quran(data)
    if name == "news":
        return load_news(data, sample=sample, distractors=distractors, seed=seed)
    if name in ("names", "hard"):
        from benchmarks.relevance import derived

        news, vocab, stopwords = _news(data, sample, distractors, seed)
        if name == "names":
            return derived.load_names(news, seed=seed)
        return derived.load_hard(news, vocab, stopwords, sample=sample, seed=seed)
    raise ValueError(f"unknown set {name!r}; known: {', '.join(SET_NAMES)}")
