#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that never reach the database run without starting the embedded one.
WITHOUT_DATABASE = {"help", "--help", "-h", "version", "--version", "check", "collectstatic"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    if sys.argv[1:2] and sys.argv[1] not in WITHOUT_DATABASE:
        from newsdesk import database_server

        database_server.start_unless_database_url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
