"""Why a row of BENCHMARKS.md misses its goal, as found with `python -m bench.profile` and
EXPLAIN ANALYZE: written by whoever profiled it, shown under the tables by `bench.run`. A row
that misses without an entry here reads "not profiled yet"."""

CAUSES = {}
