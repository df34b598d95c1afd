"""`make bench`: Newsdesk at archive scale under load from wrk, served as in production
(gunicorn, DEBUG off) from a synthetic archive in a database of its own, with figures
relative to a trivial view measured in the same run. Environment: BENCH_STORIES (100000),
BENCH_SECONDS per page (10), BENCH_CONNECTIONS (16), BENCH_WORKERS (2), BENCH_PORT (8765),
BENCH_IMPORT_FILES (500); REDIS_URL caches pages in Redis, BENCH_REPLICA=1 serves public
reads from a streaming standby; BENCH_ONLY=uncached measures the pages uncached only (no
cached run, newsroom's day or import), for a quick before and after.
"""

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import newsroom
import standby
import targets
from archive import (
    DATABASE,
    ENV,
    IMPORT_FILES,
    LONG_STORY_REVISIONS,
    PYTHON,
    ROOT,
    STORIES,
    bench_databases,
    drop_database,
    ensure_archive,
    import_throughput,
    manage,
    sample_urls,
    say,
    shell,
)
from load import CONNECTIONS, PORT, SECONDS, WORKERS, Server, ensure_wrk, wrk

ONLY_UNCACHED = os.environ.get("BENCH_ONLY") == "uncached"
SEARCHES = [
    "said",  # in nearly every story
    "government officials",
    "storm flood",
    '"central bank"',
    '"government officials"',  # a phrase of two common words
    "election -protest",
    "wildfire or earthquake",
    "satellite",
    "ceasefire talks",
    "vaccine hospital doctors",
    "zebra",  # in none
]


def search_latency():
    """Single-client search latency over the mixed query set, several rounds."""
    times = []
    for _ in range(5):
        for query in SEARCHES:
            url = f"http://127.0.0.1:{PORT}/?" + urllib.parse.urlencode({"q": query})
            started = time.perf_counter()
            urllib.request.urlopen(url).read()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    if sys.argv[1:] == ["clean"]:
        for name in bench_databases():
            drop_database(name)
        say("Dropped the bench databases.")
        return
    if STORIES < 100:
        sys.exit("BENCH_STORIES must be at least 100: the bench pages deep into the list.")
    stories, revisions = ensure_archive()
    if sys.argv[1:] == ["build"]:
        say(f"The bench archive holds {stories:,} stories, {revisions:,} revisions.")
        return
    ensure_wrk()
    samples = sample_urls()
    long_slug = shell(
        "from articles.models import Story; "
        f"print(Story.objects.get(revision_number={LONG_STORY_REVISIONS}).slug)"
    )
    # Page 2000 of the list (or the last, in a smaller archive): the page after the
    # 39,980th story (articles.paging).
    deep_page = min(2000, (stories - 1) // 20)
    deep_key = shell(
        "from articles.models import Story; "
        "print(Story.objects.order_by('-updated_at', '-id')"
        f".values_list('pk', flat=True)[{(deep_page - 1) * 20 - 1}])"
    )
    pages = {
        "trivial view (reference)": ["/bench/trivial/"],
        "list, page 1": ["/"],
        f"list, page {deep_page:,}": [f"/?before={deep_key}"],
        "story (varying)": [f"/stories/{slug}/" for slug, _ in samples],
        f"story with {LONG_STORY_REVISIONS:,} revisions": [f"/stories/{long_slug}/"],
        "history (varying)": [f"/stories/{slug}/history/" for slug, _ in samples],
        "compare (varying)": [f"/stories/{slug}/compare/" for slug, _ in samples],
        "search (mixed)": ["/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES],
        "latest feed": ["/feeds/latest.rss"],
        "API list": ["/api/stories/"],
    }
    with replica():
        results, search, rss, day = measure(pages)
    imports = None if ONLY_UNCACHED else import_throughput()
    print(report(stories, revisions, pages, results, search, rss, imports, day))


REPLICA_USED = "DATABASE_REPLICA_URLS" in os.environ


@contextlib.contextmanager
def replica():
    """With BENCH_REPLICA=1, public pages read from a streaming standby (bench/standby.py)."""
    if os.environ.get("BENCH_REPLICA") != "1":
        yield
        return
    if "BENCH_DATABASE_URL" in os.environ:
        sys.exit("BENCH_REPLICA makes a standby of the embedded server; with BENCH_DATABASE_URL, "
                 "set DATABASE_REPLICA_URLS to your own replica instead.")  # fmt: skip
    say("Making a streaming standby of the bench's server (pg_basebackup) ...")
    global REPLICA_USED
    with standby.streaming_standby(shell, DATABASE) as url:
        ENV["DATABASE_REPLICA_URLS"] = REPLICA_USED = url
        yield
    del ENV["DATABASE_REPLICA_URLS"]


def measure(pages):
    """Every page uncached, then cached after a warm-up pass, then a newsroom's day."""
    results, day = {}, None
    for mode, extra_env in modes().items():
        with Server(extra_env) as server:
            for name, paths in pages.items():
                say(f"{mode}: {name} ...")
                if mode == "cached":
                    warm_up(paths)
                results[mode, name] = wrk(paths)[:3]
            if mode == "uncached":
                search = search_latency()
                rss = server.worker_rss_mb()
            else:
                say("cached: a newsroom's day ...")
                day = newsroom_day()
    return results, search, rss, day


# The production cache off, then on; see "Caching" in the README.
BENCH_MODES = {"uncached": {"PAGE_CACHE_SECONDS": "0"}, "cached": {}}


def modes():
    return {"uncached": BENCH_MODES["uncached"]} if ONLY_UNCACHED else BENCH_MODES


def warm_up(paths, passes=4):
    """Fill the cache for `paths` before measuring them: each worker caches in its own
    memory, and one pass over 500 addresses does not reach every worker with each on a
    busy machine. Passes until nearly every answer is a hit, at most `passes`."""
    lua = newsroom.wrk_script(paths)
    for _ in range(passes):
        out = wrk(paths, lua)[3]
        hits, requests = map(int, re.search(r"Cache hits: (\d+) of (\d+)", out).groups())
        if hits >= 0.95 * requests:
            return


def newsroom_day():
    """Throughput, p50, p99 and the cache's hit ratio of readers spread over the archive
    while the wire publishes and an editor works (bench/newsroom.py), after a warm-up."""
    slugs, keys, days, words = json.loads(shell(newsroom.archive_shape_code()))
    paths = newsroom.reader_paths(slugs, keys, days, words)
    username = f"bench-{os.getpid()}"
    created = manage("create_editor", username, "--name", "Bench Editor", capture=True).stdout
    password = created.split("once:", 1)[1].split()[0]
    editor = newsroom.SignedInEditor(f"http://127.0.0.1:{PORT}", username, password)
    editor.sign_in()
    editor.start()
    code = newsroom.wire_code(2 * SECONDS + 5)
    wire = subprocess.Popen([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=ENV)
    try:
        lua = newsroom.wrk_script(paths)
        wrk(paths, lua)  # warm-up
        rate, p50, p99, out = wrk(paths, lua)
    finally:
        editor.stop()
        wire.terminate()
        wire.wait(30)
    hits, requests = map(int, re.search(r"Cache hits: (\d+) of (\d+)", out).groups())
    return rate, p50, p99, hits / max(requests, 1), len(set(paths))


def report(stories, revisions, pages, results, search, rss, imports, day):
    parts = [
        "pages cached in Redis" if os.environ.get("REDIS_URL") else "pages cached in each worker",
        *(["public reads from a streaming replica"] if REPLICA_USED else []),
    ]
    lines = [
        f"Newsdesk bench: {stories:,} stories, {revisions:,} revisions; "
        f"{WORKERS} gunicorn workers, wrk 1 thread x {CONNECTIONS} connections, "
        f"{SECONDS} s a page, on {os.cpu_count()} cores; {', '.join(parts)}.",
        "",
        "| page | mode | requests/s | p50 ms | p99 ms | × trivial |",
        "|---|---|---:|---:|---:|---:|",
    ]
    # Every ratio is to the uncached trivial view: the ceiling a page could reach.
    reference = results["uncached", "trivial view (reference)"][0]
    for mode in modes():
        for name in pages:
            rate, p50, p99 = results[mode, name]
            lines.append(
                f"| {name} | {mode} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {rate / reference:.2f} |"
            )
    if day:
        rate, p50, p99, hit_ratio, addresses = day
        lines.append(
            f"| a newsroom's day | cached | {rate:,.0f} | {p50:.1f} | {p99:.1f} "
            f"| {rate / reference:.2f} |"
        )
        lines += [
            "",
            f"A newsroom's day: readers over {addresses:,} addresses of the whole archive by "
            f"Zipf (s = {newsroom.ZIPF_EXPONENT:g}; stories, list pages, archive days, "
            f"searches), the wire publishing an update a second, an editor signed in: page "
            f"cache hit ratio {hit_ratio:.0%}.",
        ]
    lines += [
        "",
        f"Search, one client, {len(SEARCHES)} mixed queries x 5: "
        f"p50 {search[0]:.1f} ms, p95 {search[1]:.1f} ms.",
        f"Worker memory (RSS, largest worker after the uncached run): {rss:.0f} MB.",
        *(
            [f"Import: {imports:,.0f} wire files/s ({IMPORT_FILES} files through import_wire)."]
            if imports
            else []
        ),
        "",
        "Against the targets, and the figures before (100,001 stories, a quiet machine); "
        "a shared or busy machine moves every figure:",
    ]
    lines += targets.closing_note(results, reference, search, rss, imports, day)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
