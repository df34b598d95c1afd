"""One plain-text rule: every entry point refuses the same characters with the same message."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Story
from articles.publishing import Dispatch, publish, publish_new_stories
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, archive

pytestmark = pytest.mark.django_db

NUL, C1, NONCHARACTER, SURROGATE = "\x00", "\x85", "\ufffe", "\ud800"
# A web form and a UTF-8 file cannot even carry a lone surrogate.
SENT_AS_UTF8 = [NUL, C1, NONCHARACTER]


def refusal(char, position):
    return (
        f"Contains the control character U+{ord(char):04X} at position {position}: only "
        "plain text can be archived."
    )


def test_publish_refuses_what_is_not_text_with_the_rules_message():
    for char in [*SENT_AS_UTF8, SURROGATE]:
        dispatch = Dispatch(headline="Storm", body=f"before{char}after", byline=f"By{char}")

        with pytest.raises(ValidationError) as refused:
            publish("storm", dispatch, expected_revision=0)

        assert refused.value.message_dict == {
            "body": [refusal(char, 7)],
            "byline": [refusal(char, 3)],
        }
    assert not Story.objects.exists()


def test_publish_new_stories_refuses_what_is_not_text_with_the_rules_message():
    for char in [*SENT_AS_UTF8, SURROGATE]:
        good = ("calm", [Dispatch(headline="Calm", body="Nothing happened.")])
        bad = ("storm", [Dispatch(headline=f"Storm{char}", body="It rained.")])

        with pytest.raises(ValidationError) as refused:
            publish_new_stories([good, bad])

        assert refused.value.message_dict == {"headline": [refusal(char, 6)]}
    assert not Story.objects.exists()


def test_the_admin_post_form_refuses_what_is_not_text_with_the_rules_message(
    editor_client, seed_story
):
    url = reverse("admin:articles_story_post", args=[seed_story.pk])
    before = archive()
    for char in SENT_AS_UTF8:
        # At the end of a line, where trimming would drop U+0085; inside a paragraph,
        # where joining its lines would.
        form = {
            "base_revision": 2,
            "kind": Kind.BREAKING_UPDATE,
            "headline": f"Storm{char}",
            "body": f"before{char}after",
            "editors_note": BREAKING_NOTE,
        }

        page = editor_client.post(url, form)

        assert page.status_code == 400
        assert page.context["form"].errors == {
            "headline": [refusal(char, 6)],
            "body": [refusal(char, 7)],
        }
    assert archive() == before


def test_the_admin_add_form_refuses_what_is_not_text_with_the_rules_message(editor_client):
    for char in SENT_AS_UTF8:
        form = {"headline": "Storm", "body": "It rained.", "contributors": f"Jane{char}"}

        page = editor_client.post(reverse("admin:articles_story_add"), form)

        assert page.status_code == 400
        assert page.context["form"].errors == {"contributors": [refusal(char, 5)]}
    assert not Story.objects.exists()


def wire_file(path, char):
    path.write_text(f"Storm hits coast\n\nJun 17, 2025 | 4:31 AM\n\nMIAMI (AP) — Rain{char}.\n")
    return path


def test_import_wire_refuses_what_is_not_text_naming_the_character(tmp_path):
    for char in SENT_AS_UTF8:
        path = wire_file(tmp_path / "storm.txt", char)
        err = StringIO()

        with pytest.raises(CommandError, match="1 of 1 files were not imported"):
            call_command("import_wire", str(path), stdout=StringIO(), stderr=err)

        # The parser applies the rule line by line, naming the line, the position in it.
        assert err.getvalue() == f"{path}:5: {refusal(char, 18)}\n"
    assert not Story.objects.exists()


def test_build_fixture_refuses_what_is_not_text_with_the_rules_message(tmp_path):
    path = wire_file(tmp_path / "storm.txt", NONCHARACTER)

    with pytest.raises(CommandError) as refused:
        call_command("build_fixture", str(path), stdout=StringIO())

    assert str(refused.value) == f"cannot build the fixture: line 5: {refusal(NONCHARACTER, 18)}"
