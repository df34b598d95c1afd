from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.wire.batches import import_wire_files
from articles.wire.files import wire_files
from articles.wire.importing import ImportRefused, import_wire_file
from articles.wire.watching import watch

# Outcomes only a keyed wire transmission has, summed up only when there were some.
WIRE_ORDERS = ("late", "withdrawn")


class Command(BaseCommand):
    help = (
        "Import AP-style wire files, and every *.txt file under a directory. Each file is "
        "archived whole or not at all: a file already archived changes nothing, and one "
        "whose earlier story is a story's current text adds its new versions to that story."
    )
    # Run from cron or a watcher many times a day, it skips the system checks (a tenth
    # of a second each run); `manage.py check --deploy` is where configuration is checked.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="Wire files (plain text, ANPA-1312, NITF) or directories.",
        )
        parser.add_argument(
            "--watch",
            metavar="DIR",
            help="Keep importing every file dropped into DIR as it arrives, moving it to "
            "DIR/done/ or DIR/rejected/ (with NAME.reason.txt); Ctrl-C stops.",
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between polls of --watch DIR."
        )
        parser.add_argument(
            "--max-polls", type=int, help="Stop --watch after this many polls (for scripts)."
        )
        parser.add_argument(
            "--slug",
            help="Post the file onto the story at this address (or start one there), for a "
            "write-thru that repeats no earlier text. Takes one file.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported; write nothing.",
        )

    def handle(self, paths, slug=None, dry_run=False, verbosity=1, **options):
        if options.get("watch"):
            if paths or slug or dry_run:
                raise CommandError(
                    "--watch takes a folder alone, without paths, --slug or --dry-run."
                )
            try:
                watch(
                    options["watch"], interval=options["interval"], max_polls=options["max_polls"]
                )
            except KeyboardInterrupt:
                pass
            return
        if not paths:
            raise CommandError("Give wire files or folders to import, or --watch DIR.")
        skipped = []
        files = list(wire_files(paths, skipped))
        for path, why in skipped:
            self.stderr.write(f"{path}: skipped, {why}")
        if slug and len(files) != 1:
            raise CommandError("--slug takes exactly one file.")
        progress = Progress(self.stderr, len(files), enabled=verbosity >= 1)
        counts = dict.fromkeys(
            ["created", "updated", "unchanged", "late", "withdrawn", "failed"], 0
        )

        # A dry run tries every file in one transaction rolled back at the end, so a
        # later file sees what an earlier one would have done; each file (or the bulk
        # insert of a batch) still has its own savepoint, as it has its own transaction
        # in a real run.
        with transaction.atomic() if dry_run else nullcontext():
            for path, result in self.results(files, slug):
                counts[self.report(path, result, dry_run, verbosity, progress)] += 1
                progress.advance()
            if dry_run:
                transaction.set_rollback(True)
        progress.clear()

        if verbosity >= 1:
            self.stdout.write(summary(files, counts, skipped, dry_run))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files were not imported.")

    def results(self, files, slug):
        if not slug:
            # In batches; the same outcome as one file after another, in fewer statements.
            yield from import_wire_files(files)
            return
        for path in files:
            try:
                yield path, import_wire_file(path, slug=slug)
            except ImportRefused as exc:
                yield path, exc

    def report(self, path, result, dry_run, verbosity, progress):
        if isinstance(result, ImportRefused):
            progress.clear()
            self.stderr.write(result.located(path))
            return "failed"
        if verbosity >= 1:
            progress.clear()
            self.stdout.write(f"{path}: {describe(result, dry_run)}")
        return result.outcome


class Progress:
    """A file counter on a terminal, redrawn in place; nothing when not on a terminal."""

    def __init__(self, stream, total, *, enabled=True):
        self.stream, self.total, self.count = stream, total, 0
        self.enabled = enabled and stream.isatty() and total > 1
        self.shown = False

    def advance(self):
        self.count += 1
        if self.enabled:
            percent = 100 * self.count // self.total
            self._write(f"\rimporting: {self.count}/{self.total} files ({percent}%)")
            self.shown = True

    def clear(self):
        """Take the counter off its line, so another line can be written there."""
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def _write(self, text):
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()


def describe(result, dry_run=False):
    story = result.story
    if result.outcome == "unchanged":
        return f"unchanged: {result.note}"
    if result.outcome == "late":
        return f"kept as history of “{story.slug}”: {result.note}"
    if result.outcome == "withdrawn":
        return f"withdrew “{story.slug}”: {result.note}"
    numbers = [revision.number for revision in result.published]
    span = str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    revisions = f"revision{'s' if len(numbers) > 1 else ''} {span} of “{story.slug}”"
    if result.outcome == "created":
        return f"{'would create' if dry_run else 'created'} {revisions}"
    return f"{'would add' if dry_run else 'added'} {revisions}"


def summary(files, counts, skipped, dry_run):
    """The run in one line: how many files had each outcome, and what was skipped."""
    outcomes = ", ".join(
        f"{count} {outcome}"
        for outcome, count in counts.items()
        if count or outcome not in WIRE_ORDERS
    )
    if skipped:
        outcomes += f"; {len(skipped)} skipped, not files: " + ", ".join(
            str(path) for path, _ in skipped
        )
    files_word = "file" if len(files) == 1 else "files"
    suffix = " (dry run: nothing was written)" if dry_run else ""
    return f"{len(files)} {files_word}: {outcomes}{suffix}."
