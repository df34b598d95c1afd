import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsdesk.second_factor import enrol

EDITORS = "Editors"


class Command(BaseCommand):
    help = (
        "Create an editor: a staff user in the Editors group, who can add stories and post "
        "updates in the admin. Prints a random password, an authenticator secret and recovery "
        "codes, once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's e-mail address.")
        parser.add_argument("--name", default="", help="Full name, shown on revisions they post.")

    def handle(self, username, email, name, **options):
        User = get_user_model()
        group = Group.objects.filter(name=EDITORS).first()
        if group is None:
            raise CommandError(
                f"There is no {EDITORS} group; run `manage.py migrate` first, which creates it."
            )
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user “{username}” exists already; nothing was changed.")
        first_name, _, last_name = name.strip().partition(" ")
        password = secrets.token_urlsafe(15)
        user = User(
            username=username,
            email=User.objects.normalize_email(email),
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
        )
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        with transaction.atomic():
            user.save()
            user.groups.add(group)
            enrolment = enrol(user)
        self.stdout.write(
            f"Created the editor “{username}”. Their password, shown only this once:\n\n"
            f"    {password}\n\n"
            "They log in at /admin/ and should change it there at once "
            "(“Change password”, top right).\n\n" + enrolment.instructions()
        )
