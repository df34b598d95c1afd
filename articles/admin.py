"""The editors' admin: stories are read here and updated only by posting a new revision.

Posting ("Add story", "Post an update") goes through articles.publishing.publish with the
revision number the editor's form was based on; the database's conditional update
refuses a form that someone else's revision has overtaken, and the editor is shown what
changed with their own text kept. Nothing in the admin edits or deletes a story or a
revision: the database refuses that too.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from articles.editing.forms import NewStoryForm, UpdateForm
from articles.models import Revision, Story
from articles.publishing import EditConflict, publish
from articles.search import MAX_QUERY_LENGTH
from articles.site.diffing import changed_lines, diff_paragraphs
from articles.templatetags.times import time_line
from articles.text import PARAGRAPH_BREAK, Kind, published_text

admin.site.site_header = "Newsdesk administration"
admin.site.site_title = "Newsdesk administration"
admin.site.index_title = "The archive"

POST_PERMISSION = "articles.add_revision"


class UnusableFilters(Exception):
    """The list's query string asks for something no list can show."""


class PlainListErrorsMixin:
    """Answer list parameters no list can show (the year 99999999999, month 13, page 10^9)
    with a 400 page that says so: Django's admin would raise a 500 for some of them and
    quietly redirect for the rest."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, ValueError, OverflowError) as exc:
            raise UnusableFilters(str(exc)) from exc

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except UnusableFilters as exc:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "This list cannot be shown",
                "reason": str(exc),
            }
            template = "admin/articles/unusable_filters.html"
            return TemplateResponse(request, template, context, status=400)


class NoEditingMixin:
    """History is never edited or deleted here; the database refuses it as well."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(NoEditingMixin, admin.TabularInline):
    model = Revision
    fields = ["number", "kind", "time", "posted_by_name", "note", "public_page"]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = True
    view_on_site = False  # the public page has its own column
    extra = 0
    verbose_name_plural = "revisions, newest first"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row links to its public page, which needs the story's slug: join it.
        return (
            super()
            .get_queryset(request)
            .select_related("story", "posted_by")
            .defer("body", "story__text", "story__search_vector")
        )

    @admin.display(description="Time")
    def time(self, revision):
        return time_line(revision.dated_at)

    @admin.display(description="Posted by")
    def posted_by_name(self, revision):
        return capfirst(editor_name(revision.posted_by))

    @admin.display(description="Editor’s note")
    def note(self, revision):
        return revision.editors_note

    @admin.display(description="Public page")
    def public_page(self, revision):
        return format_html(
            '<a href="{}">Revision {} on the site</a>', revision.get_absolute_url(), revision.number
        )


class BreakingFilter(admin.SimpleListFilter):
    title = "breaking"
    parameter_name = "breaking"

    def lookups(self, request, model_admin):
        return [("now", "Breaking now")]

    def queryset(self, request, queryset):
        if self.value() == "now":
            return queryset.breaking()
        return queryset


class StoryChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # A list row shows none of the text.
        return super().get_queryset(request, exclude_parameters).defer("text")


@admin.register(Story)
class StoryAdmin(PlainListErrorsMixin, NoEditingMixin, admin.ModelAdmin):
    list_display = ["headline", "dateline_place", "breaking", "last_updated", "revision_count"]
    list_filter = [BreakingFilter, "kind", "agency"]
    # Shows the search box; get_search_results() below does the searching. (No
    # search_help_text: the admin ties it to a box whose only label is hidden.)
    search_fields = ["headline", "=slug", "dateline_place"]
    date_hierarchy = "updated_at"
    show_full_result_count = False  # a second COUNT(*) over the archive on every filtered page
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dateline_place", "agency", "byline"]}),
        (
            "Current state",
            {
                "fields": [
                    "revision_number",
                    "kind",
                    "first_published_at",
                    "updated_at",
                    "archived_at",
                ]
            },
        ),
        ("Published text", {"fields": ["text"]}),
    ]
    inlines = [RevisionInline]
    view_on_site = True
    change_form_template = "admin/articles/story/change_form.html"
    posting_template = "admin/articles/story/post_revision.html"

    def get_search_results(self, request, queryset, search_term):
        """The stories the public search finds for the words, through its index, or the
        story at that exact address.

        The admin's own search (icontains on each field) reads every row of the archive,
        and again to count what it found: a third of a second at 100k stories, for a
        word no story has.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        if "\x00" in term or len(term) > MAX_QUERY_LENGTH:
            return queryset.none(), False
        # At most the search's window of ids: asked as one OR, PostgreSQL would test
        # every story against both.
        found = [*Story.objects.search(term).values_list("pk", flat=True)]
        found += Story.objects.filter(slug=term).values_list("pk", flat=True)
        return queryset.filter(pk__in=found), False

    def get_queryset(self, request):
        # Revisions are counted in the same query, not loaded.
        revisions = (
            Revision.objects.filter(story=OuterRef("pk"))
            .order_by()
            .values("story")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .annotate(revision_count=Subquery(revisions))
        )

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @admin.display(boolean=True, description="Breaking")
    def breaking(self, story):
        return story.is_breaking

    @admin.display(description="Last updated", ordering="updated_at")
    def last_updated(self, story):
        return time_line(story.updated_at)

    @admin.display(description="Revisions", ordering="revision_count")
    def revision_count(self, story):
        return story.revision_count

    def has_add_permission(self, request):
        # A new story is its first revision.
        return super().has_add_permission(request) and self.has_post_permission(request)

    def has_post_permission(self, request):
        return request.user.has_perm(POST_PERMISSION)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        post = self.admin_site.admin_view(self.post_revision_view)
        return [
            path("<path:object_id>/post/", post, name="{}_{}_post".format(*info)),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if self.has_post_permission(request):
            extra_context["post_revision_url"] = reverse(
                "admin:articles_story_post", args=[object_id], current_app=self.admin_site.name
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Add story: revision 1 of a new story, through the one write path."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = NewStoryForm(request.POST if request.method == "POST" else None)
        status = 200
        if form.is_bound:
            status = 400
            if form.is_valid():
                try:
                    revision = publish(
                        form.cleaned_data["slug"],
                        form.dispatch(),
                        expected_revision=0,
                        posted_by=request.user,
                    )
                except EditConflict as exc:
                    form.story_exists(str(exc))
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    return self.posted(request, revision)
        return self.render_posting(request, form, status, title="Add story", add=True)

    def post_revision_view(self, request, object_id):
        """Post an update: the next revision, on top of the one the form was based on."""
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("There is no such story.")
        if not (self.has_view_permission(request, story) and self.has_post_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            kind = request.GET.get("kind")
            kind = kind if kind in {Kind.UPDATE, Kind.CORRECTION} else Kind.BREAKING_UPDATE
            current = story.revisions.get(number=story.revision_number)
            form = UpdateForm(initial=UpdateForm.initial_for(story, current, kind))
            return self.render_posting(request, form, 200, story=story, kind=kind)

        form = UpdateForm(request.POST)
        if not form.is_valid():
            return self.render_posting(request, form, 400, story=story)
        base = form.cleaned_data["base_revision"]
        started = story.revision_stack(base) if base <= story.revision_number else []
        if not started:
            form.add_error(None, f"This story has no revision {base}; reload the form.")
            return self.render_posting(request, form, 400, story=story)
        if form.changes_nothing(started):
            return self.render_posting(request, form, 200, story=story, unchanged=started[0])
        try:
            revision = publish(
                story.slug, form.dispatch(), expected_revision=base, posted_by=request.user
            )
        except EditConflict:
            # Someone posted since the form was opened: show what, keep what this editor
            # typed, and base the form on the story as it now stands, so that posting
            # again goes on top of it deliberately.
            conflict = self.overtaken(story, started)
            data = request.POST.copy()
            data["base_revision"] = conflict["current"].revision_number
            form = UpdateForm(data)
            return self.render_posting(request, form, 409, story=story, conflict=conflict)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_posting(request, form, 400, story=story)
        return self.posted(request, revision)

    def overtaken(self, story, started):
        """What was posted over `started`, the stack the editor's form was based on."""
        current = Story.objects.defer("search_vector").get(pk=story.pk)
        newer = list(
            current.revisions.filter(number__gt=started[0].number)
            .select_related("posted_by")
            .order_by("number")
        )
        for revision in newer:
            revision.editor = editor_name(revision.posted_by)
            revision.posted_at = time_line(revision.archived_at)
        before, now = started[0], newer[-1]
        return {
            "base": before.number,
            "current": current,
            "newer": newer,
            "changes": changed_lines(before, now),
            "text": diff_paragraphs(published_text(started), current.text),
        }

    def posted(self, request, revision):
        story = revision.story
        story.headline = revision.headline  # what it now reads, without reading it back
        if revision.number == 1:
            verb = "Added"
            self.log_addition(request, story, "Posted revision 1.")
        else:
            verb = f"Posted revision {revision.number} of"
            self.log_change(request, story, f"Posted revision {revision.number}.")
        messages.success(
            request,
            format_html(
                '{} “{}”. <a href="{}">Read it on the site</a>.',
                verb,
                story.headline,
                story.get_absolute_url(),
            ),
        )
        return HttpResponseRedirect(
            reverse(
                "admin:articles_story_change", args=[story.pk], current_app=self.admin_site.name
            )
        )

    def render_posting(
        self, request, form, status, *, title=None, story=None, add=False, **context
    ):
        fields = list(form.fields)
        adminform = helpers.AdminForm(form, [(None, {"fields": fields})], {}, model_admin=self)
        shown = context["conflict"]["current"] if "conflict" in context else story
        if story is not None:
            title = f"Post an update to “{story.headline}”"
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "original": story,
            "add": add,
            "adminform": adminform,
            "form": form,
            "media": self.media + adminform.media,
            "story_paragraphs": shown.text.split(PARAGRAPH_BREAK) if shown else [],
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.posting_template, context, status=status)


@admin.register(Revision)
class RevisionAdmin(PlainListErrorsMixin, NoEditingMixin, admin.ModelAdmin):
    list_display = ["__str__", "story_slug", "number", "kind", "archived_at", "posted_by"]
    list_filter = ["kind"]
    list_select_related = ["story", "posted_by"]
    search_fields = ["headline", "=story__slug"]
    date_hierarchy = "archived_at"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["story", "number", "kind", "wire_time", "archived_at", "posted_by"]}),
        (
            "As sent",
            {
                "fields": [
                    "headline",
                    "dateline_place",
                    "agency",
                    "byline",
                    "body",
                    "editors_note",
                    "contributors",
                ]
            },
        ),
    ]
    view_on_site = True

    def has_add_permission(self, request):
        return False  # revisions are posted from their story's page

    @admin.display(description="Story", ordering="story__slug")
    def story_slug(self, revision):
        return revision.story.slug


def editor_name(user):
    if user is None:
        return "the wire"
    return user.get_full_name() or user.get_username()
