"""The commitments' selectors: what an item's page shows of the commitments answering it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.commitments import selectors, services
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_item_answered_by_no_commitment_costs_one_light_query(item):
    reader = UserFactory()
    ContentType.objects.get_for_model(item)  # kept by Django for the process
    with CaptureQueriesContext(connection) as queries:
        assert selectors.answering(item, reader) == []
    assert len(queries.captured_queries) == 1
    assert '"commitments_commitment"' not in queries.captured_queries[0]["sql"]  # the sources only


def test_an_item_shows_the_published_commitments_answering_it(manager, space, item, service):
    other = ItemFactory(module=item.module, title="Un autre lieu")
    shown = services.commitment_create(
        manager,
        space=space,
        source=item,
        title="Planter vingt arbres",
        service=service,
        planned_date=datetime.date(2027, 3, 1),
    )
    services.commitment_create(manager, space=space, source=other, title="Ailleurs", service=service)
    draft = services.commitment_create(manager, space=space, source=item, title="Pas encore publié", service=service)
    type(draft).objects.filter(pk=draft.pk).update(is_published=False)
    type(shown).objects.filter(pk=shown.pk).update(is_published=True)
    for reader in (AnonymousUser(), UserFactory()):
        assert [c.title for c in selectors.answering(item, reader)] == ["Planter vingt arbres"]
