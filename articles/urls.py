from django.urls import path, re_path

from articles.site import archive, views
from articles.syndication import api, feeds, ingest
from articles.syndication.conditional import for_archive, for_story, for_story_poll

app_name = "articles"
urlpatterns = [
    path("", for_archive(views.StoryListView.as_view()), name="story_list"),
    path("stories/<slug:slug>/", for_story(views.StoryDetailView.as_view()), name="story_detail"),
    path(
        "stories/<slug:slug>/history/",
        for_story(views.StoryHistoryView.as_view()),
        name="story_history",
    ),
    path(
        "stories/<slug:slug>/revisions/<int:number>/",
        for_story(views.RevisionDetailView.as_view()),
        name="revision_detail",
    ),
    path(
        "stories/<slug:slug>/compare/",
        for_story(views.CompareView.as_view()),
        name="story_compare",
    ),
    # The date archive: four-digit years, two-digit months and days, one address per day.
    path("archive/", for_archive(archive.ArchiveIndexView.as_view()), name="archive"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/$",
        for_archive(archive.YearArchiveView.as_view()),
        name="archive_year",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        for_archive(archive.MonthArchiveView.as_view()),
        name="archive_month",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        for_archive(archive.DayArchiveView.as_view()),
        name="archive_day",
    ),
    # Feeds, the ninjs API, and what story pages poll for a new revision.
    path("feeds/latest.rss", for_archive(feeds.LatestStoriesFeed()), name="latest_rss"),
    path("feeds/latest.atom", for_archive(feeds.LatestStoriesAtomFeed()), name="latest_atom"),
    path(
        "stories/<slug:slug>/history.atom",
        for_story(feeds.StoryHistoryFeed()),
        name="story_history_atom",
    ),
    path(
        "stories/<slug:slug>/version.json",
        for_story_poll(api.story_version),
        name="story_version",
    ),
    path("api/ingest/", ingest.ingest, name="api_ingest"),
    path("api/stories/", for_archive(api.story_list), name="api_story_list"),
    path("api/stories/<slug:slug>/", for_story(api.story_detail), name="api_story"),
    path(
        "api/stories/<slug:slug>/revisions/<int:number>/",
        for_story(api.revision_detail),
        name="api_revision",
    ),
]
