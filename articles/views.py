from django.http import Http404
from django.views.generic import DetailView, ListView

from articles.models import Story, published_paragraphs


class StoryListView(ListView):
    queryset = Story.objects.for_list()
    paginate_by = 20


class StoryDetailView(DetailView):
    """The story as it stands: its current revision over any earlier story it tops."""

    model = Story

    def get_stack(self):
        stack = self.object.revision_stack()
        if not stack:
            # The database refuses a story without revisions; never 500 on one regardless.
            raise Http404("The story has no revisions.")
        return stack

    def get_context_data(self, **kwargs):
        stack = self.get_stack()
        return super().get_context_data(
            revision=stack[0], paragraphs=list(published_paragraphs(stack)), **kwargs
        )


class RevisionDetailView(StoryDetailView):
    """The story as it stood at one revision."""

    def get_stack(self):
        number = self.kwargs["number"]
        stack = self.object.revision_stack(number)
        if not stack or stack[0].number != number:
            raise Http404("The story has no such revision.")
        return stack


class StoryHistoryView(DetailView):
    model = Story
    template_name = "articles/story_history.html"

    def get_context_data(self, **kwargs):
        revisions = (
            self.object.revisions.order_by("-number").defer("body").select_related("posted_by")
        )
        return super().get_context_data(revisions=revisions, **kwargs)
