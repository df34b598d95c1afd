"""Full-text search of the archive: the one search expression and its limits.

The stored vector Story.search_vector is read through its GIN index with PostgreSQL's
web search syntax ("quoted phrases", -excluded words, `or`). Nothing here imports the
models, so that the models' queryset can offer search().
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

# The configuration Story.search_vector is built with: English stemming over words whose
# accents unaccent folds, so "Sao Paulo" finds "SÃO PAULO" (migration 0008).
CONFIG = "english_unaccent"
CANDIDATES = 1000  # the newest matches a search ranks
MAX_QUERY_LENGTH = 200  # the longest search words the site, the API and the admin take


def websearch(text):
    """`text` as a search box reads it, as a query on Story.search_vector."""
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def search(queryset, text):
    """The stories of `queryset` matching `text`, the most relevant first.

    Ranking reads every vector it ranks, so only the CANDIDATES newest matches (of the
    search and every other filter) are ranked, by relevance, recency breaking ties: a
    query matching most of the archive costs what one matching a thousand stories does.
    A relevant story older than those is found by narrowing the words or the dates.
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
