from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]


def trivial(request):
    """The ceiling of the stack: what `make bench` compares every page with."""
    return HttpResponse("ok", content_type="text/plain")


if settings.BENCH_MODE:
    urlpatterns.append(path("bench/trivial/", trivial))
