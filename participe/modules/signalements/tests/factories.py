"""The signalements module turned on, with two quartiers that have boundaries, two services and categories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participe.modules.signalements import geo
from participe.modules.signalements.models import Category, Route
from participe.organisation.models import Service, Territory
from participe.spaces.models import Module
from participe.spaces.services import organisation_module_enable
from tests.factories import UserFactory, make_org_admin, with_totp

# Two quartiers side by side, inside a commune: a point in the north one, one in the south one, one outside.
NORTH = (49.2600, 4.0300)
SOUTH = (49.2400, 4.0300)
OUTSIDE = (48.8566, 2.3522)


@dataclass
class World:
    module: Module
    admin: Any
    commune: Territory
    north: Territory
    south: Territory
    voirie: Service
    metropole: Service
    agent: Any
    other_agent: Any
    pothole: Category
    lamp: Category
    unsafe: Category


def make_world() -> World:
    admin = make_org_admin()
    module = organisation_module_enable(actor=admin, module_type="signalements")
    commune = Territory.objects.create(
        name="Lumerac", slug="lumerac-t", kind="commune", boundary=geo.square(49.25, 4.03, 0.03)
    )
    north = Territory.objects.create(
        name="Nord", slug="nord-t", kind="quartier", parent=commune, boundary=geo.square(NORTH[0], NORTH[1], 0.008)
    )
    south = Territory.objects.create(
        name="Sud", slug="sud-t", kind="quartier", parent=commune, boundary=geo.square(SOUTH[0], SOUTH[1], 0.008)
    )
    voirie = Service.objects.create(name="Voirie (test)")
    metropole = Service.objects.create(name="Voirie métropolitaine (test)")
    agent = with_totp(UserFactory())
    voirie.members.add(agent)
    other_agent = with_totp(UserFactory())
    metropole.members.add(other_agent)
    pothole = Category.objects.create(
        module=module,
        name="Nid-de-poule",
        code="nid-de-poule",
        default_service=voirie,
        acknowledge_days=2,
        resolve_days=10,
    )
    Route.objects.create(category=pothole, territory=south, service=metropole)
    lamp = Category.objects.create(
        module=module,
        name="Éclairage",
        code="eclairage",
        default_service=voirie,
        questions=[
            {
                "code": "allumee",
                "label": "La lampe est-elle allumée ?",
                "required": True,
                "choices": [["oui", "Oui"], ["non", "Non"]],
            }
        ],
    )
    unsafe = Category.objects.create(
        module=module, name="Lieu dangereux", code="danger", is_private=True, default_service=voirie
    )
    return World(module, admin, commune, north, south, voirie, metropole, agent, other_agent, pothole, lamp, unsafe)


def report_data(category: Category, point: tuple[float, float] = NORTH, **extra: Any) -> dict[str, Any]:
    return {
        "category": category,
        "title": "Trou dans la chaussée",
        "description": "Profond.",
        "lat": point[0],
        "lon": point[1],
        **extra,
    }
