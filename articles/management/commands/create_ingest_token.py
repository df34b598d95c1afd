from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.crypto import get_random_string

from articles.models import IngestToken


class Command(BaseCommand):
    help = (
        "Make a token a push feed sends to POST /api/ingest/ (and nothing else), printed "
        "once: only its digest is kept. --revoke NAME takes one back."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the token is for, e.g. ap-push.")
        parser.add_argument("--revoke", action="store_true", help="Delete the token NAME.")

    def handle(self, name, revoke=False, **options):
        if revoke:
            deleted, _ = IngestToken.objects.filter(name=name).delete()
            if not deleted:
                raise CommandError(f"There is no ingest token “{name}”.")
            self.stdout.write(f"Revoked the ingest token “{name}”.")
            return
        token = get_random_string(48)
        try:
            IngestToken.objects.create(name=name, digest=IngestToken.digest_of(token))
        except IntegrityError:
            raise CommandError(f"There is an ingest token “{name}” already.") from None
        self.stdout.write(token)
