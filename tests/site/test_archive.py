"""The date archive: stories by the day they were first published, in the newsroom's zone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.publishing import Dispatch, publish
from articles.text import Kind
from tests.helpers import BREAKING_NOTE, SEED_SLUG, aware

pytestmark = pytest.mark.django_db


def story(slug, when, *, update_at=None):
    """A story first published `when` (None: no wire time), updated at `update_at`."""
    publish(
        slug,
        Dispatch(headline=f"Story {slug}", body="Text.", dateline_place="MIAMI", wire_time=when),
        expected_revision=0,
    )
    if update_at:
        publish(
            slug,
            Dispatch(
                headline=f"Story {slug}",
                body="New top.",
                kind=Kind.BREAKING_UPDATE,
                dateline_place="MIAMI",
                wire_time=update_at,
                editors_note=BREAKING_NOTE,
            ),
            expected_revision=1,
        )


def day_url(year, month, day):
    return reverse("articles:archive_day", args=[f"{year:04d}", f"{month:02d}", f"{day:02d}"])


def month_url(year, month):
    return reverse("articles:archive_month", args=[f"{year:04d}", f"{month:02d}"])


def year_url(year):
    return reverse("articles:archive_year", args=[f"{year:04d}"])


def listed(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return [story.slug for story in page.context["story_list"]]


@pytest.fixture
def june(db):
    story("june-10", aware(2025, 6, 10, 9, 0))
    story("june-17-late", aware(2025, 6, 17, 23, 30))  # already June 18 in UTC
    story("june-17-early", aware(2025, 6, 17, 0, 5))  # still June 16 in UTC
    story("june-18", aware(2025, 6, 18, 0, 10))
    story("june-16-updated-later", aware(2025, 6, 16, 8, 0), update_at=aware(2025, 6, 20, 8, 0))
    story("july-1", aware(2025, 7, 1, 12, 0))
    story("new-year", aware(2026, 1, 1, 0, 30))


def test_day_lists_exactly_the_stories_first_published_that_day_in_the_newsroom_zone(client, june):
    assert listed(client, day_url(2025, 6, 17)) == ["june-17-late", "june-17-early"]
    assert listed(client, day_url(2025, 6, 18)) == ["june-18"]
    assert listed(client, day_url(2025, 6, 16)) == ["june-16-updated-later"]


def test_an_update_does_not_move_a_story_to_another_day(client, june):
    assert client.get(day_url(2025, 6, 20)).status_code == 404


def test_month_lists_its_stories_and_its_days_with_counts(client, june):
    page = client.get(month_url(2025, 6))

    assert [story.slug for story in page.context["story_list"]] == [
        "june-18",
        "june-17-late",
        "june-17-early",
        "june-16-updated-later",
        "june-10",
    ]
    days = [(day["period"].day, day["stories"]) for day in page.context["date_list"]]
    assert days == [(10, 1), (16, 1), (17, 2), (18, 1)]
    content = page.content.decode()
    assert f'<a href="{day_url(2025, 6, 17)}">Jun 17</a> <span class="count">2</span>' in content


def test_year_lists_its_months_with_counts(client, june):
    page = client.get(year_url(2025))

    months = [(month["period"].month, month["stories"]) for month in page.context["date_list"]]
    assert months == [(6, 5), (7, 1)]
    assert f'<a href="{month_url(2025, 7)}">July</a>' in page.content.decode()
    assert f'rel="next" href="{year_url(2026)}"' in page.content.decode()


def test_archive_index_lists_every_month_newest_first(client, june):
    page = client.get(reverse("articles:archive"))

    assert page.status_code == 200
    months = [
        (m["period"].year, m["period"].month, m["stories"]) for m in page.context["date_list"]
    ]
    assert months == [(2026, 1, 1), (2025, 7, 1), (2025, 6, 5)]
    assert "America/New_York" in page.content.decode()


def test_archive_index_of_an_empty_archive_says_so(client, db):
    page = client.get(reverse("articles:archive"))

    assert page.status_code == 200
    assert "No stories yet." in page.content.decode()


def test_stories_without_a_wire_time_are_filed_under_the_day_they_were_archived(client, db):
    story("untimed", None)
    today = timezone.localdate()

    assert listed(client, day_url(today.year, today.month, today.day)) == ["untimed"]


def test_previous_and_next_links_skip_days_without_stories(client, june):
    content = client.get(day_url(2025, 6, 17)).content.decode()

    assert f'rel="prev" href="{day_url(2025, 6, 16)}"' in content
    assert f'rel="next" href="{day_url(2025, 6, 18)}"' in content
    content = client.get(day_url(2025, 6, 10)).content.decode()
    assert 'rel="prev"' not in content
    assert f'rel="next" href="{day_url(2025, 6, 16)}"' in content
    content = client.get(month_url(2025, 7)).content.decode()
    assert f'rel="prev" href="{month_url(2025, 6)}"' in content
    assert f'rel="next" href="{month_url(2026, 1)}"' in content


def test_long_days_are_paged(client, db):
    for minute in range(25):
        story(f"s-{minute}", aware(2025, 6, 17, 9, minute))

    first = client.get(day_url(2025, 6, 17))
    second = client.get(day_url(2025, 6, 17), {"page": 2})

    assert len(first.context["story_list"]) == 20
    assert len(second.context["story_list"]) == 5
    assert 'rel="next" href="?page=2"' in first.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        day_url(2025, 6, 11),  # no stories that day
        month_url(2025, 5),
        year_url(2024),
        "/archive/2025/02/30/",
        "/archive/2025/13/01/",
        "/archive/2025/00/01/",
        "/archive/2025/06/00/",
        "/archive/0000/01/01/",
        "/archive/9999/12/31/",
        "/archive/9999/12/",
        "/archive/9999/",
        "/archive/2025/6/17/",  # one address per day: two-digit months and days
        "/archive/25/",
        "/archive/2025/06/17/?page=9",
        "/archive/2025/06/17/?page=abc",
    ],
)
def test_empty_and_impossible_dates_are_not_found(client, june, url):
    assert client.get(url).status_code == 404


def test_story_page_links_its_first_publication_to_its_day(client, seed_story):
    content = client.get(seed_story.get_absolute_url()).content.decode()

    url = day_url(2025, 6, 17)
    # The seed was first published when it was last updated: "Published", once.
    assert f'Published and updated <a class="day-link" href="{url}">' in content
    assert SEED_SLUG in [story.slug for story in client.get(url).context["story_list"]]


def test_archive_rows_show_the_lede_not_the_whole_text(client, seed_story):
    [row] = client.get(day_url(2025, 6, 17)).context["story_list"]

    assert row.excerpt.startswith("Russian state news agency")
    assert "text" in row.get_deferred_fields()


segment = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/?#"), max_size=6),
    st.integers(0, 10_000).map(str),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    year=st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"), segment),
    month=segment,
    day=segment,
    depth=st.integers(1, 3),
    page=st.one_of(st.none(), segment),
)
def test_hostile_archive_addresses_never_fail(client, june, year, month, day, depth, page):
    path = "/".join(["archive", year, month, day][: depth + 1])
    response = client.get(f"/{path}/", {"page": page} if page is not None else {})

    assert response.status_code in (200, 404)


def test_far_dates_do_not_overflow(client, db):
    story("first", aware(2025, 1, 1, 0, 0) - timedelta(days=1))

    for url in ("/archive/0001/01/01/", "/archive/9999/12/30/", "/archive/0001/01/"):
        assert client.get(url).status_code == 404
