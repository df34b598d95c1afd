"""The editors' admin: stories and revisions are read here, never edited or deleted.

A story changes only by posting a new revision, in the views of articles.editing.views.
"""

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList, ChangeListSearchForm
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from articles.editing.lists import NoEditingMixin, PlainListErrorsMixin
from articles.editing.views import PostingViews, editor_name
from articles.editing.withdrawing import WithdrawingViews
from articles.models import Revision, Story, Transmission
from articles.search import CANDIDATES, MAX_QUERY_LENGTH
from articles.templatetags.times import time_line
from articles.text import PlainTextField

TRIGRAM = 3  # the shortest term a trigram index can find

admin.site.site_header = "Newsdesk administration"
admin.site.site_title = "Newsdesk administration"
admin.site.index_title = "The archive"


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


class PlainTextSearchForm(ChangeListSearchForm):
    """The list's search box, held to the plain-text rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SEARCH_VAR] = PlainTextField(required=False, strip=False)


class StoryChangeList(ChangeList):
    search_form_class = PlainTextSearchForm

    def get_queryset(self, request, exclude_parameters=None):
        # A list row shows none of the text.
        return super().get_queryset(request, exclude_parameters).defer("text")


@admin.register(Story)
class StoryAdmin(
    WithdrawingViews, PostingViews, PlainListErrorsMixin, NoEditingMixin, admin.ModelAdmin
):
    list_display = [
        "headline",
        "post_update",
        "dateline_place",
        "status",
        "last_updated",
        "revision_count",
    ]
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
                    "first_published",
                    "last_updated",
                    "archived",
                ]
            },
        ),
        ("Published text", {"fields": ["text"]}),
        (
            "The wire's orders",
            {"fields": ["wire_keyword", "not_before", "withdrawn_at", "withdrawal_reason"]},
        ),
    ]
    inlines = [RevisionInline]
    view_on_site = True
    change_form_template = "admin/articles/story/change_form.html"

    def get_search_results(self, request, queryset, search_term):
        """The stories the public search finds for the words, through its index, the
        story at that exact address, and the stories with the term in their headline.

        The admin's own search (icontains on each field) reads every row of the archive,
        and again to count what it found.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        if len(term) > MAX_QUERY_LENGTH:
            return queryset.none(), False
        # At most the search's window of ids: asked as one OR, PostgreSQL would test
        # every story against both.
        found = [*Story.objects.search(term).values_list("pk", flat=True)]
        found += Story.objects.filter(slug=term).values_list("pk", flat=True)
        if len(term) >= TRIGRAM:  # part of a headline, through its trigram index
            headlines = Story.objects.filter(headline__icontains=term).order_by()
            found += headlines.values_list("pk", flat=True)[:CANDIDATES]
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

    @admin.display(description="Status", empty_value="")
    def status(self, story):
        """What readers see of the story, marked only when it is news: breaking now, or
        kept from them (withdrawn, embargoed). A column of "no" marks would shout."""
        if story.is_withdrawn:
            return format_html('<strong class="{}">Withdrawn</strong>', "newsdesk-withheld")
        if story.is_embargoed:
            return format_html('<strong class="{}">Embargoed</strong>', "newsdesk-withheld")
        if story.is_breaking:
            return format_html('<strong class="{}">Breaking</strong>', "newsdesk-breaking")
        return ""

    @admin.display(description="Update")
    def post_update(self, story):
        """The one action an editor takes from the list: post an update to this story."""
        url = reverse(
            "admin:articles_story_post", args=[story.pk], current_app=self.admin_site.name
        )
        return format_html(
            '<a class="newsdesk-post-link" href="{}">Post an update<span class="newsdesk-sr"> to “{}”</span></a>',
            url,
            story.headline,
        )

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if not self.has_post_permission(request):
            return [name for name in shown if name != "post_update"]
        return shown

    @admin.display(description="First published")
    def first_published(self, story):
        return time_line(story.first_published_at)

    @admin.display(description="Last updated", ordering="updated_at")
    def last_updated(self, story):
        return time_line(story.updated_at)

    @admin.display(description="Archived")
    def archived(self, story):
        return time_line(story.archived_at)

    @admin.display(description="Revisions", ordering="revision_count")
    def revision_count(self, story):
        return story.revision_count


@admin.register(Revision)
class RevisionAdmin(PlainListErrorsMixin, NoEditingMixin, admin.ModelAdmin):
    list_display = ["__str__", "story_slug", "number", "kind", "archived", "posted_by"]
    list_filter = ["kind"]
    list_select_related = ["story", "posted_by"]
    search_fields = ["headline", "=story__slug"]
    date_hierarchy = "archived_at"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["story", "number", "kind", "sent", "archived", "posted_by"]}),
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

    @admin.display(description="Wire time")
    def sent(self, revision):
        if revision.wire_time:
            return time_line(revision.wire_time)
        if revision.posted_by_id:
            return "None: an editor posted it, at the time it was archived"
        return "Not given by the wire"

    @admin.display(description="Archived", ordering="archived_at")
    def archived(self, revision):
        return time_line(revision.archived_at)

    @admin.display(description="Story", ordering="story__slug")
    def story_slug(self, revision):
        return revision.story.slug


@admin.register(Transmission)
class TransmissionAdmin(NoEditingMixin, admin.ModelAdmin):
    """Every wire arrival as received, late versions kept as history among them."""

    list_display = [
        "received_at",
        "source",
        "wire_format",
        "wire_keyword",
        "wire_version",
        "outcome",
        "story",
    ]
    list_filter = ["outcome", "wire_format"]
    search_fields = ["=wire_keyword", "=story__slug"]
    list_select_related = ["story"]

    def has_add_permission(self, request):
        return False
