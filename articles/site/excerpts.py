"""The text a list shows under each headline: the lede, or a search's hits in context."""

import html
import re

from django.contrib.postgres.search import SearchHeadline
from django.db.models import Value as V
from django.db.models.functions import Left, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.search import CONFIG, websearch
from articles.text import PARAGRAPH_BREAK

SNIPPET_SOURCE_CHARS = 20_000  # ts_headline parses all it is given: not a megabyte per row
LEDE_SOURCE_CHARS = 1000  # what leaves the database of a story's text for a list
LEDE_WORDS = 50  # what a list shows of it: a wire lede is 25-40 words, so most show whole

# ts_headline wraps the hits in StartSel and StopSel and copies the text around them as
# it is, except that it drops whatever looks like an HTML tag. So the text goes in with
# &, < and > as entities (kept whole), the hits are wrapped in characters from Unicode's
# private use area, and what comes out is unescaped back to the text, escaped again by
# Django, and only then are the markers made <mark>.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


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
            ),
            # The whole headline, every hit in it marked.
            headline_marked=SearchHeadline(
                as_entities("headline"),
                websearch(text),
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            ),
        )
    return queryset


def as_entities(text):
    return Replace(Replace(Replace(text, V("&"), V("&amp;")), V("<"), V("&lt;")), V(">"), V("&gt;"))


def add_excerpts(stories):
    """Give each story of `for_rows()` its `excerpt`: the hits in context, else its lede;
    and for a search whose words are in the headline, `marked_headline`."""
    for story in stories:
        marked = html.unescape(getattr(story, "headline_marked", ""))
        story.marked_headline = highlight(marked) if START in marked else ""
        snippet = html.unescape(getattr(story, "snippet", ""))
        if START in snippet:
            story.excerpt = highlight(in_context(story, snippet))
        else:
            story.excerpt = lede(story)
    return stories


def in_context(story, snippet):
    """The snippet without a dateline it starts with, marked where it cuts the text."""
    snippet = without_prefix(snippet, story.dateline).lstrip()
    plain = unmarked(snippet)
    text = story.lede_start.removeprefix(story.dateline).lstrip()
    before = "" if text.startswith(plain[:40]) else "… "
    after = "" if plain.endswith((".", "!", "?", "”", '"')) else " …"
    return f"{before}{snippet}{after}"


def without_prefix(snippet, prefix):
    """`snippet` without `prefix`, whose words may be marked as hits ("<SEOUL>, ...")."""
    if not prefix or not unmarked(snippet).startswith(prefix):
        return snippet
    kept = 0
    for index, char in enumerate(snippet):
        if kept == len(prefix):
            return snippet[index:]
        kept += char not in (START, STOP)
    return ""


def unmarked(snippet):
    return snippet.replace(START, "").replace(STOP, "")


def lede(story):
    """The first paragraph without the dateline a list shows beside it, cut at a word."""
    paragraph = story.lede_start.partition(PARAGRAPH_BREAK)[0]
    if story.dateline and paragraph.startswith(story.dateline):
        paragraph = paragraph.removeprefix(story.dateline).lstrip()
    return Truncator(paragraph).words(LEDE_WORDS)


def highlight(snippet):
    """A snippet of the text as safe HTML: escaped, its hits in <mark>."""
    html = MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(html.replace(START, "").replace(STOP, ""))
