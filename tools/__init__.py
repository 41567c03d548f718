"""Maintainers' tools run from a checkout (``python -m tools.NAME``), never shipped: they may use
``benchmarks`` and the shared corpora, and write data files that ``search/`` then ships."""
