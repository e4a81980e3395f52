"""Demo commitments: the place du Marché démarche gets four commitments in progress, each with dated steps,
answering the contributions they come from (run by ``load_demo`` through ``backoffice.hooks``). Idempotent: a
commitment is known by its reference."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from participe.accounts.models import User
from participe.commitments import services
from participe.commitments.models import Commitment
from participe.core.registry import registry
from participe.organisation.models import Service, Territory
from participe.spaces.models import Space

SPACE = "place-du-marche"
COMMITMENTS: list[dict[str, Any]] = [
    {
        "reference": "MARCHE-01",
        "title": "Planter vingt arbres et installer des bancs à l'ombre",
        "description": "Répondant aux demandes d'ombre et d'assises, la ville plante vingt arbres d'essences "
        "locales sur la moitié sud de la place et installe douze bancs avec dossier.",
        "service": "Espaces verts",
        "budget": "85000",
        "planned": 120,
        "answers": ("bancs", "ombre", "usages"),
        "steps": [
            (
                -60,
                "Le choix des essences a été arrêté avec le conseil de quartier : tilleuls, érables champêtres et "
                "micocouliers.",
                "in_progress",
                20,
            ),
            (-20, "Les fosses de plantation sont creusées ; les réseaux ont été déplacés.", "works", 45),
        ],
    },
    {
        "reference": "MARCHE-02",
        "title": "Piétonniser la place le samedi matin, jour de marché",
        "description": "À l'essai pendant six mois, la place est fermée à la circulation le samedi de 7 h à 14 h.",
        "service": "Voirie et propreté",
        "budget": "12000",
        "planned": 30,
        "answers": ("piétonniser",),
        "steps": [
            (-45, "L'arrêté municipal est pris ; la signalisation provisoire est commandée.", "in_progress", 30),
            (-7, "Premier samedi piéton : comptage des passants et enquête auprès des commerçants.", "works", 60),
        ],
    },
    {
        "reference": "MARCHE-03",
        "title": "Reconstruire la halle couverte au nord de la place",
        "description": "Une halle ouverte, en bois, abrite le marché et accueille des événements le reste de la "
        "semaine.",
        "service": "Démocratie participative",
        "budget": "640000",
        "planned": -15,  # late: the competition of architects took longer
        "answers": ("usages",),
        "steps": [
            (-90, "Le concours d'architectes est lancé ; trois équipes sont retenues.", "in_progress", 10),
            (-30, "Le jury a choisi le projet lauréat ; le permis de construire est déposé.", None, 25),
        ],
    },
    {
        "reference": "MARCHE-04",
        "title": "Sécuriser les traversées piétonnes autour de la place",
        "description": "Quatre plateaux surélevés et un éclairage renforcé aux traversées.",
        "service": "Voirie et propreté",
        "budget": "48000",
        "planned": 60,
        "answers": ("parking",),
        "steps": [
            (-25, "Les relevés de vitesse confirment des passages à plus de 40 km/h rue du Marché.", "in_progress", 15),
        ],
    },
]


def _items_matching(words: tuple[str, ...]) -> list[Model]:
    """Published items of any resource whose title contains one of ``words`` (the contributions answered)."""
    found: list[Model] = []
    for resource in registry.resources():
        if resource.model.startswith("commitments.") or resource.model.startswith("comments."):
            continue
        model = apps.get_model(resource.model)
        field = resource.title_field
        if not any(f.name == field for f in model._meta.get_fields()):
            continue
        for word in words:
            found.extend(model._default_manager.filter(**{f"{field}__icontains": word})[:2])
    return found


def seed_demo(admin: User) -> None:
    """Four commitments in progress on the place du Marché, with their steps (none when the space is missing)."""
    space = Space.objects.filter(slug=SPACE).first()
    if space is None:
        return
    today = timezone.localdate()
    territory = Territory.objects.filter(slug="centre-ville").first()
    for data in COMMITMENTS:
        if Commitment.objects.filter(reference=data["reference"]).exists():
            continue
        sources = [item for item in _items_matching(data["answers"]) if item.pk is not None]
        commitment = services.commitment_create(
            admin,
            space=space,
            title=data["title"],
            description=data["description"],
            service=Service.objects.filter(name=data["service"]).first(),
            territory=territory,
            planned_date=today + datetime.timedelta(days=data["planned"]),
            budget=data["budget"],
            reference=data["reference"],
            sources=list({(type(i), i.pk): i for i in sources}.values()),
            follow=False,
        )
        for days, text, status, progress in data["steps"]:
            services.commitment_update_add(
                admin,
                commitment,
                text=text,
                date=today + datetime.timedelta(days=days),
                status=status,
                progress=progress,
                notify_followers=False,
            )
