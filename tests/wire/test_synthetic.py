"""The synthetic archive for benchmarks: deterministic, valid, clearly marked."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max

from articles.models import Revision, Story
from articles.text import published_text
from articles.wire import synthetic

pytestmark = pytest.mark.django_db


def generate(count, seed=1, **options):
    call_command("generate_stories", count=count, seed=seed, stdout=StringIO(), **options)


def test_the_same_seed_gives_the_same_stories():
    first = list(synthetic.generate(30, seed=7))
    again = list(synthetic.generate(30, seed=7))
    other = list(synthetic.generate(30, seed=8))

    assert first == again
    assert [dispatches for _, dispatches in first] != [dispatches for _, dispatches in other]


def test_generated_stories_are_marked_synthetic_and_have_gapless_revisions():
    generate(40, batch=15)

    assert Story.objects.count() == 40
    assert set(Story.objects.values_list("agency", flat=True)) == {"SYN"}
    assert all(slug.startswith("syn-") for slug in Story.objects.values_list("slug", flat=True))
    counts = Story.objects.annotate(n=Count("revisions"), top=Max("revisions__number"))
    assert all(story.n == story.top == story.revision_number for story in counts)
    assert {story.n for story in counts} <= {1, 2, 3, 4}
    assert Revision.objects.count() > 40  # some stories have updates


def test_generated_text_follows_the_stacking_rule():
    generate(25)

    for story in Story.objects.all():
        assert story.text == published_text(story.revision_stack())


def test_every_generated_story_renders(client):
    generate(10)

    for story in Story.objects.all():
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(story.get_history_url()).status_code == 200


def test_generating_the_same_seed_twice_is_refused_and_adds_nothing():
    generate(5)

    with pytest.raises(CommandError, match="already archived"):
        generate(5)

    assert Story.objects.count() == 5


def test_a_long_lived_story_gets_exactly_the_revisions_asked_for():
    generate(1, seed=3, revisions=60)

    story = Story.objects.get()
    assert story.revision_number == story.revisions.count() == 60
    assert story.text == published_text(story.revision_stack())


def test_synthetic_wire_files_import_into_stories_with_their_updates(tmp_path):
    generate(12, seed=5, wire_dir=tmp_path)

    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == 12
    call_command("import_wire", str(tmp_path), stdout=StringIO(), stderr=StringIO(), verbosity=0)
    assert Story.objects.exists()
    assert Revision.objects.count() == 12


def test_the_text_has_a_large_vocabulary_with_zipf_frequencies():
    """Search figures mean something only over text like a language's: a few words in
    most stories, a long tail in few."""
    assert len(set(synthetic.vocabulary().words)) == synthetic.VOCABULARY_SIZE >= 30_000
    common = len(synthetic.COMMON_WORDS)
    made_up = synthetic.vocabulary().words[common : common + 100]
    assert synthetic.made_up_words(100, synthetic.COMMON_WORDS) == made_up  # no downloads, no drift
    words = Counter(
        word.strip(".").lower()
        for _, dispatches in synthetic.generate(300, seed=2)
        for dispatch in dispatches
        for word in dispatch.body.split()
    )
    first, tenth = words[synthetic.vocabulary().words[0]], words[synthetic.vocabulary().words[9]]
    assert 5 < first / tenth < 20  # 1 / rank: the first word ten times the tenth
    assert len(words) > 5_000
    assert "zebra" not in words
