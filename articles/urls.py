from django.urls import path, re_path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.StoryListView.as_view(), name="story_list"),
    path("stories/<slug:slug>/", views.StoryDetailView.as_view(), name="story_detail"),
    path("stories/<slug:slug>/history/", views.StoryHistoryView.as_view(), name="story_history"),
    path(
        "stories/<slug:slug>/revisions/<int:number>/",
        views.RevisionDetailView.as_view(),
        name="revision_detail",
    ),
    path("stories/<slug:slug>/compare/", views.CompareView.as_view(), name="story_compare"),
    # The date archive: four-digit years, two-digit months and days, one address per day.
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.YearArchiveView.as_view(), name="archive_year"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.MonthArchiveView.as_view(),
        name="archive_month",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.DayArchiveView.as_view(),
        name="archive_day",
    ),
]
