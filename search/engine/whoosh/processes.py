"""whoosh's analysing processes, made to end with the run and to leave a bad article out.

whoosh's ``MpWriter`` forks ``procs`` processes (``SubWriterTask``) that take job files of
documents off a queue, analyse them and write segments of their own. Bahth changes four
things about them:

- **They end with the run** (``lifetime.die_with_parent``): a killed run leaves none waiting
  on its job queue.
- **They hold no lock**: forked, a process inherits every descriptor of its parent, the
  index's locks included, and ``flock`` locks are released only when the last descriptor of a
  lock's open file closes. Orphaned, the processes of a killed run kept the index locked for
  good. Each process lets go of whoosh's ``WRITELOCK`` as it starts (Bahth's ``write.lock`` is
  let go of in every fork child: ``search.locking``), so a dead writer's locks die with it.
- **A document whose analysis fails is left out** and reported as a ``Failure`` (after each
  job file, on a queue of their own; ``settle`` waits for every job handed out and returns
  them), instead of ending the process and, with it, every document it held.
- **Ctrl-C is the parent's**: a terminal sends SIGINT to the whole process group; each process
  would print its own traceback, or, still running while the parent cleans up, fail on a job
  file the parent deleted. The parent cancels the run and ends them.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
from multiprocessing import Queue
from typing import TYPE_CHECKING, Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from ..contract import Failure, describe
from ..core import lifetime
from .analysis import analyse_ahead

if TYPE_CHECKING:
    from multiprocessing.queues import Queue as FailureQueue

ORIGIN = "_bahth_origin"
"""A document's entry naming its article's origin, for a failure's reject: taken out of the
fields before whoosh sees them."""

ANALYSED = ("title", "body", "keywords", "text")
"""The fields whose texts whoosh analyses (the ``_exact`` fields hold the same texts)."""

SETTLE_SECONDS = 1.0
"""How often ``settle`` looks whether a process it waits for has died."""


def analysed_texts(fields: dict[str, Any]) -> list[str]:
    """The texts of a document that whoosh analyses."""
    return [fields[name] for name in ANALYSED if name in fields]


class AnalysingTask(SubWriterTask):  # type: ignore[misc]
    """One analysing process: whoosh's, ending with its parent, holding no lock, and leaving
    out (and reporting on ``failures``) the documents it cannot analyse."""

    def __init__(
        self, *args: Any, failures: FailureQueue[list[Failure]], inherited_lock: int | None
    ) -> None:
        super().__init__(*args)
        self.failures = failures
        self.inherited_lock = inherited_lock
        self.parent = os.getpid()  # made before the fork: the PID of the writer

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        lifetime.die_with_parent(self.parent)
        if self.inherited_lock is not None:
            lifetime.drop_inherited(self.inherited_lock)
        try:
            super().run()
        except BaseException:
            if not lifetime.parent_alive(self.parent):
                lifetime.exit_quietly()  # its job files are gone with the run: no traceback
            raise

    def _process_file(self, filename: str, doc_count: int) -> None:
        writer = self.writer
        storage = writer.temp_storage()
        failed: list[Failure] = []
        with storage.open_file(filename).raw_file() as jobs:
            for _ in range(doc_count):
                code, fields = pickle.load(jobs)
                assert code == 0  # whoosh's only job: add a document
                origin = fields.pop(ORIGIN, None)
                try:
                    analyse_ahead(analysed_texts(fields))
                except Exception as error:  # whatever a text does to the analysis
                    reason = f"could not be analysed: {describe(error)}"
                    failed.append(Failure(fields["id"], fields["hash"], origin, reason))
                    continue
                writer.add_document(**fields)
        storage.delete_file(filename)
        self.failures.put(failed)


class ProcessWriter(MpWriter):  # type: ignore[misc]
    """whoosh's multiprocess writer with ``AnalysingTask``s; ``settle`` returns the documents
    they left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tasks: list[AnalysingTask] = []
        self.failures: FailureQueue[list[Failure]] = Queue()
        self._jobs = 0  # job files handed out
        self._reported = 0  # job files whose failures came back
        self._failed: list[Failure] = []

    def _new_task(self) -> AnalysingTask:
        lock = self.writelock.fd if self.writelock is not None else None
        task = AnalysingTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            failures=self.failures,
            inherited_lock=lock,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        super()._enqueue()
        self._jobs += 1
        self._collect(wait=False)  # keeps the queue's pipe from filling up

    def settle(self) -> list[Failure]:
        """Wait until every document added so far is analysed; the ones left out since the
        last call."""
        if self.docbuffer:
            self._enqueue()
        while self._reported < self._jobs:
            if not self._collect(wait=True):
                self.check_tasks()
        found, self._failed = self._failed, []
        return found

    def _collect(self, *, wait: bool) -> bool:
        """Take the failures of the job files done (``wait``: for one, a while); whether any
        came."""
        came = False
        try:
            if wait:
                self._take(self.failures.get(timeout=SETTLE_SECONDS))
                came = True
            while True:
                self._take(self.failures.get_nowait())
                came = True
        except queue.Empty:
            return came

    def _take(self, failed: list[Failure]) -> None:
        self._failed.extend(failed)
        self._reported += 1

    def check_tasks(self) -> None:
        """Raise if a process ended before its work was done: whoosh would commit without its
        documents (it takes the results there are)."""
        for task in self.tasks:
            if task.exitcode not in (None, 0):
                raise RuntimeError(
                    f"an analysing process ended (exit code {task.exitcode}); see its error above"
                )

    def cancel(self) -> None:
        # whoosh's cancel only flags its copy of each task object, which the processes never
        # see, then deletes the job files they are reading. End them first.
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join()
        # What is still buffered for a queue's pipe has no reader now: do not wait at exit to
        # flush it.
        for waiting in (self.jobqueue, self.resultqueue, self.failures):
            waiting.cancel_join_thread()
        self.tasks = []
        SegmentWriter.cancel(self)
