import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_pages_use_hashed_static_files_served_by_whitenoise(client, settings, tmp_path, seed_story):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    page = client.get(seed_story.get_absolute_url())
    stylesheet = re.search(
        r'href="(/static/css/newsdesk\.[0-9a-f]{12}\.css)"', page.content.decode()
    )
    assert stylesheet, "the page links the hashed stylesheet"
    css = client.get(stylesheet[1], HTTP_ACCEPT_ENCODING="gzip")

    assert css.status_code == 200
    assert css["Content-Encoding"] == "gzip"
    assert "immutable" in css["Cache-Control"]
