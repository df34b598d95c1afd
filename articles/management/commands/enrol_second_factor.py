from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsdesk.second_factor import enrol


class Command(BaseCommand):
    help = (
        "Give an existing account (a superuser, or an editor who lost their phone or used "
        "up their recovery codes) a new authenticator secret and recovery codes, printed "
        "once. The earlier ones stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user “{username}”; nothing was changed.")
        enrolment = enrol(user)
        self.stdout.write(f"New second factor for “{username}”.\n\n" + enrolment.instructions())
