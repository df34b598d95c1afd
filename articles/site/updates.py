"""A developing story as its page shows it: each version in its stack with its time and
who sent it, so a reader sees when each update came without reading every note.

Who sent a version is derived, not stored: a revision an editor posted is the
publication's, any other came from the wire and goes by its agency.
"""

from dataclasses import dataclass

from django.conf import settings

from articles.text import PARAGRAPH_BREAK, Paragraph


def sender(revision):
    """Who sent `revision`: the publication for an editor's post, else the wire's agency."""
    if revision.posted_by_id is not None:
        return settings.PUBLICATION_NAME
    return revision.agency or "the wire"


@dataclass(frozen=True)
class Version:
    """One revision of a story's stack: its own paragraphs and the note below them."""

    revision: object

    @property
    def number(self):
        return self.revision.number

    @property
    def when(self):
        return self.revision.dated_at

    @property
    def sender(self):
        return sender(self.revision)

    @property
    def paragraphs(self):
        first, *rest = self.revision.body.split(PARAGRAPH_BREAK)
        return [Paragraph(first, self.revision.dateline), *map(Paragraph, rest)]

    @property
    def note(self):
        return self.revision.editors_note

    @property
    def is_update(self):
        return self.revision.is_breaking_update

    @property
    def summary(self):
        """The first words of its top, for the list of updates."""
        words = self.revision.body.partition(PARAGRAPH_BREAK)[0].split()
        return " ".join(words[:14]) + (" …" if len(words) > 14 else "")


@dataclass(frozen=True)
class Developing:
    """A story's stack split as the page shows it: the newest top, the earlier tops
    (folded away), and the story they were posted over."""

    newest: Version
    earlier_tops: list
    base: Version | None

    @classmethod
    def of(cls, stack):
        versions = [Version(revision) for revision in stack]
        if len(versions) == 1:
            return cls(versions[0], [], None)
        return cls(versions[0], versions[1:-1], versions[-1])

    @property
    def versions(self):
        return [self.newest, *self.earlier_tops, *([self.base] if self.base else [])]

    @property
    def is_developing(self):
        return self.base is not None
