"""Runs the whole bench and writes BENCHMARKS.md at the repository root.

`python -m bench.run` (or `make bench`): the pages bench at each scale of BENCH_SCALES
(default "small,large"), each in its own process, then backup and restore of the last scale's
database (bench/backup_check.py) and the registration rush (bench/rush.py).
"""

import datetime
import json
import os
import platform
import subprocess
import sys
import time

import psycopg

from bench import harness

GOAL_P95_MS = 100
GOAL_PUBLIC_RATIO = 0.5
GOAL_REGISTRATION_RPS = 200
# A page's p95 at `large` within this factor of its p95 at `small`: cost does not grow with data.
GOAL_GROWTH = 1.5
# Below this difference, loopback and wrk's histogram noise decide, not the page.
GROWTH_SLACK_MS = 2.0
# Stretch: rendered and signed-in pages at this share of the floor's req/s (reported, not a goal).
STRETCH_RATIO = 0.10
REGISTRATION = "POST event registration"


def log(text):
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def scales():
    return [s.strip() for s in os.environ.get("BENCH_SCALES", "small,large").split(",") if s]


def run_pages(scale):
    """The pages bench of one scale, in a child process (Django is set up once per process)."""
    started = time.monotonic()
    output = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-m", "bench.pages", scale],
        cwd=harness.REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        timeout=1500,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["wall_seconds"] = time.monotonic() - started
    return result


def _command_output(*command):
    try:
        return subprocess.run(  # noqa: S603 - fixed argument list, no shell
            list(command), capture_output=True, text=True, check=False, timeout=10
        ).stdout.strip()
    except OSError:
        return "?"


def machine():
    with psycopg.connect(harness.PG_ADMIN_URL) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    memory_kib = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    wrk = _command_output("wrk", "--version").splitlines()
    gunicorn = _command_output(sys.executable, "-m", "gunicorn", "--version")
    redis = _command_output("redis-server", "--version")
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": redis.split(" v=")[1].split()[0] if " v=" in redis else redis or "?",
        "gunicorn": gunicorn or "?",
        "wrk": wrk[0] if wrk else "?",
        "load": "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()),
    }


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


# --- Reading the figures against the goals -------------------------------------------------------


def _queries(row):
    if row["queries_cached"] is not None:
        return f"{row['queries']} (cached {row['queries_cached']})"
    return str(row["queries"])


def verdicts(row, scale, floor_rps, other_scales):
    """Each goal a row is read against, with "yes" or "no (why)"; None where none applies."""
    checks = []
    ratio = row["rps"] / floor_rps if floor_rps else None
    if row["kind"] in ("page", "rendered") and scale == "large":
        checks.append(("p95 ≤ 100 ms", row["p95_ms"] <= GOAL_P95_MS))
        small = next((r for r in other_scales.get("small", []) if r["name"] == row["name"]), None)
        if small is not None:
            limit = max(small["p95_ms"] * GOAL_GROWTH, small["p95_ms"] + GROWTH_SLACK_MS)
            growth = row["p95_ms"] / small["p95_ms"] if small["p95_ms"] else 0
            checks.append((f"p95 {growth:.1f}× small (≤ {GOAL_GROWTH}×)", row["p95_ms"] <= limit))
    if row["kind"] == "page" and row["public"] and ratio is not None:
        checks.append(("≥ 50 % of floor", ratio >= GOAL_PUBLIC_RATIO))
    if row["name"] == REGISTRATION:
        if row.get("used_up"):
            checks.append(("≥ 200/s not measured: writes used up", False))
        else:
            checks.append(("≥ 200/s", row["rps"] >= GOAL_REGISTRATION_RPS))
    if row["errors"]:
        checks.append((f"{row['errors']} errors", False))
    counts = {scale: row["queries"]}
    for other, rows in other_scales.items():
        match = next((r for r in rows if r["name"] == row["name"]), None)
        if match is not None:
            counts[other] = match["queries"]
    if len(counts) > 1:
        same = len(set(counts.values())) == 1
        label = "queries same at every scale"
        if not same:
            label = "queries differ: " + ", ".join(f"{s} {c}" for s, c in counts.items())
        checks.append((label, same))
    if not checks:
        return "–"
    missed = [label for label, met in checks if not met]
    return "yes" if not missed else "**no**: " + "; ".join(missed)


def scale_table(run, others):
    rows = run["results"]
    floor = next(row for row in rows if row["kind"] == "floor")
    lines = [
        "| page | p50 ms | p95 ms | req/s | ratio to floor | queries | goals met? |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        ratio = row["rps"] / floor["rps"] if floor["rps"] else 0
        rate = f"{row['rps']:.1f} | {ratio:.2f}"
        if row["kind"] == "rendered" or (row["kind"] == "page" and not row["public"]):
            rate += " ★" if ratio >= STRETCH_RATIO else ""
        if row.get("used_up"):
            rate = "– | –"
        name = row["name"] if row["kind"] == "write" else f"{row['name']} `{row['path']}`"
        lines.append(
            f"| {name} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {rate} | {_queries(row)} | "
            f"{verdicts(row, run['scale'], floor['rps'], others)} |"
        )
    notes = []
    for row in rows:
        if row["kind"] == "write":
            notes.append(
                f"- {row['name']}: {row['requests']} requests, {row['writes']} new rows"
                f" (of {row['writes_offered']} distinct eligible writes prepared)"
                + (f" — {row['note']}" if row["note"] else "")
            )
        elif row["errors"]:
            notes.append(f"- `{row['path']}`: {row['errors']} errors")
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


def rush_section():
    if os.environ.get("BENCH_RUSH", "1") == "0":
        return "## Registration rush\n\nNot run (BENCH_RUSH=0).\n"
    try:
        from bench import rush
    except ImportError:
        return "## Registration rush\n\nNot measured yet (bench/rush.py does not exist).\n"
    log("registration rush (bench/rush.py)")
    return rush.main()


def shift_rush_section():
    if os.environ.get("BENCH_RUSH", "1") == "0":
        return "## Shift sign-up rush\n\nNot run (BENCH_RUSH=0).\n"
    from bench import rush_shifts

    log("shift sign-up rush (bench/rush_shifts.py)")
    return rush_shifts.main()


def backup_section(runs):
    if os.environ.get("BENCH_BACKUP", "1") == "0" or not runs:
        return "## Backup and restore\n\nNot run (BENCH_BACKUP=0).\n"
    from bench import backup_check

    database = f"bfe_bench_{runs[-1]['scale']}"
    log(f"backup and restore of {database} (bench/backup_check.py)")
    return backup_check.main(database)[0]


def render(info, runs, sections, seconds):
    by_scale = {run["scale"]: run["results"] for run in runs}
    parts = [
        "# Benchmarks\n",
        "Written by `make bench` (`python -m bench.run`); how it measures and how to read it: "
        "[bench/README.md](bench/README.md). These are the figures of one run on the machine "
        "below; the machine is shared and noisy, so read the **ratios to the floor** more "
        "than the absolute times.\n",
        "## Machine\n",
        f"- date: {info['date']}",
        f"- CPU: {info['nproc']} cores ({info['cpu']}), memory {info['memory']}",
        f"- load average at the start: {info['load']}; at the end: {info['load_end']}",
        f"- Python {info['python']}, PostgreSQL {info['postgresql']}, Redis {info['redis']}, "
        f"{info['gunicorn']}, {info['wrk']}\n",
        "## How it was measured\n",
        f"- Per scale: a fresh PostgreSQL database, `seed_demo --scale <scale>`, one gunicorn "
        f"(`bfe.wsgi`, {runs[0]['workers'] if runs else 2} sync workers) on 127.0.0.1 with "
        "production settings (DEBUG=0; HTTPS=0 and REQUIRE_STAFF_2FA=0, see bench/README.md), "
        "Redis for cache and sessions.",
        f"- wrk: {runs[0]['connections'] if runs else 8} connections, "
        f"{runs[0]['threads'] if runs else 2} threads, {seconds} s per row; p50/p95 from wrk's "
        "latency histogram; req/s = answered requests / duration; errors = socket errors, "
        "timeouts and answers ≥ 400.",
        "- floor: `/robots.txt`, a trivial view through the same middleware stack. "
        "**ratio to floor** = the row's req/s / the floor's req/s.",
        "- Anonymous public pages are answered from the page cache after the first request "
        "(bfe/core/page_cache.py); each has a second row, `rendered`, where every request "
        "renders the page (an anonymous visitor with an unknown session cookie, whom the "
        "cache passes by). The 50 % goal is read on the first row, p95 on both.",
        "- Signed-in rows send the `Cookie` of a session made directly in Redis. Write rows "
        "send each POST once, each from a person who may make that write and has not yet "
        "(registration: an open event the person sees and holds no place at; enrolment: a "
        "coordinator not yet enrolled in an open series; consultation log: a valid form with "
        "its own one-time key); a row stops early when its prepared writes are used up.",
        "- queries: SQL queries of one request through Django's test client in the bench "
        "process against the same database, after one request that warms the process; the "
        "page rendered (page cache off), and `cached` when the anonymous page cache answers. "
        "Writes: a second write of the same kind, not one of wrk's.\n",
        "## Goals\n",
        f"- p95 ≤ {GOAL_P95_MS} ms for every key page at scale `large`",
        "- queries per request identical at `small` and `large`",
        f"- anonymous public pages ≥ {GOAL_PUBLIC_RATIO:.0%} of the floor's requests/s",
        f"- each page's p95 at `large` within {GOAL_GROWTH}× of its p95 at `small` (or within "
        f"{GROWTH_SLACK_MS:.0f} ms of it, below which the noise of loopback and wrk decides)",
        f"- event registration ≥ {GOAL_REGISTRATION_RPS}/s",
        f"- stretch, reported: rendered and signed-in pages at ≥ {STRETCH_RATIO:.0%} of the "
        "floor's requests/s (the `ratio to floor` column; rows at or above it are marked ★)\n",
    ]
    for run in runs:
        others = {s: rows for s, rows in by_scale.items() if s != run["scale"]}
        parts.append(f"## Scale `{run['scale']}`\n")
        parts.append(scale_table(run, others))
    parts.append(misses_section(runs, by_scale))
    parts.extend(section.strip() + "\n" for section in sections)
    return "\n".join(parts)


def misses_section(runs, by_scale):
    """Every row that misses a goal, with its cause as profiled (bench/causes.py)."""
    from bench.causes import CAUSES, NOTE

    lines = ["## Rows that miss a goal, and why\n", NOTE + "\n"]
    for run in runs:
        rows = run["results"]
        floor = next(row for row in rows if row["kind"] == "floor")
        others = {s: r for s, r in by_scale.items() if s != run["scale"]}
        for row in rows:
            verdict = verdicts(row, run["scale"], floor["rps"], others)
            if not verdict.startswith("**no**"):
                continue
            cause = CAUSES.get(row["name"], "not profiled yet")
            lines.append(f"- `{run['scale']}` {row['name']} ({verdict[8:]}): {cause}")
    if len(lines) == 2:
        lines.append("None: every row meets its goals.")
    return "\n".join(lines) + "\n"


# The last run's figures, so that BENCHMARKS.md can be written again with new causes
# (`python -m bench.run --render`) without measuring again.
LAST_RUN = harness.REPO / ".bench-last-run.json"


def main():
    target = harness.REPO / "BENCHMARKS.md"
    if "--render" in sys.argv:
        last = json.loads(LAST_RUN.read_text())
        target.write_text(render(last["info"], last["runs"], last["sections"], last["seconds"]))
        log(f"wrote {target} from {LAST_RUN.name}")
        return
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    info = machine()
    runs = []
    for scale in scales():
        log(f"pages at scale {scale} ({seconds} s per row)")
        runs.append(run_pages(scale))
    sections = [backup_section(runs), rush_section(), shift_rush_section()]
    info["load_end"] = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    LAST_RUN.write_text(
        json.dumps({"info": info, "runs": runs, "sections": sections, "seconds": seconds})
    )
    target.write_text(render(info, runs, sections, seconds))
    log(f"wrote {target}")


if __name__ == "__main__":
    main()
