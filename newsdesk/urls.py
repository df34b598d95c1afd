from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from articles.syndication import sitemaps
from articles.syndication.conditional import for_archive, for_news
from newsdesk.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", sitemaps.favicon, name="favicon"),
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

# Error pages that need no database (newsdesk/middleware/errors.py).
handler400 = "newsdesk.middleware.errors.bad_request"
handler403 = "newsdesk.middleware.errors.permission_denied"
handler404 = "newsdesk.middleware.errors.page_not_found"
handler500 = "newsdesk.middleware.errors.server_error"
