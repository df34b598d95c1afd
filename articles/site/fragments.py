"""Parts of pages rendered once and kept: what a revision shows never changes, so a
story's row in the list, say, is rendered once per revision and release, and every later
page that shows it, whatever else is on that page, reads it from the "fragments" cache.

A page asks for its rows (say) in one read (get_many) and stores those it had to render
in one write. Keys name everything the part is made from; the page cache's
invalidation does not concern them, since no change can reach a part under its key.
"""

import hashlib
import logging

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from newsdesk import release

logger = logging.getLogger(__name__)

FRAGMENT_SECONDS = 24 * 60 * 60


def made_once(items, key_of, make):
    """[make(item) for item in items], each read from the cache under `key_of(item)`
    when it was made before (by this release, in this language)."""
    keys = [cache_key(key_of(item)) for item in items]
    found = _get_many(keys)
    missing = {}
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            found[key] = missing[key] = make(item)
    if missing:
        _set_many(missing)
    return [found[key] for key in keys]


def rendered_once(items, key_of, render):
    """made_once() for HTML: [render(item) for item in items], as safe strings."""
    parts = made_once(items, key_of, lambda item: str(render(item)))
    return [mark_safe(part) for part in parts]


def revision_key(story):
    """What names a story as one of its revisions shows it, for the keys of its parts.
    The address and time too: a restored archive may give an id to another story."""
    return f"{story.pk}|{story.slug}|{story.revision_number}|{story.updated_at.timestamp()}"


def kept(key, compute):
    """compute(), read from the cache under `key` when it was computed before: for what a
    key names exactly, such as the archive's state that the list's validators read. HTML
    a template made stays safe HTML (SafeString survives the cache), other text does not."""
    key = cache_key(key)
    found = _get_many([key])
    if key in found:
        return found[key]
    value = compute()
    _set_many({key: value})
    return value


def story_rows(stories):
    """The list's row of each story (articles/includes/story_row.html, dated by its last
    update), as HTML. A row shows the story as of its revision, and "Breaking" for a
    while: the key has both. Not for a search's rows, which mark its words."""

    def key_of(story):
        return f"row|{revision_key(story)}|{story.is_breaking}"

    def render(story):
        context = {"story": story, "when": story.updated_at}
        return render_to_string("articles/includes/story_row.html", context)

    return rendered_once(stories, key_of, render)


def cache_key(key):
    """`key` of this release and language, digested: a key may hold any text."""
    key = f"{release.current()}|{translation.get_language()}|{key}"
    return "fragment:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _get_many(keys):
    try:
        return caches["fragments"].get_many(keys)
    except Exception as exc:  # a Redis that is away: render instead
        logger.warning("Fragment cache unavailable: %s", exc)
        return {}


def _set_many(parts):
    try:
        caches["fragments"].set_many(parts, FRAGMENT_SECONDS)
    except Exception as exc:
        logger.warning("Fragment cache unavailable: %s", exc)
