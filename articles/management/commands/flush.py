"""`flush`, as the database's owner role: the application's role cannot TRUNCATE.

The archive's tables still refuse it unless the session opts in (README, "The archive
cannot be emptied by accident").
"""

from django.core.management.commands import flush

from newsdesk.database_roles import as_owner


class Command(flush.Command):
    help = flush.Command.help + " Runs as the owner role."

    def handle(self, *args, **options):
        with as_owner(options["database"]):
            super().handle(*args, **options)
