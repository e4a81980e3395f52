"""Elections of the test module type (a "vote" phase running), stations, verified voters."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from participe.ballots.models import Election, PollingStation
from participe.ballots.tests.schema import KEY
from tests.factories import ModuleFactory, PhaseFactory, UserFactory, VerificationFactory


class VoteModuleFactory(ModuleFactory):
    class Meta:
        skip_postgeneration_save = True

    module_type = "testmodule"
    phase = factory.RelatedFactory(
        PhaseFactory,
        factory_related_name="module",
        phase_type="vote",
        name="Vote",
        start=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        end=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7)),
    )


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    module = factory.SubFactory(VoteModuleFactory)
    key = factory.Sequence(lambda n: f"scrutin-{n}")
    title = "Quel arbre pour la place ?"
    schema = KEY
    channels = Election.Channels.BOTH
    batch_size = 3
    min_group = 2


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    module = factory.SubFactory(VoteModuleFactory)
    name = factory.Sequence(lambda n: f"Bureau {n}")
    place = "Mairie annexe, salle 2"
    opening_hours = "samedi de 9 h à 18 h"


def voter(**kwargs: object) -> object:
    """A signed-up resident with an active verification (birth date 1980-05-17)."""
    user = UserFactory(**kwargs)
    VerificationFactory(user=user)
    return user
