"""What each revision changed, told in a line for the history page.

The texts come from the one stacking rule (articles.models); the paragraph counts from
articles.diffing, the same comparison the compare page marks up.
"""

from dataclasses import dataclass
from itertools import islice, pairwise

from articles.site.diffing import LINE_FIELDS, paragraph_changes
from articles.text import published_paragraphs, published_text, stack_of

FIELD_WORDS = {"headline": "a new headline", "dateline": "a new dateline", "byline": "a new byline"}


def _paragraphs(count):
    return f"{count} paragraph{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Change:
    added: int  # paragraphs, the editor's note counting as one
    removed: int
    fields: tuple[str, ...]  # of "headline", "dateline", "byline", those that changed
    new_top: bool = False  # a breaking update: its paragraphs over the earlier story

    def __str__(self):
        """What changed, as a reader would say it: "A new top of 2 paragraphs over the
        earlier story", "Rewritten: 2 paragraphs added, 1 removed; a new headline"."""
        if self.new_top:
            text = f"A new top of {_paragraphs(max(self.added - 1, 1))} over the earlier story"
        elif self.added or self.removed:
            parts = [f"{_paragraphs(self.added)} added"] if self.added else []
            parts += [f"{_paragraphs(self.removed)} removed"] if self.removed else []
            text = "Rewritten: " + ", ".join(parts)
        else:
            text = "The text is unchanged"
        if self.fields:
            text += "; " + " and ".join(FIELD_WORDS.get(field, field) for field in self.fields)
        return text


def changes(revisions):
    """{number: Change} for every revision but the first.

    `revisions` are all of one story's revisions, newest first, with their bodies. A
    breaking update leaves the earlier text whole below its own paragraphs and note, so
    what it added is those; any other revision replaces the published text, which is
    compared paragraph by paragraph with the text before it. Each earlier stack is read
    once, so the work grows with the story, not with its square.
    """
    revisions = list(revisions)
    found = {}
    for index, (revision, previous) in enumerate(pairwise(revisions)):
        if revision.is_breaking_update:
            added, removed = len(list(published_paragraphs([revision]))), 0
        else:
            before = published_text(stack_of(islice(revisions, index + 1, None)))
            added, removed = paragraph_changes(before, published_text([revision]))
        fields = tuple(
            field
            for _, field in LINE_FIELDS
            if getattr(revision, field) != getattr(previous, field)
        )
        found[revision.number] = Change(added, removed, fields, revision.is_breaking_update)
    return found


def runs_of_change(paragraphs):
    """Compared paragraphs (articles.site.diffing) in runs, [(changed, [paragraph, ...])],
    so that a page can fold away what stayed the same."""
    runs = []
    for paragraph in paragraphs:
        changed = "<ins>" in paragraph or "<del>" in paragraph
        if runs and runs[-1][0] == changed:
            runs[-1][1].append(paragraph)
        else:
            runs.append((changed, [paragraph]))
    return runs
