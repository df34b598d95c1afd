from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from articles import sitemaps
from articles.conditional import for_archive, for_news

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", for_archive(sitemaps.sitemap), name="sitemap"),
    path("sitemap-<section>.xml", for_archive(sitemaps.sitemap_page), name="sitemap_section"),
    path("news-sitemap.xml", for_news(sitemaps.news_sitemap), name="news_sitemap"),
    path("", include("articles.urls")),
]


def trivial(request):
    """The ceiling of the stack: what `make bench` compares every page with."""
    return HttpResponse("ok", content_type="text/plain")


if settings.BENCH_MODE:
    urlpatterns.append(path("bench/trivial/", trivial))
