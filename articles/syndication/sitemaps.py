"""Sitemaps for search engines: every story, and a Google News sitemap of the news.

/sitemap.xml becomes an index of numbered pages once the archive outgrows one sitemap.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property

from articles.models import Story
from articles.syndication.structured_data import content_language

NEWS_LIMIT = 1000


class StorySitemap(Sitemap):
    limit = 50_000  # the sitemap protocol's own limit per file

    def items(self):
        # In the order stories were created, so a numbered page keeps its stories.
        return Story.objects.public().only("slug", "archived_at").order_by("pk")

    def lastmod(self, story):
        return story.archived_at

    @cached_property
    def paginator(self):
        # Sitemap's is made anew at each use, counting the stories each time.
        return Paginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        # Sitemap's own would read every story: the newest is one indexed lookup.
        return Story.objects.public().aggregate(newest=Max("archived_at"))["newest"]


class NewsSitemap(Sitemap):
    limit = NEWS_LIMIT

    def items(self):
        # A list, not a queryset: the one page is read in one query, with no count.
        return list(
            Story.objects.public()
            .in_the_news()
            .only("slug", "headline", "first_published_at", "updated_at", "archived_at")[
                :NEWS_LIMIT
            ]
        )

    def lastmod(self, story):
        return story.archived_at


def sitemap(request):
    """Every story in one sitemap, or an index of sitemap pages once they need several."""
    stories = StorySitemap()
    if stories.paginator.num_pages > 1:
        return sitemap_views.index(
            request,
            {"stories": stories},
            sitemap_url_name="sitemap_section",
        )
    return sitemap_page(request, "stories", stories=stories)


def sitemap_page(request, section, stories=None):
    """One numbered page (?p=N) of the stories sitemap."""
    return sitemap_views.sitemap(
        request,
        {"stories": stories or StorySitemap()},
        section=section,
        template_name="sitemaps/stories.xml",
    )


def news_sitemap(request):
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap()}, template_name="sitemaps/news.xml"
    )
    response.context_data.update(
        publication_name=settings.PUBLICATION_NAME, publication_language=content_language()
    )
    return response


def robots_txt(request):
    """Crawlers may read everything but the admin, and are pointed at both sitemaps."""
    return render(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
            "news_sitemap_url": request.build_absolute_uri(reverse("news_sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links: the site's
    icon, at its static address (found per request, since the static files' names carry
    their hash once collected)."""
    return HttpResponsePermanentRedirect(static("images/favicon.svg"))
