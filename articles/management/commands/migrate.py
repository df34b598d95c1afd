"""`migrate`, as the database's owner role, then granting the application's role its rows.

Django's own command otherwise: the tables belong to the owner, so the application's
role (which connects everywhere else) cannot alter or drop them (newsdesk/database_roles.py).
"""

from django.core.management.commands import migrate

from newsdesk.database_roles import as_owner, grant_application_role


class Command(migrate.Command):
    help = migrate.Command.help + " Runs as the owner role, then grants the application's role."

    def handle(self, *args, **options):
        with as_owner(options["database"]) as connection:
            super().handle(*args, **options)
            grant_application_role(connection)
