"""Speed benchmarks of Bahth beside its peers (issue 5): ``python -m benchmarks.speed``.

Modules, one job each:

* ``cli``: options and the run, step by step; ``__main__`` calls it.
* ``corpora``: the news corpora, interleaved, limited, scaled, written as one prepared file.
* ``make_queries``: draws the fixed query set from the corpora (seeded); ``queryset`` reads it.
* ``engines``: which indexes a run builds and which it queries.
* ``build``: builds one index in a fresh child process and reports its peak RSS;
  ``indexing`` runs it per engine and turns its output into throughput.
* ``runners``: one query on Bahth or on a peer; ``latency`` times the categories with them;
  ``snippet_time`` times ``make_snippet`` alone; ``stats`` summarizes timings.
* ``results``: the dataclasses a run fills; ``targets``: the issue's targets, met or missed.
* ``tables``, ``report``, ``docs_page``: stdout tables, the JSON file, ``docs/benchmarks.md``.
* ``profile``: ``python -m benchmarks.speed.profile --what index|query|snippets``.
"""
