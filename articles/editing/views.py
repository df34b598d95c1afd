"""The admin's posting views: add a story, post an update, and answer a conflict.

Mixed into StoryAdmin; every post goes through articles.publishing.publish().
"""

from copy import copy
from dataclasses import asdict

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.editing.forms import NewStoryForm, UpdateForm
from articles.models import Revision, Story
from articles.publishing import EditConflict, publish
from articles.site.changes import runs_of_change
from articles.site.diffing import changed_lines, diff_paragraphs
from articles.site.updates import Developing
from articles.templatetags.times import time_line
from articles.text import PARAGRAPH_BREAK, Kind, published_text

POST_PERMISSION = "articles.add_revision"
# The posting form's first fields; the rest fold away under MORE_FIELDS_LABEL.
FIRST_FIELDS = ["kind", "body"]
MORE_FIELDS_LABEL = "Note, headline, dateline and byline"


def dateline_message(form):
    return (
        f"The dateline “{form.dateline_removed}” at the top of the text was taken out: "
        "the story prints it from its place and agency."
    )


def editor_name(user):
    if user is None:
        return "the wire"
    return user.get_full_name() or user.get_username()


class PostingViews:
    """A ModelAdmin's views that post revisions of its stories, with the posting URL."""

    posting_template = "admin/articles/story/post_revision.html"

    def has_post_permission(self, request):
        return request.user.has_perm(POST_PERMISSION)

    def has_add_permission(self, request):
        # A new story is its first revision.
        return super().has_add_permission(request) and self.has_post_permission(request)

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
                        not_before=form.cleaned_data.get("not_before"),
                    )
                except EditConflict as exc:
                    form.story_exists(str(exc))
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    return self.posted(request, revision)
        return self.render_posting(request, form, status, title="Add story", add=True)

    def post_revision_view(self, request, object_id):
        """Post an update: the next revision, on top of the one the form was based on.

        "_preview" shows the story as readers will see it, posting nothing; "_edit"
        goes back to the form from there; an update or correction sent with no text
        starts from the story's text.
        """
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("There is no such story.")
        if not (self.has_view_permission(request, story) and self.has_post_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            kind = request.GET.get("kind")
            kind = kind if kind in {Kind.UPDATE, Kind.CORRECTION} else Kind.BREAKING_UPDATE
            return self.render_posting(
                request, self.starting_form(story, kind), 200, story=story, kind=kind
            )
        if request.POST.get("kind") in {Kind.UPDATE, Kind.CORRECTION} and not (
            request.POST.get("body", "").strip()
        ):
            return self.start_from_story(request, story)

        form = UpdateForm(request.POST)
        if not form.is_valid():
            return self.render_posting(request, form, 400, story=story)
        base = form.cleaned_data["base_revision"]
        started = story.revision_stack(base) if base <= story.revision_number else []
        if not started:
            form.add_error(None, f"This story has no revision {base}; reload the form.")
            return self.render_posting(request, form, 400, story=story)
        if "_edit" in request.POST:
            return self.render_posting(request, form, 200, story=story)
        if form.changes_nothing(started):
            return self.render_posting(request, form, 200, story=story, unchanged=started[0])
        if "_preview" in request.POST:
            return self.preview(request, story, form, started)
        try:
            revision = publish(
                story.slug, form.dispatch(), expected_revision=base, posted_by=request.user
            )
        except EditConflict:
            return self.overtaken(request, story, started)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_posting(request, form, 400, story=story)
        if form.dateline_removed:
            messages.info(request, dateline_message(form))
        return self.posted(request, revision)

    @staticmethod
    def starting_form(story, kind, **typed):
        current = story.revisions.get(number=story.revision_number)
        return UpdateForm(initial={**UpdateForm.initial_for(story, current, kind), **typed})

    def start_from_story(self, request, story):
        """An update or a correction with no text yet: the form again, its text the
        story's as it stands, keeping everything else the editor typed."""
        kind = request.POST["kind"]
        typed = {
            name: request.POST[name]
            for name in ("headline", "dateline_place", "agency", "byline", "editors_note")
            if name in request.POST and (name != "editors_note" or kind == Kind.CORRECTION)
        }
        form = self.starting_form(story, kind, **typed)
        return self.render_posting(request, form, 200, story=story, kind=kind, started=True)

    def preview(self, request, story, form, started):
        """The story's public page as it will read once this is posted; nothing is saved."""
        new = Revision(
            **asdict(form.dispatch()),
            story=story,
            number=started[0].number + 1,
            posted_by=request.user,
            archived_at=timezone.now(),
        )
        stack = [new, *started] if new.is_breaking_update else [new]
        shown = copy(story)
        for field in ("headline", "dateline_place", "agency", "byline", "kind"):
            setattr(shown, field, getattr(new, field))
        shown.revision_number, shown.updated_at = new.number, new.archived_at
        new.story = shown
        context = {
            "story": shown,
            "object": shown,
            "revision": new,
            "developing": Developing.of(stack),
            "description": new.body.partition(PARAGRAPH_BREAK)[0],
            "preview": True,
            "form": form,
            "post_url": request.path,
            "dateline_message": dateline_message(form) if form.dateline_removed else "",
        }
        return TemplateResponse(request, "admin/articles/story/preview.html", context)

    def overtaken(self, request, story, started):
        """Someone posted over `started`, the stack the editor's form was based on: show
        what, keep what this editor typed, and base the form on the story as it now
        stands, so that posting again goes on top of it deliberately."""
        current = Story.objects.defer("search_vector").get(pk=story.pk)
        newer = list(
            current.revisions.filter(number__gt=started[0].number)
            .select_related("posted_by")
            .order_by("number")
        )
        for revision in newer:
            revision.editor = editor_name(revision.posted_by)
            revision.posted_at = time_line(revision.archived_at)
        conflict = {
            "base": started[0].number,
            "current": current,
            "newer": newer,
            "changes": changed_lines(started[0], newer[-1]),
            "runs": runs_of_change(diff_paragraphs(published_text(started), current.text)),
        }
        data = request.POST.copy()
        data["base_revision"] = current.revision_number
        form = UpdateForm(data)
        return self.render_posting(request, form, 409, story=story, conflict=conflict)

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
        adminform = helpers.AdminForm(form, self.posting_fieldsets(form), {}, model_admin=self)
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
            "more_label": MORE_FIELDS_LABEL,
            "more_open": self.folded_fields_open(form),
            "story_paragraphs": story.text.split(PARAGRAPH_BREAK)
            if story and "conflict" not in context
            else [],
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.posting_template, context, status=status)

    @staticmethod
    def folded_fields_open(form):
        """Whether the fields below the text start open: when one of them has an error, or
        for a correction, whose note is required."""
        if "kind" not in form.fields:
            return False
        folded = [name for name in form.fields if name not in FIRST_FIELDS]
        return any(name in form.errors for name in folded) or (
            form["kind"].value() == Kind.CORRECTION
        )

    @staticmethod
    def posting_fieldsets(form):
        """An update's kind and text first, the rest folded below; a new story's all at once.
        The hidden base revision is in no fieldset, so that no label points at it."""
        visible = [name for name in form.fields if name != "base_revision"]
        if "kind" not in form.fields:
            return [(None, {"fields": visible})]
        more = [name for name in visible if name not in FIRST_FIELDS]
        return [(None, {"fields": FIRST_FIELDS}), (None, {"fields": more})]
