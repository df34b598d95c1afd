"""Full-text search of the archive: the one search expression and its limits.

The stored vector Story.search_vector is read through its GIN index with PostgreSQL's
web search syntax ("quoted phrases", -excluded words, `or`). Nothing here imports the
models, so that the models' queryset can offer search().
"""

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db.models import BooleanField, F, Func, Q, TextField, Value
from django.db.models.functions import Cast

# The configuration Story.search_vector is built with: English stemming over words whose
# accents unaccent folds, so "Sao Paulo" finds "SÃO PAULO" (migration 0008).
CONFIG = "english_unaccent"
CANDIDATES = 1000  # the newest matches a search ranks
MAX_QUERY_LENGTH = 200  # the longest search words the site, the API and the admin take


def websearch(text):
    """`text` as a search box reads it, as a query on Story.search_vector."""
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def with_words_anywhere(query):
    """Story.search_vector matching `query` with its phrases loosened to their words anywhere in the story.

    A phrase is checked against the words' positions, which the GIN index does not hold:
    PostgreSQL reads the vector of every story with the words. Loosened, the query is
    answered by the index alone, and finds every phrase match and more.
    """
    loosened = Func(
        Cast(query, TextField()),
        Value(r"<[0-9-]+>"),
        Value("&"),
        Value("g"),
        function="regexp_replace",
    )
    return Func(
        F("search_vector"),
        Cast(loosened, SearchQueryField()),
        function="",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )


def search(queryset, text):
    """The stories of `queryset` matching `text`, the most relevant first.

    Ranking reads every vector it ranks, so only the CANDIDATES newest matches (of the
    search and every other filter) are ranked, by relevance, recency breaking ties: a
    query matching most of the archive costs what one matching a thousand stories does.
    A relevant story older than those is found by narrowing the words or the dates.
    """
    query = websearch(text)
    # A phrase is looked for among the newest stories with its words, so that a phrase of
    # common words reads a window of vectors too, not every story having both words. A
    # phrase left out (-"a b") stays as written: loosened, it would leave out more.
    loosen = '"' in text and '-"' not in text
    window = with_words_anywhere(query) if loosen else Q(search_vector=query)
    newest = (queryset.filter(window).order_by("-updated_at", "-id").values("pk"))[:CANDIDATES]
    return (
        queryset.filter(pk__in=newest, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-updated_at", "-id")
    )
