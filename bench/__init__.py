"""Benchmarks and load scripts; run from the repository root with `python -m bench.run`."""
