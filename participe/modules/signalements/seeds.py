"""Demo data of the signalements (``make demo``): boundaries for the demo territories that have none, four
services, eight categories routed per territory, response templates, and 60 reports in every status with their
updates and a few photos, written through the services (routing, timelines and notifications as in real use)."""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from PIL import Image

from participe.accounts.models import User
from participe.modules.signalements import figures, geo, services
from participe.modules.signalements.models import (
    Category,
    Forward,
    Forwarding,
    Report,
    ResponseTemplate,
    Route,
    Status,
)
from participe.organisation.models import Service, Territory
from participe.spaces.models import Module

CENTER = (49.2720, 3.8580)  # the demo's commune (the proposals' demo points are there)
QUARTIER_OFFSETS = {
    "centre-ville": (0.0, 0.0),
    "les-tilleuls": (0.012, 0.0),
    "bords-de-vesle": (-0.012, 0.0),
    "la-croix-rouge": (0.0, 0.016),
    "plateau-nord": (0.0, -0.016),
}
SERVICES = ["Voirie et propreté", "Espaces verts", "Éclairage public", "Métropole — Voirie métropolitaine"]
CATEGORIES = [
    # code, name, icon, hint, service, private, ack days, resolve days, questions
    ("nid-de-poule", "Nid-de-poule", "alert-octagon", "Un trou dans la chaussée ou le trottoir.", 0, False, 2, 15, []),
    ("depot-sauvage", "Dépôt sauvage", "trash-2", "Des déchets ou encombrants abandonnés.", 0, False, 1, 5, []),
    (
        "eclairage",
        "Éclairage en panne",
        "zap-off",
        "Un lampadaire éteint ou qui clignote.",
        2,
        False,
        2,
        10,
        [
            {
                "code": "allumee",
                "label": "La lampe est-elle allumée en journée ?",
                "required": True,
                "choices": [["oui", "Oui"], ["non", "Non"]],
            }
        ],
    ),
    ("tag", "Tag ou graffiti", "edit-3", "Sur un bâtiment ou du mobilier public.", 0, False, 3, 20, []),
    (
        "arbre",
        "Arbre ou espace vert",
        "feather",
        "Une branche cassée, un arbre dangereux, une pelouse.",
        1,
        False,
        3,
        30,
        [],
    ),
    ("mobilier", "Mobilier urbain abîmé", "tool", "Un banc, une poubelle, un panneau cassé.", 0, False, 3, 30, []),
    (
        "signalisation",
        "Feu ou signalisation",
        "alert-triangle",
        "Un feu en panne, un panneau tombé.",
        3,
        False,
        1,
        7,
        [],
    ),
    (
        "lieu-dangereux",
        "Lieu où je ne me sens pas en sécurité",
        "shield",
        "Vu seulement par vous et les services.",
        0,
        True,
        2,
        30,
        [],
    ),
]
TITLES = {
    "nid-de-poule": ["Trou profond devant l'école", "Chaussée défoncée au carrefour", "Nid-de-poule piste cyclable"],
    "depot-sauvage": ["Matelas abandonné", "Sacs de déchets au pied des conteneurs", "Gravats sur le trottoir"],
    "eclairage": ["Lampadaire éteint rue des Lilas", "Éclairage du parc en panne", "Lampe qui clignote"],
    "tag": ["Tag sur le mur de la médiathèque", "Graffiti sur l'abribus"],
    "arbre": ["Branche cassée au-dessus du trottoir", "Pelouse du square non tondue"],
    "mobilier": ["Banc cassé place du marché", "Poubelle arrachée"],
    "signalisation": ["Feu piéton en panne", "Panneau stop tombé"],
    "lieu-dangereux": ["Passage sombre sous le pont"],
}
# The route of each status from « nouveau » (the services' steps with their texts).
PATHS = [
    [],
    [Status.ACKNOWLEDGED],
    [Status.ACKNOWLEDGED, Status.PLANNED],
    [Status.ACKNOWLEDGED, Status.IN_PROGRESS],
    [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FIXED],
    [Status.ACKNOWLEDGED, Status.FIXED, Status.CLOSED],
    [Status.NOT_REPRODUCIBLE],
    [Status.NOT_RESPONSIBLE],
    [Status.DUPLICATE],
]
TEXTS = {
    Status.ACKNOWLEDGED: "Votre signalement est pris en compte par le service.",
    Status.PLANNED: "Une intervention est programmée dans les prochains jours.",
    Status.IN_PROGRESS: "L'équipe est sur place.",
    Status.FIXED: "C'est réparé : merci de votre signalement.",
    Status.CLOSED: "Signalement clos.",
    Status.NOT_REPRODUCIBLE: "Nous ne constatons pas le problème sur place.",
    Status.NOT_RESPONSIBLE: "Ce lieu relève du bailleur : votre signalement lui est transmis.",
    Status.DUPLICATE: "Ce problème est déjà signalé : suivez le signalement existant.",
}


def _boundaries() -> dict[str, Territory]:
    found: dict[str, Territory] = {}
    commune = Territory.objects.filter(kind="commune").first()
    if commune is not None and commune.boundary is None:
        commune.boundary = geo.square(CENTER[0], CENTER[1], 0.03)
        commune.save(update_fields=["boundary"])
    for slug, (dlat, dlon) in QUARTIER_OFFSETS.items():
        territory = Territory.objects.filter(slug=slug).first()
        if territory is None:
            continue
        if territory.boundary is None:
            territory.boundary = geo.square(CENTER[0] + dlat, CENTER[1] + dlon, 0.0059)
            territory.save(update_fields=["boundary"])
        found[slug] = territory
    return found


def _services() -> list[Service]:
    found = [Service.objects.get_or_create(name=name)[0] for name in SERVICES]
    agent = User.objects.filter(email="agent@lumerac.example").first()
    if agent is not None:
        found[0].members.add(agent)  # the demo's agent handles the voirie's reports too
    return found


def _categories(module: Module, service_list: list[Service], quartiers: dict[str, Territory]) -> list[Category]:
    found = []
    for position, (code, name, icon, hint, service, private, ack, resolve, questions) in enumerate(CATEGORIES):
        category, _created = Category.objects.get_or_create(
            module=module,
            code=code,
            defaults={
                "name": name,
                "icon": icon,
                "hint": hint,
                "default_service": service_list[service],
                "is_private": private,
                "acknowledge_days": ack,
                "resolve_days": resolve,
                "questions": questions,
                "position": position,
            },
        )
        found.append(category)
    # The same category goes to the métropole on the main roads of two quartiers.
    for slug in ("la-croix-rouge", "plateau-nord"):
        if slug in quartiers:
            Route.objects.get_or_create(
                category=found[0], territory=quartiers[slug], defaults={"service": service_list[3]}
            )
    for status, text in TEXTS.items():
        ResponseTemplate.objects.get_or_create(
            module=module,
            category=None,
            status=status,
            defaults={"title": str(Status(status).label).capitalize(), "text": text},
        )
    return found


def _photo(seed: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), ((seed * 53) % 255, (seed * 97) % 255, 120)).save(buffer, "JPEG")
    return SimpleUploadedFile(f"photo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _residents() -> list[User]:
    found = list(User.objects.filter(email__in=["camille@example.org", "karim@example.org", "jeanne@example.org"]))
    for n in range(len(found), 4):
        user, _created = User.objects.get_or_create(
            email=f"voisin{n}@example.org", defaults={"pseudonym": f"Voisin_{n}"}
        )
        found.append(user)
    return found


def _backdate(reports: QuerySet[Report], rng: random.Random) -> None:
    now = timezone.now()
    for report in reports:
        created = now - datetime.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
        values: dict[str, object] = {"created_at": created}
        if report.acknowledged_at:
            values["acknowledged_at"] = created + datetime.timedelta(hours=rng.randint(2, 96))
        if report.resolved_at:
            values["resolved_at"] = created + datetime.timedelta(days=rng.randint(1, 40))
        Report.objects.filter(pk=report.pk).update(**values)
        report.updates.filter(status_before="").update(created_at=created)


def seed(module: Module) -> None:
    """Idempotent: nothing is added to a module that already has categories."""
    if Category.objects.filter(module=module).exists():
        return
    rng = random.Random(14)
    quartiers = _boundaries()
    service_list = _services()
    categories = _categories(module, service_list, quartiers)
    admin = User.objects.filter(is_org_admin=True).first()
    residents = _residents()
    for n in range(60):
        category = categories[n % len(categories)]
        author = residents[n % len(residents)] if n % 10 else AnonymousUser()
        lat = CENTER[0] + rng.uniform(-0.02, 0.02)
        lon = CENTER[1] + rng.uniform(-0.025, 0.025)
        data = {
            "category": category,
            "title": rng.choice(TITLES[category.code]),
            "lat": lat,
            "lon": lon,
            "description": "Signalé pendant la démonstration.",
            "answers": {"allumee": rng.choice(["oui", "non"])},
            "reporter_name": "Habitant sans compte",
            "reporter_email": "sans-compte@example.org",
        }
        photos = [_photo(n)] if n % 6 == 1 or n % 20 == 10 else []  # one-off reports have photos too
        report = services.report_create(actor=author, module=module, data=data, photos=photos)
        if report.confirmed_at is None:
            if n % 20 == 0:
                continue  # one waits for its confirmation link
            report = services.report_confirm(token=report.confirmation_token) or report
        if admin is not None:
            for status in PATHS[n % len(PATHS)]:
                services.report_update(actor=admin, report=report, status=status, text=TEXTS[status])
    _backdate(Report.objects.filter(module=module), rng)
    figures.rebuild(module)  # the dates were moved back behind the services' backs
    _forwarding(categories)


def _forwarding(categories: list[Category]) -> None:
    """The traffic lights go to the métropole's own Open311 back-end: set after the reports, so that loading the
    demo posts nothing (the address is reserved and never answers); two of them show a forward done and failed."""
    lights = next(c for c in categories if c.code == "signalisation")
    forwarding = Forwarding.objects.create(
        category=lights,
        endpoint="https://open311.metropole-lumerac.example/georeport/v2/",
        api_key="demo-cle-metropole",
        service_code="feux-tricolores",
    )
    reports = list(Report.objects.filter(category=lights, confirmed_at__isnull=False).order_by("pk")[:2])
    now = timezone.now()
    if reports:
        Forward.objects.create(
            report=reports[0],
            forwarding=forwarding,
            state=Forward.State.SENT,
            attempts=1,
            service_request_id="MRL-2026-04821",
            external_status="open",
            sent_at=now,
        )
    if len(reports) > 1:
        Forward.objects.create(
            report=reports[1],
            forwarding=forwarding,
            state=Forward.State.FAILED,
            attempts=6,
            last_error="HTTP 503 : Service temporairement indisponible",
        )
