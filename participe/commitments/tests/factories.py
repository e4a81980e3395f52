"""Factories of the commitments."""

from __future__ import annotations

import factory

from participe.commitments.models import Commitment, CommitmentUpdate
from tests.factories import SpaceFactory


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: f"Engagement {n}")
    status = Commitment.Status.IN_PROGRESS
    progress = 30


class CommitmentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    text = "Les travaux ont commencé."
