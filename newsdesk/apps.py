"""The admin's app configuration: Django's admin, with the second-factor admin site."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "newsdesk.second_factor.NewsdeskAdminSite"
