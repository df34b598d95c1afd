"""What each revision changed, told in a line for the history page.

The texts come from the one stacking rule (articles.models); the paragraph counts from
articles.diffing, the same comparison the compare page marks up.
"""

from dataclasses import dataclass
from itertools import islice, pairwise

from articles.site.diffing import LINE_FIELDS, paragraph_changes
from articles.text import published_paragraphs, published_text, stack_of


@dataclass(frozen=True)
class Change:
    added: int  # paragraphs, the editor's note counting as one
    removed: int
    fields: tuple[str, ...]  # of "headline", "dateline", "byline", those that changed

    def __str__(self):
        parts = []
        if self.added:
            parts.append(f"+{self.added} paragraph{'s' if self.added != 1 else ''}")
        if self.removed:
            parts.append(f"−{self.removed} paragraph{'s' if self.removed != 1 else ''}")
        parts += [f"{field} changed" for field in self.fields]
        return ", ".join(parts) or "no change to the text"


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
        found[revision.number] = Change(added, removed, fields)
    return found
