"""The Editors group: people who add stories and post revisions, and nothing more.

Editors may view and add stories and revisions. They may not change or delete either
(revisions are posted, never edited; the database refuses changes regardless), and
they get no permission on users or groups. `manage.py create_editor` puts a new staff
user in this group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PERMISSIONS = ["view_story", "add_story", "view_revision", "add_revision"]


def create_editors_group(apps, schema_editor):
    # Django creates permissions after all migrations have run; make this app's now, so
    # that the group can be given them on a new database too.
    articles = apps.get_app_config("articles")
    models_module = getattr(articles, "models_module", None)  # historical apps have none
    articles.models_module = models_module or True
    try:
        create_permissions(articles, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        articles.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_story_matches_newest_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
