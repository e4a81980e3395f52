"""The limit of attachments per item holds when uploads arrive at the same time (row lock on the item)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from participe.attachments import services
from participe.attachments.models import Attachment
from participe.attachments.tests.factories import pdf_bytes, upload
from tests.factories import ItemFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_uploads_never_exceed_the_limit(settings):
    settings.PARTICIPE_MAX_ATTACHMENTS_PER_ITEM = 3
    item = ItemFactory()
    workers = 8
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []

    def add() -> None:
        try:
            barrier.wait()
            services.attachment_add(actor=item.author, target=item, uploaded_file=upload("a.pdf", pdf_bytes()))
            outcomes.append("added")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] * 3 + ["refused"] * 5
    assert Attachment.objects.count() == 3
    assert sorted(Attachment.objects.values_list("position", flat=True)) == [1, 2, 3]
