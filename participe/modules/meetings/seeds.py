"""Demo meetings (``load_demo``): five per meetings module, past ones with minutes, attendees and the contributions
collected there, upcoming ones with registrations (one full, with a waiting list), one cancelled, one online."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from participe.accounts.models import User
from participe.modules.meetings import selectors, services
from participe.modules.meetings.models import Meeting
from participe.spaces.models import Module
from participe.spaces.selectors import staff_of


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    days: int  # from today (negative: past)
    hour: tuple[int, int]
    hours: float
    place: str
    address: str
    point: tuple[float, float] | None
    description: str
    capacity: int | None = None
    registration: bool = False
    questions: str = ""
    format: str = Meeting.Format.IN_PERSON
    minutes: str = ""
    attendees: int | None = None
    cancelled: str = ""
    phone_registrations: tuple[str, ...] = ()


LUMERAC = (49.2535, 4.0285)
MAIRIE = ("Salle du conseil, hôtel de ville", "1 place de l'Hôtel de Ville, 51100 Lumerac")
PLANS: dict[str, list[Plan]] = {
    "budget-participatif-2027": [
        Plan(
            "Réunion de lancement du budget participatif",
            Meeting.Kind.PUBLIC,
            -18,
            (18, 30),
            2,
            *MAIRIE,
            LUMERAC,
            "<p>Présentation du règlement, du calendrier et des 500 000 € à répartir. Questions-réponses avec les élus.</p>",
            minutes="<p>Présentation du règlement par l'adjointe à la démocratie locale. Les habitants ont demandé "
            "une enveloppe réservée aux quartiers prioritaires ; la question sera étudiée. Plusieurs idées ont été "
            "déposées sur place avec l'aide des agents.</p>",
            attendees=64,
        ),
        Plan(
            "Permanence : déposer son idée avec un agent",
            Meeting.Kind.DROP_IN,
            -11,
            (10, 0),
            3,
            "Maison de quartier des Tilleuls",
            "12 rue des Tilleuls, 51100 Lumerac",
            (49.2580, 4.0190),
            "<p>Un agent vous aide à rédiger et déposer votre idée, avec ou sans ordinateur.</p>",
            minutes="<p>Neuf habitants reçus, six idées saisies pour eux dans la boîte à idées.</p>",
            attendees=9,
        ),
        Plan(
            "Atelier « Chiffrer son projet »",
            Meeting.Kind.WORKSHOP,
            6,
            (18, 0),
            2,
            "Médiathèque Louise-Michel",
            "4 avenue Jean-Jaurès, 51100 Lumerac",
            (49.2502, 4.0331),
            "<p>Les services techniques expliquent comment estimer le coût d'un aménagement.</p>",
            capacity=3,
            registration=True,
            questions="Avez-vous un besoin d'accessibilité ?\nVotre projet concerne quel quartier ?",
            phone_registrations=("Marcel Dupont", "Yvette Lambert", "Omar Benali", "Lucie Garnier"),
        ),
        Plan(
            "Permanence en ligne : vos questions sur le budget participatif",
            Meeting.Kind.DROP_IN,
            9,
            (12, 30),
            1,
            "",
            "",
            None,
            "<p>Une heure pour poser vos questions en visioconférence.</p>",
            registration=True,
            capacity=40,
            format=Meeting.Format.ONLINE,
        ),
        Plan(
            "Forum des projets",
            Meeting.Kind.PUBLIC,
            40,
            (14, 0),
            4,
            "Gymnase Pierre-de-Coubertin",
            "8 rue du Stade, 51100 Lumerac",
            (49.2471, 4.0402),
            "<p>Les porteurs de projets présentent leurs idées retenues avant le vote.</p>",
        ),
    ],
    "place-du-marche": [
        Plan(
            "Balade urbaine autour de la place du Marché",
            Meeting.Kind.WALK,
            -6,
            (10, 0),
            2,
            "Devant la fontaine",
            "Place du Marché, 51100 Lumerac",
            (49.2541, 4.0297),
            "<p>Une marche commentée pour repérer les usages, les difficultés et les atouts de la place.</p>",
            minutes="<p>Vingt-huit participants. Points relevés : traversées dangereuses côté rue de Vesle, manque "
            "d'ombre l'été, stationnement des livraisons les jours de marché.</p>",
            attendees=28,
        ),
        Plan(
            "Atelier : dessiner la place de demain",
            Meeting.Kind.WORKSHOP,
            12,
            (18, 30),
            2.5,
            "École Jules-Ferry, préau",
            "3 rue de l'École, 51100 Lumerac",
            (49.2549, 4.0279),
            "<p>Par tables, imaginez l'organisation de la place sur un grand plan.</p>",
            registration=True,
            capacity=30,
            questions="Régime alimentaire (un buffet est offert)",
            phone_registrations=("Jacqueline Morel",),
        ),
        Plan(
            "Réunion publique : diagnostic partagé",
            Meeting.Kind.PUBLIC,
            3,
            (19, 0),
            2,
            *MAIRIE,
            LUMERAC,
            "<p>Restitution du diagnostic et des premières pistes.</p>",
            cancelled="Reportée pour cause d'intempéries : une nouvelle date sera annoncée.",
        ),
        Plan(
            "Réunion publique hybride : restitution",
            Meeting.Kind.PUBLIC,
            85,
            (18, 30),
            2,
            *MAIRIE,
            LUMERAC,
            "<p>La ville présente ce qu'elle retient de la concertation. À suivre sur place ou en ligne.</p>",
            format=Meeting.Format.HYBRID,
            registration=True,
            capacity=120,
        ),
        Plan(
            "Permanence du chef de projet",
            Meeting.Kind.DROP_IN,
            20,
            (9, 30),
            3,
            "Marché couvert, stand de la ville",
            "Place du Marché, 51100 Lumerac",
            (49.2539, 4.0301),
            "<p>Venez poser vos questions sur le projet.</p>",
        ),
    ],
    "conseil-de-quartier-les-tilleuls": [
        Plan(
            "Conseil de quartier — séance de septembre",
            Meeting.Kind.PUBLIC,
            -70,
            (18, 30),
            2,
            "Maison de quartier des Tilleuls",
            "12 rue des Tilleuls, 51100 Lumerac",
            (49.2580, 4.0190),
            "<p>Ordre du jour : aire de jeux, propreté du parc, fête de quartier.</p>",
            minutes="<p>Le conseil a rendu un avis favorable au projet d'aire de jeux avec deux réserves "
            "(ombrage, clôture). La fête de quartier aura lieu le 12 octobre.</p>",
            attendees=31,
        ),
        Plan(
            "Conseil de quartier — séance d'octobre",
            Meeting.Kind.PUBLIC,
            -35,
            (18, 30),
            2,
            "Maison de quartier des Tilleuls",
            "12 rue des Tilleuls, 51100 Lumerac",
            (49.2580, 4.0190),
            "<p>Ordre du jour : bilan de la fête, sécurité routière rue des Écoles.</p>",
            minutes="<p>Bilan très positif de la fête (400 visiteurs). Demande de radar pédagogique rue des Écoles "
            "transmise au service voirie.</p>",
            attendees=24,
        ),
        Plan(
            "Balade diagnostic : sécurité des trajets vers l'école",
            Meeting.Kind.WALK,
            4,
            (16, 45),
            1.5,
            "Sortie de l'école des Tilleuls",
            "5 rue des Écoles, 51100 Lumerac",
            (49.2590, 4.0201),
            "<p>Avec les parents d'élèves, repérons les points dangereux des trajets à pied.</p>",
            registration=True,
            capacity=25,
            questions="Venez-vous avec des enfants ? Combien ?",
        ),
        Plan(
            "Conseil de quartier — séance de décembre",
            Meeting.Kind.PUBLIC,
            15,
            (18, 30),
            2,
            "Maison de quartier des Tilleuls",
            "12 rue des Tilleuls, 51100 Lumerac",
            (49.2580, 4.0190),
            "<p>Ordre du jour : budget du conseil 2027, projets d'hiver.</p>",
        ),
        Plan(
            "Atelier jardinage partagé",
            Meeting.Kind.WORKSHOP,
            27,
            (14, 0),
            2,
            "Jardin partagé des Tilleuls",
            "Allée des Jardins, 51100 Lumerac",
            (49.2571, 4.0177),
            "<p>Préparation des carrés potagers pour l'hiver ; gants fournis.</p>",
            registration=True,
        ),
    ],
    # The sessions of the citizens' jury, in its members' private space (participe/modules/juries/seeds.py opens
    # it): two past with their minutes, the next one with registration (members only: the space is private).
    "jury-citoyen-mobilites-espace-des-membres": [
        Plan(
            "Séance 1 : comprendre les déplacements à Lumerac",
            Meeting.Kind.WORKSHOP,
            -75,
            (9, 30),
            7,
            *MAIRIE,
            LUMERAC,
            "<p>Accueil des membres, présentation de la question posée au jury et des chiffres des déplacements.</p>",
            minutes="<p>Les 24 membres ont entendu les services de la voirie et des transports, puis travaillé en "
            "petits groupes sur leurs trajets quotidiens. Ils ont demandé à entendre la métropole sur les bus.</p>",
            attendees=23,
        ),
        Plan(
            "Séance 2 : auditions et délibération",
            Meeting.Kind.WORKSHOP,
            -40,
            (9, 30),
            7,
            *MAIRIE,
            LUMERAC,
            "<p>Auditions de la métropole, d'une association de cyclistes et des commerçants, puis délibération.</p>",
            minutes="<p>Après les auditions, le jury a rédigé ses quatre recommandations, adoptées par consensus "
            "pour trois d'entre elles et à 19 voix sur 24 pour la quatrième.</p>",
            attendees=24,
        ),
        Plan(
            "Séance de suivi : la ville rend compte de ses engagements",
            Meeting.Kind.WORKSHOP,
            12,
            (18, 30),
            2,
            *MAIRIE,
            LUMERAC,
            "<p>Les élus présentent au jury l'avancement des engagements pris en réponse à son avis.</p>",
            registration=True,
            questions="Repas (végétarien, sans porc, aucun)\nBesoin d'un transport ou d'une aide",
        ),
    ],
}


def _moment(days: int, hour: tuple[int, int]) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour)))


def _data(plan: Plan, module: Module) -> dict[str, Any]:
    start = _moment(plan.days, plan.hour)
    space = module.space
    return {
        "title": plan.title,
        "kind": plan.kind,
        "format": plan.format,
        "description": plan.description,
        "start": start,
        "end": start + datetime.timedelta(hours=plan.hours),
        "organiser": "Ville de Lumerac — démocratie participative",
        "place_name": plan.place,
        "address": plan.address,
        "latitude": plan.point[0] if plan.point else None,
        "longitude": plan.point[1] if plan.point else None,
        "territory": space.territories.order_by("pk").first(),
        "theme": space.themes.order_by("pk").first(),
        "step_free_access": plan.format != Meeting.Format.ONLINE,
        "hearing_loop": plan.kind == Meeting.Kind.PUBLIC,
        "childcare": plan.kind == Meeting.Kind.WORKSHOP,
        "online_url": "https://visio.lumerac.example/participation" if plan.format != Meeting.Format.IN_PERSON else "",
        "registration_enabled": plan.registration,
        "capacity": plan.capacity,
        "questions": plan.questions,
        "status": Meeting.Status.PUBLISHED,
    }


def _residents() -> list[User]:
    return list(User.objects.filter(email__in=["camille@example.org", "karim@example.org", "jeanne@example.org"]))


def _fill(plan: Plan, meeting: Meeting, staff: User) -> None:
    if plan.registration:
        for resident in _residents():
            if not resident.has_perm("meetings.register", meeting):  # a private space's meeting: its members only
                continue
            answers = {q: "Non" for q in meeting.question_list()[:1]}
            services.registration_create(actor=resident, meeting=meeting, answers=answers)
        for index, name in enumerate(plan.phone_registrations):
            services.registration_add_by_agent(
                actor=staff,
                meeting=meeting,
                name=name,
                phone=f"03 26 00 00 {index:02d}",
                answers={q: "Fauteuil roulant" for q in meeting.question_list()[:1]} if index == 0 else {},
            )
    if plan.minutes:
        services.minutes_save(actor=staff, meeting=meeting, minutes=plan.minutes, attendees_count=plan.attendees)
        for _module, items in selectors.contribution_candidates(meeting, limit=3)[:1]:
            for item in items:
                services.contribution_link(actor=staff, meeting=meeting, item=item)
    if plan.cancelled:
        services.meeting_cancel(actor=staff, meeting=meeting, reason=plan.cancelled)


def seed(module: Module) -> None:
    """Five meetings in ``module`` (from the plans of its space, else those of the budget's)."""
    staff = staff_of(module.space)
    if staff is None or module.meetings.exists():
        return
    for plan in PLANS.get(module.space.slug, PLANS["budget-participatif-2027"]):
        meeting = services.meeting_save(actor=staff, module=module, data=_data(plan, module))
        _fill(plan, meeting, staff)
