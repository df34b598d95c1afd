"""What every admin list of the archive shares: a plain 400 for filters no list can show,
and no editing or deleting of history."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.template.response import TemplateResponse


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
