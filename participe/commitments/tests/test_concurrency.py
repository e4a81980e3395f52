"""Steps added to one commitment at the same moment (PostgreSQL: real row locks, one connection per thread)."""

from __future__ import annotations

import pytest

from participe.commitments import services
from participe.commitments.models import Commitment, CommitmentUpdate
from participe.commitments.tests.factories import CommitmentFactory
from tests.concurrency import race
from tests.factories import make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_ten_steps_at_once_are_all_counted():
    commitment = CommitmentFactory()
    admins = [make_org_admin() for _ in range(10)]
    race(
        [
            lambda a=a, n=n: services.commitment_update_add(
                a, Commitment.objects.get(pk=commitment.pk), text=f"Étape {n}", progress=n * 10
            )
            for n, a in enumerate(admins)
        ]
    )
    commitment.refresh_from_db()
    assert commitment.updates_count == CommitmentUpdate.objects.count() == 10


def test_a_step_and_an_abandonment_at_once_leave_a_consistent_status():
    commitment = CommitmentFactory(progress=10)
    first, second = make_org_admin(), make_org_admin()
    race(
        [
            lambda: services.commitment_set_status(first, Commitment.objects.get(pk=commitment.pk), status="done"),
            lambda: services.commitment_set_status(
                second, Commitment.objects.get(pk=commitment.pk), status="abandoned", reason="Plus de budget."
            ),
        ]
    )
    commitment.refresh_from_db()
    assert commitment.updates_count == 2
    assert (commitment.status, commitment.progress == 100) in {("done", True), ("abandoned", True)}
    assert (commitment.status == "abandoned") == bool(commitment.status_reason)
