"""Admin lists: whatever their address asks, a list or a 400 that says why, never a 500."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.helpers import texts_in

# Lookups any list may be sent, whatever its model.
EVERY_LIST = [
    "q=%28%5B%00",
    "id__range=1",
    "pk__range=1,2,3",
    "id__in=a,b",
    "id=1%00",
    "nonsense__icontains=1",
    "o=99&p=-1",
    "_facets=1&id__regex=%28",
]


def kind_of(field):
    for kind in (models.DateField, models.IntegerField, models.CharField, models.TextField):
        if isinstance(field, kind):  # DateTimeField is a DateField
            return kind
    return models.Field


def hostile_lookups(field):
    """What an attacker would send about one field, by its kind."""
    name, kind = field.name, kind_of(field)
    if kind is models.DateField:
        return [f"{name}__gte=99999-01-01", f"{name}__year=0", f"{name}__range=2025-01-01"]
    if kind is models.IntegerField:
        return [f"{name}__exact=1e400", f"{name}__range=1", f"{name}__lt=%00"]
    if kind in (models.CharField, models.TextField):
        return [f"{name}__exact=%00", f"{name}__regex=%28", f"{name}__startswith=%00"]
    return [f"{name}__exact=%00"]


@pytest.mark.django_db(transaction=True)  # as in production: no transaction around the request
def test_every_admin_list_answers_any_lookup_with_its_list_or_a_400(admin_client, seed_story):
    failures = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        queries = [*EVERY_LIST]
        kinds = {}  # one field of each kind: the next one's lookups fail the same way
        for field in model._meta.concrete_fields:
            kinds.setdefault(kind_of(field), hostile_lookups(field))
        for lookups in kinds.values():
            queries += lookups
        for query in queries:
            page = admin_client.get(f"{url}?{query}")
            if page.status_code == 400:
                if not texts_in(page.content, "errornote"):
                    failures.append((url, query, "400 without the reason"))
            elif page.status_code != 200:
                failures.append((url, query, page.status_code))
    assert not failures
