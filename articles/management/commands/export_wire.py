from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import Story
from articles.wire import plaintext as wire
from articles.wire.exporting import as_wire_story
from articles.wire.nitf_export import nitf_document


class Command(BaseCommand):
    help = (
        "Write a story as wire copy, in the format import_wire reads: as it stands, or "
        "as it stood at one revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="The story's address.")
        parser.add_argument(
            "--revision",
            type=int,
            metavar="N",
            help="The revision to write (default: the current one).",
        )
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        parser.add_argument(
            "--format",
            choices=["text", "nitf"],
            default="text",
            help="text: the plain-text wire format (default); nitf: an NITF 3.6 document.",
        )

    def handle(self, slug, revision=None, output=None, format="text", **options):
        story = Story.objects.filter(slug=slug).first()
        if story is None:
            raise CommandError(f"There is no story with the address “{slug}”.")
        if revision is not None and not 1 <= revision <= story.revision_number:
            raise CommandError(
                f"The story “{slug}” has revisions 1 to {story.revision_number}, not {revision}."
            )
        try:
            if format == "nitf":
                text = nitf_document(story, revision, settings.PUBLICATION_NAME)
            else:
                text = wire.format_story(as_wire_story(story, revision))
        except wire.WireFormatError as exc:
            raise CommandError(f"Cannot export “{slug}”: {exc}") from exc
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
