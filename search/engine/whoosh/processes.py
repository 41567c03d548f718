"""whoosh's writing processes, made to end with the run.

whoosh's ``MpWriter`` forks ``procs`` processes (``SubWriterTask``) that take job files of
documents off a queue and write segments of their own. Bahth changes four things about them:

- **They write, and analyse nothing**: the writer has analysed each article already (its
  story and the vocabulary need its words; an article whose analysis fails is a reject
  there), and a document carries its fields' terms (``postings.TERMS``) to the
  ``TermPostings`` writer of each process.
- **They end with the run** (``lifetime.die_with_parent``): a killed run leaves none waiting
  on its job queue.
- **They hold no lock**: forked, a process inherits every descriptor of its parent, the
  index's locks included, and ``flock`` locks are released only when the last descriptor of a
  lock's open file closes. Orphaned, the processes of a killed run kept the index locked for
  good. Each process lets go of whoosh's ``WRITELOCK`` as it starts (Bahth's ``write.lock`` is
  let go of in every fork child: ``search.locking``), so a dead writer's locks die with it.
- **Ctrl-C is the parent's**: a terminal sends SIGINT to the whole process group; each process
  would print its own traceback, or, still running while the parent cleans up, fail on a job
  file the parent deleted. The parent cancels the run and ends them.
"""

from __future__ import annotations

import os
import pickle
import signal
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from ..core import lifetime
from .postings import TermFlush, TermPostings


class WritingTask(SubWriterTask):  # type: ignore[misc]
    """One writing process: whoosh's, with a ``TermPostings`` writer, ending with its parent
    and holding no lock."""

    def __init__(self, *args: Any, inherited_lock: int | None) -> None:
        super().__init__(*args)
        self.inherited_lock = inherited_lock
        self.parent = os.getpid()  # made before the fork: the PID of the writer

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        lifetime.die_with_parent(self.parent)
        if self.inherited_lock is not None:
            lifetime.drop_inherited(self.inherited_lock)
        try:
            self._work()
        except BaseException:
            if not lifetime.parent_alive(self.parent):
                lifetime.exit_quietly()  # its job files are gone with the run: no traceback
            raise

    def _work(self) -> None:
        """whoosh's loop (``SubWriterTask.run`` with ``multisegment``, what ``ProcessWriter``
        asks for) with a ``TermPostings`` writer: take job files until told to stop, then
        write the segment and hand it to the parent."""
        index = self.storage.open_index(self.indexname)
        writer = self.writer = TermPostings(index, _lk=False, **self.kwargs)
        while True:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        fieldnames = writer.pool.fieldnames
        self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)


class ProcessWriter(MpWriter, TermFlush):  # type: ignore[misc]
    """whoosh's multiprocess writer with ``WritingTask``s, always ``multisegment``. What it
    writes itself (small segments merged at a commit) goes through a ``TermPool``."""

    docbuffer: list[tuple[int, dict[str, Any]]]  # whoosh's: (0, fields) of documents to send

    def __init__(self, *args: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(*args, limitmb=limitmb, multisegment=True, **kwargs)
        self.use_term_pool(limitmb)  # whoosh's MpWriter skips TermFlush.__init__
        self.tasks: list[WritingTask] = []

    def _enqueue(self) -> None:
        """whoosh's ``_enqueue`` (the buffered documents to a job file, its name on the job
        queue) with pickle's newest protocol rather than protocol 2: a document carries its
        words (``postings.TERMS``), hundreds of short strings, which the processes load 2.3
        times faster from it (SaudiNewsNet articles), from a file an eighth smaller."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as job:
            pickler = pickle.Pickler(job, pickle.HIGHEST_PROTOCOL)
            for item in self.docbuffer:
                pickler.dump(item)
                pickler.clear_memo()  # each document is read with a load of its own
        if len(self.tasks) < self.procs:
            self._new_task()
        self.jobqueue.put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _new_task(self) -> WritingTask:
        lock = self.writelock.fd if self.writelock is not None else None
        task = WritingTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
            inherited_lock=lock,
        )
        self.tasks.append(task)
        task.start()
        return task

    def check_tasks(self) -> None:
        """Raise if a process ended before its work was done: whoosh would commit without its
        documents (it takes the results there are)."""
        for task in self.tasks:
            if task.exitcode not in (None, 0):
                raise RuntimeError(
                    f"a writing process ended (exit code {task.exitcode}); see its error above"
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
        for waiting in (self.jobqueue, self.resultqueue):
            waiting.cancel_join_thread()
        self.tasks = []
        SegmentWriter.cancel(self)
