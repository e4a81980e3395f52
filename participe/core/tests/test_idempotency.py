"""The idempotency of creating writes (``participe.core.idempotency``): a key sent again returns the first result."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from participe.core import idempotency
from participe.core.models import IdempotentWrite
from tests.concurrency import race
from tests.factories import ItemFactory, UserFactory
from tests.testapp.models import Item

KEY = "3b1d7c52-8a0e-4f6b-b1c9-2d4e6f8a0b1c"


@pytest.mark.django_db
def test_a_key_runs_the_write_once_per_person_and_scope():
    user, other = UserFactory(), UserFactory()
    first, created = idempotency.once(actor=user, key=KEY, scope="test.item", write=ItemFactory)
    again, created_again = idempotency.once(actor=user, key=KEY, scope="test.item", write=ItemFactory)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert idempotency.once(actor=other, key=KEY, scope="test.item", write=ItemFactory)[1] is True
    assert idempotency.once(actor=user, key=KEY, scope="test.other", write=ItemFactory)[1] is True
    assert Item.objects.count() == 3
    assert KEY not in str(list(IdempotentWrite.objects.values_list("digest", flat=True)))  # only an HMAC is kept


@pytest.mark.django_db
def test_without_a_key_or_after_an_error_the_write_runs_again():
    user = UserFactory()
    assert idempotency.once(actor=user, key=None, scope="s", write=ItemFactory)[1] is True
    assert idempotency.once(actor=user, key=None, scope="s", write=ItemFactory)[1] is True

    def refused() -> Item:
        raise ValidationError("non")

    with pytest.raises(ValidationError):
        idempotency.once(actor=user, key=KEY, scope="s", write=refused)
    assert idempotency.once(actor=user, key=KEY, scope="s", write=ItemFactory)[1] is True  # nothing was recorded


@pytest.mark.django_db
def test_a_key_expires_and_a_deleted_result_frees_it():
    user = UserFactory()
    first, _ = idempotency.once(actor=user, key=KEY, scope="s", write=ItemFactory)
    first.delete()
    assert idempotency.once(actor=user, key=KEY, scope="s", write=ItemFactory)[1] is True
    IdempotentWrite.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert idempotency.once(actor=user, key=KEY, scope="s", write=ItemFactory)[1] is True
    IdempotentWrite.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert idempotency.purge_expired() == 1


@pytest.mark.parametrize("key", ["court", "é" * 20, "a" * 201, "tab\there-0123456789"])
def test_a_key_must_be_long_random_ascii(key):
    with pytest.raises(ValidationError):
        idempotency.check_key(key)


def test_the_request_key_comes_from_the_header_or_the_forms_token():
    factory = RequestFactory()
    assert idempotency.request_key(factory.post("/", HTTP_IDEMPOTENCY_KEY=KEY)) == KEY
    assert idempotency.request_key(factory.post("/", {"jeton": KEY})) == KEY
    assert idempotency.request_key(factory.post("/", {"jeton": "trafiqué"})) is None  # a bad token: no key
    assert idempotency.request_key(factory.get("/", {"jeton": KEY})) is None
    with pytest.raises(ValidationError):
        idempotency.request_key(factory.post("/", HTTP_IDEMPOTENCY_KEY="court"))


def test_the_forms_token_is_new_for_a_new_form_and_kept_for_a_form_shown_again():
    from django import forms

    template = Template("{% one_time_token form %}")
    blank = template.render(Context({"form": forms.Form()}))
    assert 'type="hidden" name="jeton"' in blank
    assert blank != template.render(Context({"form": forms.Form()}))
    assert f'value="{KEY}"' in template.render(Context({"form": forms.Form({"jeton": KEY})}))
    assert "trafiqu" not in template.render(Context({"form": forms.Form({"jeton": "trafiqué<"})}))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_object():
    assert connection.vendor == "postgresql"
    user = UserFactory()
    results: list[tuple[int, bool]] = []

    def send() -> None:
        item, created = idempotency.once(actor=user, key=KEY, scope="race", write=ItemFactory)
        results.append((item.pk, created))

    race([send] * 6)
    assert len({pk for pk, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    assert IdempotentWrite.objects.count() == 1
