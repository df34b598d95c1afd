"""CPU per uncached page in one process: the Django test client over the bench's archive
(built by `python bench/bench.py build`, same BENCH_STORIES), the page cache off.

    python bench/profile_pages.py [REQUESTS] [PAGE ...]   # ms a request (CPU, wall), per page
    python bench/profile_pages.py 300 list --profile      # and cProfile's top functions

Each page's addresses are asked in turn, REQUESTS times in all (300), after one unmeasured
pass. As in the bench's uncached run, what is kept across requests (parts of pages,
comparisons) is there for the pages of one address, and not for those of many stories,
which a worker there seldom sees twice: their caches are emptied before each request.
"""

import cProfile
import os
import pstats
import sys
import time

from archive import ENV, LONG_STORY_REVISIONS, STORIES

os.environ.update(ENV, PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="newsdesk.settings")


def addresses():
    from articles.models import Story

    stories = Story.objects.public().filter(revision_number__gt=1).order_by("pk")
    slugs = list(stories.values_list("slug", flat=True)[: 50 * 3 : 3])
    deep = min(2000, (STORIES - 1) // 20)
    key = Story.objects.order_by("-updated_at", "-id").values_list("pk", flat=True)[
        (deep - 1) * 20 - 1
    ]
    long_story = Story.objects.get(revision_number=LONG_STORY_REVISIONS).slug
    return {
        "trivial": ["/bench/trivial/"],
        "list": ["/"],
        "deep": [f"/?before={key}"],
        "story": [f"/stories/{slug}/" for slug in slugs],
        "long": [f"/stories/{long_story}/"],
        "history": [f"/stories/{slug}/history/" for slug in slugs],
        "compare": [f"/stories/{slug}/compare/" for slug in slugs],
        "feed": ["/feeds/latest.rss"],
        "api": ["/api/stories/"],
    }


def measure(client, paths, requests):
    from django.core.cache import caches

    for path in paths:
        assert client.get(path).status_code == 200, path
    cold = len(paths) > 1
    started, cpu = time.perf_counter(), time.process_time()
    for index in range(requests):
        if cold:
            for alias in caches.settings:
                caches[alias].clear()
        client.get(paths[index % len(paths)])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return cpu * 1000 / requests, wall * 1000 / requests


def main():
    from newsdesk import embedded_postgres

    embedded_postgres.start_unless_database_url()
    import django

    django.setup()
    from django.test import Client

    args = [arg for arg in sys.argv[1:] if arg != "--profile"]
    requests = int(args.pop(0)) if args and args[0].isdigit() else 300
    pages = addresses()
    client = Client(SERVER_NAME="localhost")  # one of the bench's ALLOWED_HOSTS
    for name in args or pages:
        if "--profile" in sys.argv:
            profile = cProfile.Profile()
            profile.enable()
        cpu, wall = measure(client, pages[name], requests)
        print(f"{name:8} {cpu:6.2f} ms CPU, {wall:6.2f} ms wall a request", flush=True)
        if "--profile" in sys.argv:
            profile.disable()
            pstats.Stats(profile).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(int(os.environ.get("PROFILE_LINES", "40")))


if __name__ == "__main__":
    main()
