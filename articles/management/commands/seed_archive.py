from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Story


class Command(BaseCommand):
    help = "Load the seed fixture (fixtures/seed.json) when the archive has no stories yet."

    def handle(self, **options):
        if Story.objects.exists():
            self.stdout.write("The archive has stories; the seed is not loaded again.")
            return
        call_command("loaddata", "seed", verbosity=options["verbosity"], stdout=self.stdout)
