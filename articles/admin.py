"""The admin shows the archive; it does not write to it.

Stories change only through articles.publishing (the editors' workflow for posting
updates goes through it too), and revisions never change at all.
"""

from django.contrib import admin

from articles.models import Revision, Story


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Revision
    fields = ["number", "kind", "wire_time", "archived_at", "posted_by", "headline", "editors_note"]
    ordering = ["-number"]
    show_change_link = True
    extra = 0


@admin.register(Story)
class StoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["headline", "dateline_place", "kind", "revision_number", "updated_at"]
    list_filter = ["kind", "agency"]
    search_fields = ["headline", "slug", "dateline_place"]
    date_hierarchy = "updated_at"
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


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "kind", "wire_time"]
    list_filter = ["kind"]
    list_select_related = ["story"]
    search_fields = ["headline", "story__slug"]
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
