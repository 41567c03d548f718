"""Ranking quality of Bahth beside its peers on judged data: ``python -m benchmarks.relevance``.

The news pool and the engines come from ``benchmarks.core``. Modules here, one job each:

* ``knownitem``: known-item queries whose words are written in other surface forms (no Bahth
  code involved);
* ``sets``: the judged sets (ARCD, Qur'an QA 2023 task A, news known-item) as documents,
  queries and qrels; ``derived``: two more on the news collection (``names``: a name in its
  other spelling; ``hard``: forms a light stemmer misses, ``hardforms``);
* ``systems``: Bahth's query modes and ablations per engine and the peers, index building
  and caching, query runs; ``ablation``: what each part adds (full system against one part
  off);
* ``metrics``: MRR@10, Recall@10/100, nDCG@10 and paired significance tests through ranx;
* ``report``: the terminal table, the JSON results and docs/relevance.md;
* ``__main__``: the command line.
"""
