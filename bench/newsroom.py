"""A newsroom's day for `make bench`: readers spread over the whole archive by a Zipf law
(the newest stories, the first list pages, the common words and the recent days most
read, every one of them read by someone), while the wire publishes an update a second
and an editor is signed in and working in the admin.
"""

import bisect
import http.cookiejar
import itertools
import json
import random
import re
import threading
import urllib.parse
import urllib.request

ZIPF_EXPONENT = 1.0
# What readers ask for: mostly stories, then the list and its pages, the date archive
# and searches.
MIX = {"story": 0.55, "list": 0.20, "archive": 0.15, "search": 0.10}
READER_PATHS = 20_000  # addresses wrk goes through in turn (a Lua table it can hold)


def zipf_picker(population, rng):
    """A function that picks from `population` (most popular first) by a Zipf law."""
    weights = list(
        itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(population) + 1))
    )
    return lambda: population[bisect.bisect(weights, rng.random() * weights[-1])]


def archive_shape_code():
    """Code for `manage.py shell`: the archive as readers find it, newest first, and the
    words they search for, the commonest first (past the words a search leaves out)."""
    return (
        "import json; from articles.models import Story; "
        "from django.db.models.functions import TruncDate; "
        "slugs = list(Story.objects.order_by('-updated_at', '-id').values_list('slug', flat=True)); "
        "keys = list(Story.objects.order_by('-updated_at', '-id').values_list('pk', flat=True)[19::20]); "
        "days = sorted({d.strftime('%Y/%m/%d') for d in Story.objects.annotate("
        "day=TruncDate('first_published_at')).values_list('day', flat=True)}, reverse=True); "
        "from articles.wire.synthetic import vocabulary; "
        "print(json.dumps([slugs, keys, days, vocabulary().words[20:5000]]))"
    )


def reader_paths(slugs, list_keys, days, words, seed=0):
    """READER_PATHS addresses, each page kind and each choice in it drawn by Zipf."""
    rng = random.Random(seed)
    story, day = zipf_picker(slugs, rng), zipf_picker(days, rng)
    page = zipf_picker([None, *list_keys], rng)
    word = zipf_picker(words, rng)
    kinds, shares = zip(*MIX.items(), strict=True)
    paths = []
    for kind in rng.choices(kinds, weights=shares, k=READER_PATHS):
        if kind == "story":
            paths.append(f"/stories/{story()}/")
        elif kind == "list":
            key = page()
            paths.append("/" if key is None else f"/?before={key}")
        elif kind == "archive":
            paths.append(f"/archive/{day()}/")
        else:
            query = " ".join(word() for _ in range(rng.choice((1, 1, 2))))
            paths.append("/?" + urllib.parse.urlencode({"q": query}))
    return paths


def wire_code(seconds, seed=0):
    """Code for `manage.py shell`: one update a second for `seconds`, to stories picked
    by Zipf from the newest, through the one write path."""
    return f"""
import random, time
from articles.models import Story
from articles.publishing import Dispatch, EditConflict, publish
from articles.text import Kind
from bench.newsroom import zipf_picker
rng = random.Random({seed})
pick = zipf_picker(list(Story.objects.order_by('-updated_at').values_list('slug', flat=True)[:20000]), rng)
started = time.monotonic()
for second in range({seconds}):
    story = Story.objects.get(slug=pick())
    try:
        publish(story.slug, Dispatch(
            headline=story.headline, body=story.text.split(chr(10) * 2, 1)[-1] + " Update.",
            kind=Kind.UPDATE, dateline_place=story.dateline_place, agency=story.agency,
            byline=story.byline), expected_revision=story.revision_number)
    except EditConflict:
        pass
    time.sleep(max(0, started + second + 1 - time.monotonic()))
"""


class SignedInEditor(threading.Thread):
    """An editor signed in, opening the admin's story list and a story every second."""

    def __init__(self, base_url, username, password):
        super().__init__(daemon=True)
        self.base_url, self.username, self.password = base_url, username, password
        self.stopping = threading.Event()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.pages = 0

    def sign_in(self):
        login = f"{self.base_url}/admin/login/"
        form = self.opener.open(login).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode(
            {"username": self.username, "password": self.password,
             "csrfmiddlewaretoken": token, "next": "/admin/"}
        ).encode()  # fmt: skip
        request = urllib.request.Request(login, data, headers={"Referer": login})
        page = self.opener.open(request).read().decode()
        if "Log out" not in page and "logout" not in page:
            raise RuntimeError("the bench's editor could not sign in")

    def run(self):
        while not self.stopping.wait(1):
            self.opener.open(f"{self.base_url}/admin/articles/story/").read()
            self.pages += 1

    def stop(self):
        self.stopping.set()
        self.join(10)


def wrk_script(paths):
    """wrk's Lua: `paths` in turn, counting answers the page cache gave (X-Cache: hit)."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{{quoted}}}\nlocal i = 0\nlocal threads = {{}}\nhits = 0\n"
        "function setup(thread) table.insert(threads, thread) end\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        "function response(status, headers, body)\n"
        "  if headers['X-Cache'] == 'hit' then hits = hits + 1 end\nend\n"
        "function done(summary, latency, requests)\n  local total = 0\n"
        "  for _, t in ipairs(threads) do total = total + t:get('hits') end\n"
        "  io.write(string.format('Cache hits: %d of %d\\n', total, summary.requests))\nend\n"
    )
