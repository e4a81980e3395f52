"""A meetings module in a public space run by an administrator, and meetings in it."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from participe.modules.meetings.models import Meeting
from participe.spaces.models import Module, SpaceMembership
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, make_space_role


class MeetingsModuleFactory(ModuleFactory):
    class Meta:
        skip_postgeneration_save = True

    module_type = "meetings"
    title = "Réunions"
    phase = factory.RelatedFactory(PhaseFactory, factory_related_name="module", phase_type="agenda", name="Agenda")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    module = factory.SubFactory(MeetingsModuleFactory)
    title = factory.Sequence(lambda n: f"Réunion publique n° {n}")
    description = "<p>Présentation du projet et échanges.</p>"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    place_name = "Salle des fêtes"
    address = "1 place de la Mairie, 51100 Lumerac"
    organiser = "Ville de Lumerac"


def module_with_admin(**space: Any) -> tuple[Module, Any]:
    """A meetings module and the administrator of its space (with TOTP)."""
    module = MeetingsModuleFactory(space=SpaceFactory(**space))
    admin = make_space_role(module.space, SpaceMembership.Role.ADMIN)
    return module, admin


def meeting_data(**changes: Any) -> dict[str, Any]:
    start = timezone.now() + datetime.timedelta(days=5)
    data: dict[str, Any] = {
        "title": "Atelier sur la place du Marché",
        "kind": Meeting.Kind.WORKSHOP,
        "format": Meeting.Format.IN_PERSON,
        "description": "<p>Dessinons ensemble la place.</p>",
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "place_name": "École Jules-Ferry",
        "address": "3 rue de l'École, 51100 Lumerac",
        "registration_enabled": True,
        "capacity": 2,
        "questions": "Régime alimentaire\nBesoins d'accessibilité",
    }
    data.update(changes)
    return data
