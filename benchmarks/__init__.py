"""Benchmarks for Bahth: peer engines (`benchmarks.peers`) and the scripts that compare them."""
