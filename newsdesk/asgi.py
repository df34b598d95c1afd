import os

from django.core.asgi import get_asgi_application

from newsdesk import embedded_postgres

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
# This process serves requests: bound each database statement (settings.STATEMENT_TIMEOUT).
os.environ["NEWSDESK_SERVES_REQUESTS"] = "1"
embedded_postgres.start_unless_database_url()

application = get_asgi_application()
