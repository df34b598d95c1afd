from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.importing import ImportRefused, import_wire_file
from articles.models import Revision, Story


class Command(BaseCommand):
    help = (
        "Build a fixture from wire files through the importer, the same path as "
        "import_wire, without changing the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Wire text files (UTF-8).")
        parser.add_argument("--output", "-o", help="Write the fixture here instead of stdout.")

    def handle(self, paths, output=None, **options):
        with transaction.atomic():
            try:
                slugs = [import_wire_file(path).story.slug for path in paths]
            except ImportRefused as exc:
                raise CommandError(f"cannot build the fixture: {exc}") from exc
            # Read back from the database, so times serialize as stored.
            stories = Story.objects.filter(slug__in=slugs).order_by("slug")
            revisions = Revision.objects.filter(story__slug__in=slugs).order_by(
                "story__slug", "number"
            )
            fixture = serializers.serialize(
                "json",
                [*stories, *revisions.select_related("story")],
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
