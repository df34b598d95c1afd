"""What machines read in every page's head and times: canonical links, descriptions,
valid <time datetime> values; and wire text kept to its own direction."""

import re

import pytest
from django.urls import reverse

from articles.publishing import Dispatch, publish
from tests.helpers import SEED_SLUG

pytestmark = pytest.mark.django_db

STORY = {"slug": SEED_SLUG}
# Pages search engines should index, each with its canonical address.
INDEXABLE = {
    reverse("articles:story_list"): "http://testserver/",
    reverse("articles:story_list") + "?utm_source=x": "http://testserver/",
    reverse("articles:story_detail", kwargs=STORY): f"http://testserver/stories/{SEED_SLUG}/",
    reverse(
        "articles:story_history", kwargs=STORY
    ): f"http://testserver/stories/{SEED_SLUG}/history/",
    reverse("articles:archive"): "http://testserver/archive/",
    reverse("articles:archive_year", args=["2025"]): "http://testserver/archive/2025/",
    reverse("articles:archive_month", args=["2025", "06"]): "http://testserver/archive/2025/06/",
    reverse(
        "articles:archive_day", args=["2025", "06", "17"]
    ): "http://testserver/archive/2025/06/17/",
}
# Pages that ask not to be indexed: a search, a filter, a comparison, an earlier version.
NOT_INDEXED = [
    reverse("articles:story_list") + "?q=Shoigu",
    reverse("articles:story_list") + "?place=SEOUL%2C+South+Korea",
    reverse("articles:story_compare", kwargs=STORY),
    reverse("articles:revision_detail", kwargs={**STORY, "number": 1}),
    "/stories/no-such-story/",
]


def head_of(content):
    return content.split("</head>", 1)[0]


def test_every_indexable_page_names_its_canonical_address(client, seed_story):
    found = {}
    for url in INDEXABLE:
        head = head_of(client.get(url).content.decode())
        found[url] = re.findall(r'<link rel="canonical" href="([^"]*)">', head)

    assert found == {url: [canonical] for url, canonical in INDEXABLE.items()}


def test_every_page_has_a_description_and_unindexed_pages_say_so(client, seed_story):
    missing, indexed = [], []
    for url in [*INDEXABLE, *NOT_INDEXED]:
        head = head_of(client.get(url).content.decode())
        described = re.search(r'<meta name="description" content="([^"]+)">', head)
        if not described or len(described[1]) < 20:
            missing.append(url)
        if url in NOT_INDEXED and '<meta name="robots" content="noindex">' not in head:
            indexed.append(url)
    assert (missing, indexed) == ([], [])


def test_time_values_are_valid_html_without_microseconds(client, seed_story):
    # An editor's post is dated by the archive's clock, to the microsecond.
    publish(SEED_SLUG, Dispatch(headline="Now", body="Posted now."), expected_revision=2)
    pages = [
        reverse("articles:story_list"),
        seed_story.get_absolute_url(),
        seed_story.get_history_url(),
    ]

    values = []
    for url in pages:
        values += re.findall(r'<time datetime="([^"]+)"', client.get(url).content.decode())

    valid = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
    assert values and [value for value in values if not valid.fullmatch(value)] == []


def test_a_direction_override_in_wire_text_stays_in_its_own_element(client, db):
    place = "SEOUL\u202e, South Korea"
    publish(
        "override",
        Dispatch(
            headline="Override",
            body="Text.",
            dateline_place=place,
            agency="AP",
            byline="By JANE\u202e DOE",
        ),
        expected_revision=0,
    )

    story = client.get(
        reverse("articles:story_detail", kwargs={"slug": "override"})
    ).content.decode()
    listing = client.get(reverse("articles:story_list")).content.decode()

    # Isolated: <bdi> on the story page, the place's span (unicode-bidi: isolate) in lists.
    assert f'<bdi class="dateline">{place} (AP) —</bdi>' in story
    assert '<bdi class="byline"><span class="nobreak">By JANE\u202e DOE</span></bdi>' in story
    assert f'<span class="place">{place}</span>' in listing
