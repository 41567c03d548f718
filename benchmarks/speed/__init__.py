"""Speed benchmarks of Bahth beside its peers (issue 5): ``python -m benchmarks.speed``.

Corpora, engines, child-process builds, peak RSS and machine info come from ``benchmarks.core``.
Modules here, one job each:

* ``cli``: options and the run, step by step; ``__main__`` calls it.
* ``make_queries``: draws the fixed query set from the corpora (seeded); ``queryset`` reads it.
* ``engines``: which indexes a run builds (engine × workers) and which it queries.
* ``indexing``: one build per engine in a child process, its output turned into throughput.
* ``latency``: one query on any engine, and the categories timed with it; ``snippet_time``
  times ``make_snippet`` alone; ``stats`` summarizes timings.
* ``results``: the dataclasses a run fills; ``targets``: the issue's targets, met or missed.
* ``tables``, ``report``, ``docs_page``: stdout tables, the JSON file, ``docs/benchmarks.md``.
* ``profile``: ``python -m benchmarks.speed.profile --what index|query|snippets``.
"""
