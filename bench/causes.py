"""Why a row of BENCHMARKS.md misses its goal, as found with `python -m bench.profile` and
EXPLAIN ANALYZE: written by whoever profiled it, shown under the tables by `bench.run`. A row
that misses without an entry here reads "not profiled yet"."""

# Shown above the list: what holds for every row of the run these causes were written for.
NOTE = (
    "Run of 2026-12-03 13:02 (issue 13): the machine ran about 2× slower than in the morning "
    "of the same day. The volunteer's start page, which did not change, took 5–6 ms in-process "
    "at 11:10 and 11.4 ms at 13:20 (`bench.profile large`, idle machine); the floor answered "
    "2,171/s instead of 4,019/s in the run before. Read the ratios to the floor and the "
    "in-process figures, not the absolute p95."
)

_TEMPLATE = (
    "Django template rendering of the rows is most of the request (cProfile: variable lookups, "
    "{% translate %}/{% blocktranslate %} and {% url %} per row); queries are few and indexed."
)

CAUSES = {
    "home, rendered": (
        "0 queries (region cards and totals from core.fragments); what is left is the page's "
        "template with 39 region cards and their districts. At small, 12 cards: the growth is "
        "the number of regions shown, not a query."
    ),
    "shelters, rendered": (
        "3 queries (the directory's page of 25 and its count; the map is a request of its own). "
        "Rendering the filter form and 25 rows is ~80 % of the request in-process."
    ),
    "shelters, one district, rendered": _TEMPLATE,
    "shelter detail, rendered": (
        "4 queries, each < 1 ms; the page's template and the base layout. Not worked on."
    ),
    "events, rendered": (
        "3 queries; rows no longer include a partial and format their dates once, but the "
        "list's base page and filter form stay (~10 ms in-process). At large, 25 rows each with "
        "seat counts as subqueries; EXPLAIN not yet done for the count subqueries."
    ),
    "event detail, rendered": "2 queries; template and base layout. Not worked on.",
    "event detail": "0 queries (page cache); 0.48 of the floor, within this run's noise.",
    "training series, rendered": "1 query; template. Not worked on.",
    "region page, rendered": (
        "5 queries; the region's shelter list (25 rows) and its card; " + _TEMPLATE
    ),
    "shelters (coordinator)": (
        "6 queries (her session, roles, the page and its count); the same template cost as the "
        "public directory, plus exact addresses."
    ),
    "shelter map GeoJSON": (
        "Not behind the page cache (it answers with its own ETag and max-age): every request "
        "reads the cached bytes from Redis (72 KiB) and goes through the middleware; 0 queries."
    ),
    "participants of a large event (admin)": (
        "6 queries; one row per participant, unpaginated (the list is shared with the CSV, XLSX "
        "and PDF exports and check-in, and sorted in Python): the page grows with the event."
    ),
    "training series detail (admin)": (
        "9 small queries (progress, enrolments, certificate, modules), each < 1 ms in EXPLAIN; "
        "spread over rendering, roles and per-query overhead."
    ),
    "training participants (admin)": (
        "One row per enrolled person with her module attendance, unpaginated: 126 KiB at "
        "large, 142 ms in-process. Needs pagination as the event participants do."
    ),
    "consultation statistics, a year (admin)": (
        "3 queries when the year's figures come from core.fragments (they do in this row); the "
        "rest is the page's tables. The first view after any write to consultations or places "
        "recounts ~110,000 consultations (~450 ms): monthly totals kept by the services are the "
        "fix, not done."
    ),
    "consultation log (RC)": (
        "9 queries, paginated at 25; rendering the table (topics and participants per row) is "
        "~85 % of the request in the profile."
    ),
    "outreach list (RC)": (
        "10 queries of 1–7 ms each over every open shelter of the region: the last consultation "
        "is now a maintained table (consultations.ShelterContact), but the last attendance is "
        "still computed per shelter through posts and registrations, and vacancies are an "
        "anti-join over all current posts. A maintained last attendance (events) and staffing "
        "flag (places, date-dependent: needs a daily refresh) are the fix."
    ),
    "start page (admin)": (
        "6 queries; the vacancies section is cached per person (cache_apps), the open requests "
        "(personal data, not cached) and the week's events are read each time; template of four "
        "sections."
    ),
    "start page (regional coordinator)": (
        "8 queries; open requests, follow-ups and the region's Jours fixes read each time "
        "(requests and tasks hold personal data and are not cached); template."
    ),
    "start page (coordinator)": (
        "11 queries; the next Jour fixe with her registration, her registrations and the "
        "training summary (events) read each time; shelters and next steps are cached."
    ),
    "start page (partner)": "3 queries; 1.5× small within the noise of a 60 ms row.",
    "POST event registration": (
        "17 queries and two commits (the registration's transaction, then the confirmation "
        "e-mail's task row, enqueued on commit), each a WAL flush: 2.9 ms per commit on this "
        "disk (200 autocommit INSERTs: 2.94 ms with synchronous_commit on, 0.17 ms off)."
    ),
}
