import os

from django.core.wsgi import get_wsgi_application

from newsdesk import database_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
# This process serves requests: bound each database statement (settings.STATEMENT_TIMEOUT).
os.environ["NEWSDESK_SERVES_REQUESTS"] = "1"
database_server.start_unless_database_url()

application = get_wsgi_application()
