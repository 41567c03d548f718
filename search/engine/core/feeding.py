"""Articles to an engine's writer, prepared and given their stories, in the order added.

An engine's writer hands every article it is given to a ``Feeder``, with two functions:
``document(article, content_hash, story, prepared)`` makes the engine's document of an article
that could be prepared, and ``put(document)`` gives it to the engine, in the order the
articles were added. With one worker the analysis runs here; with more, in that many analysis
processes (``pool``) while the engine indexes what is ready. An article that cannot be
prepared, or whose document cannot be made (``document`` raises), is a ``Failure``; what
``put`` raises (a full disk) is the run's, and ends it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from ...article import Article
from ..contract import EXACT_FIELDS, TOUCHED_MOST, Failure, failure
from .documents import Prepared, Unprepared, prepare_all
from .pool import AnalysisPool

if TYPE_CHECKING:
    from ...stories import Stories

D = TypeVar("D")

# Articles prepared and stored at a time: with several workers, what goes to an analysis
# process; with one, what is prepared here, so that their stories are looked up together (one
# by one, a +1,000 run on a million articles read the story segments 1,000 times over).
BATCH_ARTICLES = 64


class Feeder(Generic[D]):
    """Prepares articles (in ``workers`` processes when more than one), assigns their stories
    with ``stories``, makes their documents and puts them in the engine."""

    def __init__(
        self,
        workers: int,
        stories: Stories,
        document: Callable[[Article, str, int, Prepared], D],
        put: Callable[[D], None],
    ) -> None:
        self._workers = workers
        self._stories = stories
        self._document = document
        self._put = put
        self._pool: AnalysisPool | None = None
        self._batch: list[tuple[Article, str]] = []
        self._submitted: deque[list[tuple[Article, str]]] = deque()
        self._failures: list[Failure] = []
        self._words: set[str] | None = set()

    def add(self, article: Article, content_hash: str) -> None:
        """Prepare and store ``article`` with its batch."""
        self._batch.append((article, content_hash))
        if len(self._batch) >= BATCH_ARTICLES:
            self._submit()

    def drain(self) -> None:
        """Store every article added so far (a delete must not overtake them)."""
        if self._batch:
            self._submit()
        while self._submitted:
            self._take()

    def failures(self) -> list[Failure]:
        """The articles left out since the last call, once every article added is stored."""
        self.drain()
        found, self._failures = self._failures, []
        return found

    def words(self) -> set[str] | None:
        """The words of the exact fields of the articles stored so far, None past
        ``TOUCHED_MOST`` (``EngineWriter.touched``)."""
        return self._words

    def close(self) -> None:
        """End the analysis processes; what they still held is dropped."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self._submitted.clear()
        self._batch = []

    def _submit(self) -> None:
        if self._workers == 1:  # prepared here, a batch at once: its stories looked up together
            batch, self._batch = self._batch, []
            self._stored(batch, prepare_all([article for article, _ in batch]))
            return
        if self._pool is None:
            self._pool = AnalysisPool(self._workers)
        while self._pool.full:
            self._take()
        self._pool.submit([article for article, _ in self._batch])
        self._submitted.append(self._batch)
        self._batch = []

    def _take(self) -> None:
        assert self._pool is not None
        self._stored(self._submitted.popleft(), self._pool.next_result())

    def _stored(
        self, batch: list[tuple[Article, str]], analyzed: list[Prepared | Unprepared]
    ) -> None:
        prepared: list[tuple[Article, str, Prepared]] = []
        for (article, content_hash), made in zip(batch, analyzed, strict=True):
            if isinstance(made, Unprepared):
                self._failures.append(
                    Failure(article.id, content_hash, article.origin, made.reason)
                )
            else:
                prepared.append((article, content_hash, made))
        # Stories are assigned in the order documents reach the engine, from the signatures
        # the analysis made: a batch at once, which costs a third of one by one.
        stories = self._stories.assign_all([(a.id, p.signature) for a, _, p in prepared])
        for (article, content_hash, made), story in zip(prepared, stories, strict=True):
            try:
                document = self._document(article, content_hash, story, made)
            except Exception as error:  # a value the engine cannot take: this article's reject
                self._failures.append(failure(article, content_hash, "could not be stored", error))
                continue
            self._put(document)
            if self._words is not None:
                for name, text in made.texts:
                    if name in EXACT_FIELDS:
                        self._words.update(text.split())
                if len(self._words) > TOUCHED_MOST:
                    self._words = None
