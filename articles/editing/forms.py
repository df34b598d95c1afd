"""The editors' forms: what an editor types, checked and shaped into a Dispatch.

ModelForms over Revision, so they refuse what the model would, with its messages.
"""

import re
from dataclasses import asdict

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminRadioSelect
from django.core.exceptions import ValidationError

from articles.models import SLUG_LENGTH, Revision, slug_for
from articles.publishing import Dispatch
from articles.text import PARAGRAPH_BREAK, Kind, PlainTextField, format_dateline, published_text
from articles.wire.plaintext import DATELINE

UPDATE_KINDS = [
    (Kind.BREAKING_UPDATE, "Breaking update (a new top)"),
    (Kind.UPDATE, "Update (whole text)"),
    (Kind.CORRECTION, "Correction"),
]


def breaking_note():
    """The note over the earlier story for an editor's breaking update: the wire's words,
    in the publication's name, since it is the publication that posts it."""
    return f"THIS IS A BREAKING NEWS UPDATE. {settings.PUBLICATION_NAME}’s earlier story follows below."


BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
A_LINE = forms.TextInput(attrs={"class": "vTextField"})  # the admin's width for a line
PARAGRAPHS = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})


def split_dateline(paragraph):
    """(place, agency, the rest) of a paragraph that opens with a dateline, else None."""
    found = DATELINE.fullmatch(paragraph)
    if not found:
        return None
    place = ", ".join(part for part in (found["city"], found["region"]) if part)
    return place, found["agency"], found["rest"]


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
        return paragraphs(self.cleaned_data["body"])

    def clean(self):
        """A dateline pasted at the top of the text: the story's own is taken out (and
        `dateline_removed` says which), another one is refused, since the dateline is
        printed from the place and agency fields."""
        data = super().clean()
        first, sep, rest = data.get("body", "").partition(PARAGRAPH_BREAK)
        pasted = split_dateline(first)
        self.dateline_removed = ""
        if pasted:
            place, agency, text = pasted
            if (place, agency) == (data.get("dateline_place"), data.get("agency")):
                data["body"] = text + sep + rest
                self.dateline_removed = format_dateline(place, agency)
            else:
                self.add_error(
                    "body",
                    ValidationError(
                        "The text starts with the dateline “%(pasted)s”, which is not this "
                        "story’s: leave it out, or change the place and agency below.",
                        code="dateline_in_text",
                        params={"pasted": format_dateline(place, agency)},
                    ),
                )
        return data

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
        widget=AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )

    field_order = ["kind", "body", "editors_note", "headline", "dateline_place", "agency"]

    class Meta(DispatchForm.Meta):
        help_texts = {
            **DispatchForm.Meta.help_texts,
            "body": "Plain text, a blank line between paragraphs. No dateline: it is printed "
            "from the place and agency below (a pasted one matching them is taken out).",
            "editors_note": "A breaking update’s note stands between its new top and the "
            "earlier story (left empty, the usual note is used). A correction’s note says "
            "what was corrected and follows the text.",
        }
        widgets = {
            **DispatchForm.Meta.widgets,
            "body": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
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
            initial["editors_note"] = breaking_note()
        else:
            dateline = f"{revision.dateline} " if revision.dateline else ""
            initial["body"] = story.text.removeprefix(dateline)
        return initial

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.BREAKING_UPDATE and not data.get("editors_note"):
            data["editors_note"] = breaking_note()
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
