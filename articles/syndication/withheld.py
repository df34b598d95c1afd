"""What a reader gets for a story kept from readers: 410 Gone with the withdrawal's reason
for a withdrawn story (a page, or a problem document from the API), 404 while an embargo
holds, as if the story were not there yet."""

from django.http import Http404
from django.shortcuts import render

from articles.syndication.problems import problem

JSON_PAGES = {"api_story", "api_revision", "story_version"}


def withheld_response(request, story):
    if not story.is_withdrawn:
        raise Http404("No story at this address.")
    match = request.resolver_match
    if match and match.url_name in JSON_PAGES:
        return problem(410, f"This story was withdrawn: {story.withdrawal_reason}")
    return render(request, "articles/story_withdrawn.html", {"story": story}, status=410)
