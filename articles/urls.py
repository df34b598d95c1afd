from django.urls import path

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
]
