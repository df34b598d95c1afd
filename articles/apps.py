from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Wire stories"

    def ready(self):
        # `check --deploy` asks whether the application's database role owns the tables.
        from newsdesk import database_roles  # noqa: F401
