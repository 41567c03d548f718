"""The scale benchmark (issue 24): a generator of distinct articles from the shared corpora,
and a run that measures building, updating and searching an index of growing size."""
