"""The editors' forms: what an editor types, checked and shaped into a Dispatch.

ModelForms over Revision, so they refuse what the model would, with its messages.
"""

import re
from dataclasses import asdict

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import ValidationError

from articles.models import SLUG_LENGTH, Revision, slug_for
from articles.publishing import Dispatch
from articles.text import PARAGRAPH_BREAK, Kind, PlainTextField, published_text
from articles.wire.plaintext import DATELINE

# The wire's own note over the earlier story, offered as the default.
BREAKING_NOTE = "THIS IS A BREAKING NEWS UPDATE. AP’s earlier story follows below."
UPDATE_KINDS = [
    (Kind.BREAKING_UPDATE, "Breaking update: a new top over the story as it stands"),
    (Kind.UPDATE, "Update (write-thru): the whole text, replacing the story’s"),
    (Kind.CORRECTION, "Correction: the whole text, corrected, with a note saying what changed"),
]
BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
A_LINE = forms.TextInput(attrs={"class": "vTextField"})  # the admin's width for a line
PARAGRAPHS = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})


def paragraphs(text):
    """Plain text as stored: paragraphs separated by one blank line, each on one line.

    Browsers send a textarea with CRLF line ends; a paragraph typed over several
    lines is one paragraph, as in wire copy.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return PARAGRAPH_BREAK.join(
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in BLANK_LINES.split(text)
    )


def constraint_message(name):
    """A Revision check constraint's message, so the form and the database say the same."""
    constraint = next(c for c in Revision._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


class DispatchForm(forms.ModelForm):
    """The content of a revision, as an editor types it."""

    class Meta:
        model = Revision
        fields = [
            "headline",
            "dateline_place",
            "agency",
            "byline",
            "body",
            "editors_note",
            "contributors",
        ]
        field_classes = dict.fromkeys(fields, PlainTextField)
        labels = {"body": "Text", "editors_note": "Editor’s note"}
        help_texts = {
            "dateline_place": "Where the text was filed, as the dateline prints it, "
            "e.g. “SEOUL, South Korea”. Leave it empty for no dateline.",
            "agency": "E.g. AP; printed in brackets after the place.",
            "byline": "E.g. “By JANE DOE” or “The Associated Press”.",
            "body": "Plain text, paragraphs separated by a blank line, without the dateline "
            "(it comes from the place and agency above).",
            "contributors": "Contributor lines as sent, one a line, e.g. “Associated Press "
            "writer Jane Doe in Tokyo contributed to this report.”",
        }
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "dateline_place": A_LINE,
            "agency": A_LINE,
            "byline": A_LINE,
            "body": forms.Textarea(attrs={"rows": 16, "class": "vLargeTextField"}),
            "editors_note": PARAGRAPHS,
            "contributors": PARAGRAPHS,
        }

    def clean_body(self):
        body = paragraphs(self.cleaned_data["body"])
        first = body.partition(PARAGRAPH_BREAK)[0]
        if DATELINE.fullmatch(first):
            raise ValidationError(
                "Leave the dateline out of the text: it is printed from the place and agency "
                "fields.",
                code="dateline_in_text",
            )
        return body

    def clean_editors_note(self):
        return " ".join(self.cleaned_data["editors_note"].split())

    def clean_contributors(self):
        lines = self.cleaned_data["contributors"].splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())

    def dispatch(self):
        """The revision as typed, for publish(): the instance the valid form filled in."""
        fields = {name: getattr(self.instance, name) for name in self._meta.fields}
        return Dispatch(kind=self.cleaned_data.get("kind", Kind.ORIGINAL), **fields)


class NewStoryForm(DispatchForm):
    """A new story: its first revision, at an address made from its headline."""

    slug = forms.SlugField(
        label="Address",
        max_length=SLUG_LENGTH,
        required=False,
        help_text="The story’s address, /stories/ADDRESS/: lower-case letters, digits and "
        "hyphens. Leave it empty to make it from the headline.",
    )

    not_before = forms.DateTimeField(
        label="Embargoed until",
        required=False,
        help_text="Optional: shown to nobody outside the admin before this time "
        "(YYYY-MM-DD HH:MM, newsroom time); it then appears by itself.",
    )

    field_order = ["headline", "slug"]

    class Meta(DispatchForm.Meta):
        help_texts = {
            **DispatchForm.Meta.help_texts,
            "editors_note": "Optional: a note to readers, after the text.",
        }

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("headline"):
            data["slug"] = slug_for(data["headline"])
        return data

    def story_exists(self, message):
        """The address is taken: say so, and show the address so it can be changed."""
        self.data = self.data.copy()
        self.data["slug"] = self.cleaned_data["slug"]
        self.add_error("slug", f"{message} Give this story another address.")


class UpdateForm(DispatchForm):
    """The next revision of a story, from the revision the editor started with."""

    base_revision = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": "The form lost the revision it was based on; reload it."},
    )
    # The form's own choice, not in Meta.fields: the kinds an editor posts, described; as
    # a model field, validating the form would ask the database for the kind constraints.
    kind = forms.ChoiceField(
        choices=UPDATE_KINDS,
        initial=Kind.BREAKING_UPDATE,
        label="Kind",
        widget=AdminRadioSelect(attrs={"class": "radiolist"}),
    )

    field_order = ["kind", "headline", "dateline_place", "agency", "byline", "body"]

    class Meta(DispatchForm.Meta):
        help_texts = {
            **DispatchForm.Meta.help_texts,
            "editors_note": "A breaking update’s note stands between its new top and the "
            "earlier story (left empty, the wire’s note is used). A correction’s note says "
            "what was corrected and follows the text.",
        }

    @classmethod
    def initial_for(cls, story, revision, kind):
        """What the form starts with: a breaking update starts empty, under the wire's
        note; an update or correction starts from the story's text as it stands."""
        initial = {
            "base_revision": story.revision_number,
            "kind": kind,
            "headline": story.headline,
            "dateline_place": story.dateline_place,
            "agency": story.agency,
            "byline": story.byline,
            "contributors": revision.contributors,
        }
        if kind == Kind.BREAKING_UPDATE:
            initial["editors_note"] = BREAKING_NOTE
        else:
            dateline = f"{revision.dateline} " if revision.dateline else ""
            initial["body"] = story.text.removeprefix(dateline)
        return initial

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.BREAKING_UPDATE and not data.get("editors_note"):
            data["editors_note"] = BREAKING_NOTE
        if kind == Kind.CORRECTION and not data.get("editors_note"):
            self.add_error(
                "editors_note", constraint_message("articles_revision_correction_says_what")
            )
        return data

    def changes_nothing(self, stack):
        """Whether posting would leave the story as readers saw it at the base revision.

        `stack` is the story's revision stack at the base revision (newest first).
        """
        new = Revision(**asdict(self.dispatch()))
        below = stack if new.is_breaking_update else []
        return _as_read(new, [new, *below]) == _as_read(stack[0], stack)


def _as_read(revision, stack):
    """What readers see of a story whose newest revision is `revision`."""
    fields = ("headline", "dateline_place", "agency", "byline", "contributors")
    return (*(getattr(revision, field) for field in fields), published_text(stack))
