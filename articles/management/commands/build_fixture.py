from datetime import datetime
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Revision, Story
from articles.wire.importing import ImportRefused, import_wire_file


class Command(BaseCommand):
    help = (
        "Build a fixture from wire files through the importer, the same path as "
        "import_wire, without changing the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Wire text files (UTF-8).")
        parser.add_argument("--output", "-o", help="Write the fixture here instead of stdout.")
        parser.add_argument(
            "--archived-at",
            type=datetime.fromisoformat,
            help="The archive time the fixture's revisions carry (ISO 8601); default: the "
            "newest wire time in the files, so the same files always build the same fixture.",
        )

    def handle(self, paths, output=None, archived_at=None, **options):
        with transaction.atomic():
            try:
                slugs = [import_wire_file(path).story.slug for path in paths]
            except ImportRefused as exc:
                raise CommandError(f"cannot build the fixture: {exc}") from exc
            # Read back from the database, so times serialize as stored.
            stories = list(Story.objects.filter(slug__in=slugs).order_by("slug"))
            revisions = list(
                Revision.objects.filter(story__slug__in=slugs)
                .order_by("story__slug", "number")
                .select_related("story")
            )
            archive_time(stories, revisions, archived_at)
            fixture = serializers.serialize(
                "json",
                [*stories, *revisions],
                indent=2,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
            transaction.set_rollback(True)
        if output:
            Path(output).write_text(fixture + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {len(slugs)} stories to {output}.")
        else:
            self.stdout.write(fixture)


def archive_time(stories, revisions, archived_at):
    """Date the fixture's rows as archived at one fixed time, in memory only.

    A fixture is a snapshot: stamped with the clock of the build, it would differ on
    every build and could not be loaded twice (revisions never change).
    """
    if archived_at is None:
        wire_times = [revision.wire_time for revision in revisions if revision.wire_time]
        if not wire_times:
            raise CommandError("the files give no time line; pass --archived-at")
        archived_at = max(wire_times)
    elif timezone.is_naive(archived_at):
        archived_at = timezone.make_aware(archived_at)
    for revision in revisions:
        revision.archived_at = archived_at
    for story in stories:
        own = [revision for revision in revisions if revision.story_id == story.pk]
        story.archived_at = archived_at
        story.first_published_at = own[0].dated_at
        story.updated_at = own[-1].dated_at
