"""A story's revisions newest first, paged by revision number as the history page shows them."""

from django.core.paginator import Paginator

HISTORY_PAGE_SIZE = 50


class History:
    """A story's revisions newest first, as a sequence Paginator can slice: revision
    numbers have no gaps, so a slice is a range of numbers, read in one query."""

    def __init__(self, story):
        self.story = story

    def __len__(self):
        return self.story.revision_number

    def __getitem__(self, index):
        start, stop, _ = index.indices(len(self))
        newest = self.story.revision_number - start
        return list(
            self.story.revisions.filter(number__lte=newest, number__gt=newest - (stop - start))
            .order_by("-number")
            .select_related("posted_by")
        )


def history_page(story, number):
    """Page `number` ("last" for the oldest) of the story's revisions; raises InvalidPage."""
    paginator = Paginator(History(story), HISTORY_PAGE_SIZE)
    return paginator.page(paginator.num_pages if number == "last" else number)


def timeline_points(revisions):
    """(x, revision) for a small picture of when the page's revisions came: x from 2 (the
    oldest) to 98 (the newest) per cent of the way along, by time; evenly spaced when
    they all came at once."""
    oldest = revisions[-1].dated_at
    span = (revisions[0].dated_at - oldest).total_seconds()
    count = len(revisions)
    points = []
    for index, revision in enumerate(reversed(revisions)):
        if span > 0:
            share = (revision.dated_at - oldest).total_seconds() / span
        else:
            share = index / (count - 1) if count > 1 else 0.5
        points.append((f"{2 + 96 * share:.1f}", revision))
    return points
