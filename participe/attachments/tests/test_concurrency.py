"""The limit of attachments per item holds when uploads arrive at the same time (row lock on the item)."""

from __future__ import annotations

import pytest

from participe.attachments import services
from participe.attachments.models import Attachment
from participe.attachments.tests.factories import pdf_bytes, upload
from tests.concurrency import race
from tests.factories import ItemFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_uploads_never_exceed_the_limit(settings):
    settings.PARTICIPE_MAX_ATTACHMENTS_PER_ITEM = 3
    item = ItemFactory()
    outcomes = race(
        [
            lambda: services.attachment_add(actor=item.author, target=item, uploaded_file=upload("a.pdf", pdf_bytes()))
            for _n in range(8)
        ]
    )
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 5
    assert Attachment.objects.count() == 3
    assert sorted(Attachment.objects.values_list("position", flat=True)) == [1, 2, 3]
