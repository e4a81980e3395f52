from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from participe.search.models import SearchEntry
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_search_reindex_all():
    ItemFactory.create_batch(3)
    out = StringIO()
    call_command("search_reindex", "--batch-size", "2", stdout=out)
    assert SearchEntry.objects.filter(kind="testapp.item").count() == 3
    assert SearchEntry.objects.filter(kind="spaces.space").count() == 3
    assert "testapp.Item : 3/3" in out.getvalue()


def test_search_reindex_one_model():
    ItemFactory()
    call_command("search_reindex", "--model", "testapp.Item", stdout=StringIO())
    assert list(SearchEntry.objects.values_list("kind", flat=True)) == ["testapp.item"]


def test_search_reindex_unknown_model():
    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "accounts.User", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "nope.Nope", stdout=StringIO())
