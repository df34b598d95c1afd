from django.contrib import admin
from django.urls import include, path

from newsdesk.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

# Error pages that need no database (newsdesk/errors.py).
handler400 = "newsdesk.errors.bad_request"
handler403 = "newsdesk.errors.permission_denied"
handler404 = "newsdesk.errors.page_not_found"
handler500 = "newsdesk.errors.server_error"
