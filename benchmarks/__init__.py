"""Benchmarks for Bahth: the shared core (`benchmarks.core`), the peer engines
(`benchmarks.peers`) and the harnesses that compare them (`benchmarks.speed`,
`benchmarks.relevance`, `benchmarks.rebuild`, ...)."""
