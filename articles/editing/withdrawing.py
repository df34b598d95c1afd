"""The admin's Withdraw action: an editor withdraws a story, with the reason readers see.

Mixed into StoryAdmin; the withdrawal goes through articles.publishing.withdraw(), as
the wire's kill does. The story's revisions stay in the admin.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.publishing import EditConflict, withdraw
from articles.text import PlainTextField


class WithdrawForm(forms.Form):
    reason = PlainTextField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Shown to readers in the story's place, e.g. “The story was based on a "
        "false report.”",
    )


class WithdrawingViews:
    withdraw_template = "admin/articles/story/withdraw.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.withdraw_view)
        return [
            path("<path:object_id>/withdraw/", view, name="{}_{}_withdraw".format(*info)),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if self.has_post_permission(request):
            extra_context["withdraw_url"] = reverse(
                "admin:articles_story_withdraw", args=[object_id], current_app=self.admin_site.name
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def withdraw_view(self, request, object_id):
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("There is no such story.")
        if not self.has_post_permission(request):
            raise PermissionDenied
        form = WithdrawForm(request.POST if request.method == "POST" else None)
        status = 200
        if form.is_bound:
            status = 400
            if form.is_valid():
                try:
                    withdraw(story.slug, form.cleaned_data["reason"])
                except (ValidationError, EditConflict) as error:
                    form.add_error("reason", str(error))
                else:
                    self.log_change(request, story, "Withdrew the story.")
                    messages.success(request, f"Withdrew “{story.headline}”.")
                    return HttpResponseRedirect(
                        reverse(
                            "admin:articles_story_change",
                            args=[story.pk],
                            current_app=self.admin_site.name,
                        )
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Withdraw “{story.headline}”",
            "opts": self.opts,
            "original": story,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.withdraw_template, context, status=status)
