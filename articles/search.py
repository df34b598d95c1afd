"""Full-text search of the archive, and the text a list shows under each headline.

Search reads the stored vector Story.search_vector (headline weighted A, dateline place
and byline B, published text C) through its GIN index, with PostgreSQL's web search
syntax: "quoted phrases", -excluded words, `or`.

Ranking is the expensive part: ts_rank reads every vector it ranks, and ranking all the
stories that match a common word costs time in proportion to the archive (about 20 ms
per thousand stories here). So a search ranks a bounded window instead: the CANDIDATES
newest stories that match it and every other filter. PostgreSQL finds them by walking
the (updated_at, id) index when most stories match, or through the GIN index when few
do; only they are ranked, by relevance, recency breaking ties. A query matching 90% of
the archive then costs what a query matching a thousand stories costs. The price: a
relevant story older than the newest thousand matches is not found until the reader
narrows the words or the dates, which the page tells them.

Nothing here imports the models, so that the models' queryset can offer search().
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F
from django.db.models import Value as V
from django.db.models.functions import Left, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import PARAGRAPH_BREAK

CONFIG = "english"  # the configuration Story.search_vector is built with
CANDIDATES = 1000  # the newest matches a search ranks
SNIPPET_SOURCE_CHARS = 20_000  # ts_headline parses all it is given: not a megabyte per row
LEDE_SOURCE_CHARS = 1000  # what leaves the database of a story's text for a list
LEDE_LENGTH = 300  # what a list shows of it, cut at a word

# ts_headline wraps the hits in StartSel and StopSel and copies the text around them as
# it is, except that it drops whatever looks like an HTML tag. So the text goes in with
# &, < and > as entities (kept whole), the hits are wrapped in characters from Unicode's
# private use area, and what comes out is unescaped back to the text, escaped again by
# Django, and only then are the markers made <mark>.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def websearch(text):
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def search(queryset, text):
    """The stories of `queryset` matching `text`, the most relevant first.

    Ranks the CANDIDATES newest matches only (see the module's docstring).
    """
    query = websearch(text)
    newest = (queryset.filter(search_vector=query).order_by("-updated_at", "-id").values("pk"))[
        :CANDIDATES
    ]
    return (
        queryset.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-updated_at", "-id")
    )


def for_rows(queryset, text=None):
    """Add what a list row shows of a story (Story.objects.for_list()): the start of its
    text, and for a search, a snippet of the hits for `text`. The whole text and the
    search vector stay in the database.
    """
    queryset = queryset.annotate(lede_start=Left("text", LEDE_SOURCE_CHARS))
    if text:
        queryset = queryset.annotate(
            snippet=SearchHeadline(
                as_entities(Left("text", SNIPPET_SOURCE_CHARS)),
                websearch(text),
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    return queryset


def as_entities(text):
    return Replace(Replace(Replace(text, V("&"), V("&amp;")), V("<"), V("&lt;")), V(">"), V("&gt;"))


def add_excerpts(stories):
    """Give each story of `for_rows()` its `excerpt`: the hits in context, else its lede."""
    for story in stories:
        snippet = html.unescape(getattr(story, "snippet", ""))
        if START in snippet:
            story.excerpt = highlight(in_context(story, snippet))
        else:
            story.excerpt = lede(story)
    return stories


def in_context(story, snippet):
    """The snippet without a dateline it starts with, marked where it cuts the text."""
    snippet = snippet.removeprefix(story.dateline).lstrip()
    plain = snippet.replace(START, "").replace(STOP, "")
    text = story.lede_start.removeprefix(story.dateline).lstrip()
    before = "" if text.startswith(plain[:40]) else "… "
    after = "" if plain.endswith((".", "!", "?", "”", '"')) else " …"
    return f"{before}{snippet}{after}"


def lede(story):
    """The first paragraph without the dateline a list shows beside it, cut at a word."""
    paragraph = story.lede_start.partition(PARAGRAPH_BREAK)[0]
    if story.dateline and paragraph.startswith(story.dateline):
        paragraph = paragraph.removeprefix(story.dateline).lstrip()
    return shorten(paragraph, LEDE_LENGTH)


def highlight(snippet):
    """A snippet of the text as safe HTML: escaped, its hits in <mark>."""
    html = MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(html.replace(START, "").replace(STOP, ""))


def shorten(text, length):
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—-") + "…"
