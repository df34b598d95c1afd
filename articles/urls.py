from django.urls import path

from articles import api, feeds, views
from articles.conditional import for_archive, for_story, for_story_poll

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
    path("api/stories/", for_archive(api.story_list), name="api_story_list"),
    path("api/stories/<slug:slug>/", for_story(api.story_detail), name="api_story"),
    path(
        "api/stories/<slug:slug>/revisions/<int:number>/",
        for_story(api.revision_detail),
        name="api_revision",
    ),
]
