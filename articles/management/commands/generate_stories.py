import itertools
import sys
import time
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.publishing import EditConflict, publish_new_stories
from articles.wire import synthetic


class Command(BaseCommand):
    help = (
        "Fill the archive with synthetic stories for benchmarks (agency SYN, addresses "
        "starting syn-), the same stories for the same --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many stories.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same stories.")
        parser.add_argument(
            "--until",
            type=datetime.fromisoformat,
            help="The latest wire time (ISO 8601, default 2026-11-01T12:00Z).",
        )
        parser.add_argument(
            "--revisions",
            type=int,
            help="Give every story exactly this many revisions (e.g. one long-lived story).",
        )
        parser.add_argument(
            "--wire-dir",
            type=Path,
            help="Write COUNT wire files into this folder instead of archiving stories.",
        )
        parser.add_argument(
            "--batch", type=int, default=2000, help="Stories per transaction (default 2000)."
        )

    def handle(self, count, seed, until, revisions, batch, wire_dir, verbosity, **options):
        if count < 1 or batch < 1 or (revisions is not None and revisions < 1):
            raise CommandError("--count, --batch and --revisions must be at least 1.")
        if wire_dir is not None:
            wire_dir.mkdir(parents=True, exist_ok=True)
            written = synthetic.write_wire_files(wire_dir, count, seed=seed)
            if verbosity:
                self.stdout.write(f"Wrote {written:,} synthetic wire files to {wire_dir}.")
            return
        progress = verbosity > 0 and sys.stderr.isatty()
        stories = synthetic.generate(count, seed=seed, until=until, revisions=revisions)
        started, done = time.monotonic(), 0
        while chunk := list(itertools.islice(stories, batch)):
            try:
                publish_new_stories(chunk)
            except EditConflict as exc:
                raise CommandError(
                    f"synthetic stories of seed {seed} are already archived; use another "
                    f"--seed ({exc})"
                ) from None
            done += len(chunk)
            if progress:
                rate = done / (time.monotonic() - started)
                self.stderr.write(f"\r{done:,}/{count:,} stories ({rate:,.0f}/s)", ending="")
        if progress:
            self.stderr.write("")
        if verbosity:
            elapsed = time.monotonic() - started
            self.stdout.write(f"Generated {done:,} synthetic stories in {elapsed:.1f} s.")
