"""What every benchmark shares: corpora, engines, child-process builds, peak RSS, machine, CLI.

* ``corpora``: the news corpora of ``../shared/data``, the prepared corpus file a run indexes,
  and the de-duplicated news pool of the relevance benchmark.
* ``engines``: the registry: Bahth through its public API (``bahth-whoosh``, ``bahth-tantivy``)
  and the peers of ``benchmarks.peers``, behind one interface (build, open, search, close).
* ``build``: builds one engine's index in a fresh interpreter and reports time, size and peak RSS.
* ``rss``: peak RSS of a process, measured from inside it.
* ``machine``: the machine, the load and the code's revision, recorded beside the figures.
* ``cli``: the command-line options every harness spells the same way.
* ``tables``: tables of strings, as aligned text for stdout or Markdown for docs.
"""
