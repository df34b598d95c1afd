from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportRefused, import_wire_file


class Command(BaseCommand):
    help = (
        "Import AP-style wire files. Each file is archived whole or not at all; a file "
        "already archived changes nothing, and one that adds breaking updates to an "
        "archived story adds just those revisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Wire text files (UTF-8).")
        parser.add_argument(
            "--slug",
            help="Import into the story at this address instead of one named after the "
            "headline (for an update whose headline changed). Takes one PATH.",
        )

    def handle(self, paths, slug=None, **options):
        if slug and len(paths) > 1:
            raise CommandError("--slug takes exactly one PATH.")
        failed = 0
        for path in paths:
            try:
                result = import_wire_file(path, slug=slug)
            except ImportRefused as exc:
                failed += 1
                self.stderr.write(f"{path}: not imported: {exc}")
            else:
                self.stdout.write(f"{path}: {describe(result)}")
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files were not imported.")


def describe(result):
    story = result.story
    if not result.published:
        return f"unchanged, already archived as “{story.slug}” (revision {story.revision_number})"
    numbers = [revision.number for revision in result.published]
    span = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    return f"archived revision{'s' if len(numbers) > 1 else ''} {span} of “{story.slug}”"
