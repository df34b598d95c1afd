"""The reader's pages: the list of stories, a story, its history, and what changed."""

import logging
import re

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.generic import DetailView, TemplateView

from articles import search
from articles.models import Story
from articles.site import fragments
from articles.site.changes import changes, runs_of_change
from articles.site.diffing import changed_lines, compare
from articles.site.excerpts import add_excerpts, for_rows
from articles.site.history import history_page, timeline_points
from articles.site.listing import Listing
from articles.site.updates import Developing, sender
from articles.text import published_paragraphs, published_text
from newsdesk import release

logger = logging.getLogger(__name__)


class StoryListView(TemplateView):
    """The latest stories, or those a search and the filters find, with counts per choice."""

    template_name = "articles/story_list.html"

    def get_context_data(self, **kwargs):
        validators = getattr(self.request, "validators", None)
        state = validators.state if validators else None
        listing = Listing(self.request.GET, rows=for_rows, archive_state=state)
        page = listing.page
        add_excerpts(page.object_list)
        if listing.search_text:
            rows = [render_row(story) for story in page.object_list]
        else:
            rows = fragments.story_rows(page.object_list)
        return super().get_context_data(
            query=listing.search_text,
            filtered=listing.filterset.is_filtered,
            finder=self.finder(listing, state),
            candidates=search.CANDIDATES,
            found=listing.found,
            story_list=page.object_list,
            rows=rows,
            page_obj=page,
            is_paginated=page.has_other_pages() if listing.search_text else page.is_paginated,
            **kwargs,
        )

    def finder(self, listing, archive_state):
        """The search box and filters, with their counts: made of the query string's values
        for them and the archive's state (the list's validators), so kept under those."""
        filterset = listing.filterset

        def render():
            chosen, facets = filterset.cleaned_data, listing.facets
            context = {
                "filterset": filterset,
                "query": listing.search_text,
                "filtered": filterset.is_filtered,
                "facets": facets,
                "active_filters": active_filters(filterset),
                "place_choices": facets.place_choices(chosen.get("place")),
                "kind_choices": facets.kind_choices(chosen.get("kind")),
            }
            return render_to_string("articles/includes/finder.html", context)

        if archive_state is None:
            return render()
        asked = [(name, self.request.GET.getlist(name)) for name in filterset.form.fields]
        return fragments.kept(f"finder|{archive_state}|{asked!r}", render)


def render_row(story):
    """A search's row: its words marked, so rendered for each search."""
    context = {"story": story, "when": story.updated_at}
    return render_to_string("articles/includes/story_row.html", context)


def active_filters(filterset):
    """The filters in use, as a reader would name them: "SEOUL", "Breaking update", ..."""
    chosen = filterset.cleaned_data
    named = []
    for name, value in chosen.items():
        if name == "q" or value in (None, "", False):
            continue
        if name == "kind":
            value = dict(filterset.filters["kind"].extra["choices"]).get(value, value)
        elif name == "byline":
            value = f"byline “{value}”"
        elif name == "date_from":
            value = f"from {value:%b %-d, %Y}"
        elif name == "date_to":
            value = f"to {value:%b %-d, %Y}"
        elif name == "breaking":
            value = "breaking news only"
        named.append(str(value))
    return named


class StoryMixin:
    """For a story's pages: the story its validators read (articles.syndication.conditional.for_story)."""

    model = Story

    def get_object(self, queryset=None):
        validators = getattr(self.request, "validators", None)
        story = validators and validators.story_called(self.kwargs["slug"])
        return story or super().get_object(queryset)


class StoryDetailView(StoryMixin, DetailView):
    """The story as it stands: its current revision over any earlier story it tops."""

    def get_stack(self):
        stack = self.object.revision_stack()
        if not stack:
            # The database refuses a story without revisions; never 500 on one regardless.
            raise Http404("The story has no revisions.")
        return stack

    def get_context_data(self, **kwargs):
        stack = self.get_stack()
        paragraphs = list(published_paragraphs(stack))
        developing = Developing.of(stack)
        return super().get_context_data(
            revision=stack[0],
            developing=developing,
            body=story_body(developing),
            description=str(paragraphs[0]) if paragraphs else "",
            **kwargs,
        )


def story_body(developing):
    """The story's text as of its newest version: the same for that revision for good
    (a revision and the stack below it never change), so made once and kept."""
    newest = developing.newest.revision
    (body,) = fragments.rendered_once(
        [developing],
        lambda developing: f"story body|{newest.story_id}|{newest.number}|{newest.pk}",
        lambda developing: render_to_string(
            "articles/includes/story_body.html", {"developing": developing}
        ),
    )
    return body


class RevisionDetailView(StoryDetailView):
    """The story as it stood at one revision.

    The current revision redirects to the story page: the same text at two addresses
    would be a second copy of the story. The redirect is temporary, since the address
    shows this revision for good once a newer one comes.
    """

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs["number"] == self.object.revision_number:
            return redirect(self.object)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_stack(self):
        number = self.kwargs["number"]
        stack = self.object.revision_stack(number)
        if not stack or stack[0].number != number:
            raise Http404("The story has no such revision.")
        return stack


class StoryHistoryView(StoryMixin, DetailView):
    """Every revision of the story, newest first, a page at a time (articles.site.history),
    with what each changed: the stack below the page is read only when that needs it."""

    template_name = "articles/story_history.html"

    def get_context_data(self, **kwargs):
        story = self.object
        try:
            page = history_page(story, self.request.GET.get("page", "1"))
        except InvalidPage as exc:
            raise Http404(str(exc)) from None
        revisions = page.object_list
        if not revisions:
            # The database refuses a story without revisions; never 500 on one regardless.
            raise Http404("The story has no revisions.")
        found = changes([*revisions, *self.below(story, revisions)])
        for revision in revisions:
            revision.change = found.get(revision.number)
            revision.sender = sender(revision)
        return super().get_context_data(
            revisions=revisions,
            timeline=timeline_points(revisions),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            **kwargs,
        )

    def below(self, story, revisions):
        """What changes() needs from under the page: the revision before its lowest, and
        the rest of that revision's stack when a rewrite on the page is compared with it."""
        lowest = revisions[-1].number
        if lowest == 1:
            return []
        if all(revision.is_breaking_update for revision in revisions):
            return list(story.revisions.filter(number=lowest - 1))
        return story.revision_stack(lowest - 1)


REVISION_NUMBER = re.compile(r"[0-9]+")


class CompareView(StoryMixin, DetailView):
    """What changed between two revisions: ?from=A&to=B, by default the previous and the current.

    Numbers that are not numbers, or not in order, are a bad request (400); numbers that
    are no revision of the story are not found (404).
    """

    template_name = "articles/story_compare.html"

    def number(self, name, default):
        value = self.request.GET.get(name)
        if value is None or value == "":
            return default
        if not REVISION_NUMBER.fullmatch(value):
            raise BadRequest(f"“{name}” must be a revision number.")
        number = int(value)
        if not 1 <= number <= self.object.revision_number:
            raise Http404(f"The story has no revision {number}.")
        return number

    def get_context_data(self, **kwargs):
        story = self.object
        new = self.number("to", default=story.revision_number)
        old = self.number("from", default=new - 1)
        if new <= old:
            raise BadRequest("“from” must be an earlier revision than “to”.")
        context = {"first_only": old == 0, "new_number": new, "old_number": old}
        if old:
            context.update(self.differences(story.revision_stack(old), story.revision_stack(new)))
        return super().get_context_data(**context, **kwargs)

    def differences(self, old_stack, new_stack):
        """The comparison of two stacks. Revisions never change, so it is computed once
        per (story, from, to) and release, and kept in the cache (COMPARE_CACHE_SECONDS):
        the same pair asked under any query string costs a cache read, not a diff."""
        old, new = old_stack[0], new_stack[0]
        key = f"compare|{release.current()}|{self.object.pk}|{old.number}|{new.number}"
        found = cache_get(key)
        if found is None:
            diff = compare(published_text(old_stack), published_text(new_stack))
            found = {
                "lines": changed_lines(old, new),
                "runs": runs_of_change(diff.paragraphs),
                "added": diff.added,
                "removed": diff.removed,
                "coarse": diff.coarse,
            }
            cache_set(key, found)
        return {"old": old, "new": new, **found}


COMPARE_CACHE_SECONDS = 24 * 60 * 60


def cache_get(key):
    try:
        return cache.get(key)
    except Exception as exc:  # a Redis that is away: compute instead
        logger.warning("Compare cache unavailable: %s", exc)
        return None


def cache_set(key, value):
    try:
        cache.set(key, value, COMPARE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("Compare cache unavailable: %s", exc)
