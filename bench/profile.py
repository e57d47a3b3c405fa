"""Where a page spends its time: the bench's pages in this process, against a seeded database.

    .venv/bin/python -m bench.profile large                 # every page: median ms and queries
    .venv/bin/python -m bench.profile large "outreach"      # pages whose name contains it
    .venv/bin/python -m bench.profile large "outreach" --tree   # and pyinstrument's call tree
    .venv/bin/python -m bench.profile large "outreach" --flat   # cProfile: top functions

It reuses `bfe_bench_<scale>` as `make bench` left it (or seed one with
`BENCH_REUSE_DB=0`). The requests go through Django's test client with the page cache off, so
the figures are a page's own cost (no network, no gunicorn); read them beside each other, not as
the bench's p95.
"""

import os
import statistics
import sys
import time

from bench import harness
from bench.pages import page_targets, role_sessions

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "20"))


def _client_for(line):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    _method, _path, cookie, _body = line
    for part in cookie.split("; "):
        key, _, value = part.partition("=")
        client.cookies[key] = value
    return client


def profile(target, tree=False, flat=False):
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    line = target.lines[0]
    client = _client_for(line)
    path = line[1]
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        client.get(path)
        timings = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # request_started empties the log: keep this request's queries now.
        captured = list(queries.captured_queries)
        print(
            f"{target.name:<55} {statistics.median(timings):7.1f} ms  "
            f"{len(captured):3d} queries  {len(response.content) // 1024:5d} KiB"
        )
        if flat:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats("bfe|template", 40)
        if tree:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(5):
                client.get(path)
            profiler.stop()
            show_all = os.environ.get("PROFILE_ALL") == "1"
            print(profiler.output_text(unicode=True, color=False, show_all=show_all))
            for query in captured:
                print(f"  {query['time']:>6}s  {query['sql'][:300]}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    scale = args[0] if args else "large"
    match = args[1] if len(args) > 1 else ""
    # A copy of its own (createdb -T bfe_bench_large …) for a branch with its own migrations.
    name = os.environ.get("BENCH_DB", f"bfe_bench_{scale}")
    database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    if os.environ.get("BENCH_REUSE_DB", "1") != "1":
        database_url = harness.fresh_database(name)
        harness.seed(database_url, scale)
    harness.use_django(database_url, int(os.environ.get("BENCH_REDIS_DB", "14")))
    for target in page_targets(role_sessions()):
        if target.kind in ("page", "rendered") and match.lower() in target.name.lower():
            if target.kind == "page" and target.public:
                continue  # the cached row; its rendered twin follows
            profile(target, tree="--tree" in sys.argv, flat="--flat" in sys.argv)


if __name__ == "__main__":
    main()
