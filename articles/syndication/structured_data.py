"""What a story tells machines about itself: authors from the byline, schema.org JSON-LD.

Feeds, the ninjs API and the story page's head read a story through these, so a byline
means the same thing to every reader.
"""

import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

# "By JANE DOE", "By JANE DOE and JOHN ROE", "By A, B and C": people. Anything else
# ("The Associated Press") is the organisation that wrote the story.
BY = re.compile(r"^by\s+", re.IGNORECASE)
NAME_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def byline_author(byline):
    """The byline as an author's name: "By JANE DOE" reads "JANE DOE"."""
    return BY.sub("", byline.strip())


def byline_authors(byline):
    """schema.org authors: a Person per name after "By", else one Organization."""
    byline = byline.strip()
    if not byline:
        return []
    if BY.match(byline):
        names = [name for name in NAME_SEPARATOR.split(byline_author(byline)) if name]
        return [{"@type": "Person", "name": name} for name in names]
    return [{"@type": "Organization", "name": byline}]


def content_language():
    """The language of the archive's text: "en" for LANGUAGE_CODE "en-us"."""
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def news_article(story, url):
    """The story as a schema.org NewsArticle, for search engines' rich results."""
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "datePublished": localtime(story.first_published_at).isoformat(),
        "dateModified": localtime(story.updated_at).isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "articleBody": story.text,
        "isAccessibleForFree": True,
        "inLanguage": content_language(),
        "publisher": {"@type": "Organization", "name": settings.PUBLICATION_NAME},
    }
    if story.dateline_place:
        article["dateline"] = story.dateline_place
    if authors := byline_authors(story.byline):
        article["author"] = authors
    return article


# What json_script escapes, so that nothing in a value can end the <script> element or
# open a comment inside it: the JSON stays one string however hostile the headline.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`data` as a JSON-LD <script> element: json_script's escaping, JSON-LD's type."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
