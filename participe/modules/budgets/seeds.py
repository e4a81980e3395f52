"""Demo data of a budget participatif: « Budget participatif 2027 » of Lumerac (``make demo``).

Two envelopes — the whole city (400 000 €, approval within the budget) and the quartier Plateau Nord (100 000 €, at
most three projects) —, 25 projects (the retained proposals of the démarche's idea box, through ``participe.links``,
and the others the idea box's ideas entered by the agent), the services' answers published, a vote with online
ballots of verified residents and paper ballots typed twice at a polling station, closed and counted by the ballot
service, tallied (the method of equal shares where the engine has it, else greedy) and published with explanations.

The module is created inside its vote phase (ballots are cast as residents would); once the vote is counted, the
seed moves the phases so that the results phase is the current one, as time would have.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from participe.accounts.models import User
from participe.ballots import identity
from participe.ballots import services as ballots
from participe.ballots.models import PollingStation
from participe.commitments.services import commitment_update_add
from participe.core.capabilities import Cap
from participe.modules.budgets import services
from participe.modules.budgets.models import Envelope, Project
from participe.organisation.models import Territory
from participe.spaces.models import Module, Phase
from participe.verifications.models import EligibilityRule, Verification

# title, cost (€), quartier slug or "", feasibility, answer, (dlat, dlon) from the city centre
PROJECTS = [
    ("Des fontaines à eau dans les parcs", 45_000, "", "feasible", "Six fontaines raccordées au réseau."),
    ("Un jardin partagé aux Tilleuls", 38_000, "les-tilleuls", "feasible", "Parcelle municipale rue des Lilas."),
    ("Des abris vélos sécurisés aux gares", 120_000, "", "feasible", "Quatre abris de 20 places."),
    ("Un skatepark au parc de la Vesle", 180_000, "bords-de-vesle", "feasible", "Chiffré avec les jeunes."),
    ("Des toilettes publiques accessibles", 95_000, "centre-ville", "feasible", "Deux cabines autonettoyantes."),
    ("Une boîte à livres par quartier", 12_000, "", "feasible", "Fabriquées par le lycée professionnel."),
    ("Des bancs et de l'ombre place Carnot", 60_000, "centre-ville", "feasible", "Bancs et tonnelles plantées."),
    ("Un terrain de basket rénové", 75_000, "la-croix-rouge", "feasible", "Revêtement et paniers neufs."),
    ("Des nichoirs et hôtels à insectes", 8_000, "", "feasible", "Posés avec la LPO."),
    ("Un éclairage solaire du chemin de halage", 140_000, "bords-de-vesle", "feasible", "1,2 km de chemin."),
    ("Une fresque participative au collège", 15_000, "la-croix-rouge", "feasible", "Avec un artiste local."),
    ("Des cours d'école végétalisées", 210_000, "", "feasible", "Deux écoles la première année."),
    ("Un parcours sportif en plein air", 55_000, "", "feasible", "Dix agrès au bois de la Garenne."),
    ("Une piscine couverte", 4_500_000, "", "infeasible", "Hors budget participatif : investissement pluriannuel."),
    ("Un tramway jusqu'au Plateau", 30_000_000, "plateau-nord", "infeasible", "Compétence de la métropole."),
    ("Des arceaux vélos au Plateau Nord", 18_000, "plateau-nord", "feasible", "Quarante arceaux."),
    ("Une aire de jeux au square des Acacias", 62_000, "plateau-nord", "feasible", "Jeux pour les 2-10 ans."),
    ("Un verger partagé au Plateau", 22_000, "plateau-nord", "feasible", "Trente arbres fruitiers."),
    ("Des bancs le long de l'avenue du Plateau", 14_000, "plateau-nord", "feasible", "Douze bancs."),
    ("Un terrain de pétanque au Plateau", 9_000, "plateau-nord", "feasible", "Deux pistes éclairées."),
    ("Une boîte à dons au centre social", 4_000, "plateau-nord", "feasible", "Abri et étagères."),
    ("Une table de ping-pong au Plateau", 6_000, "plateau-nord", "feasible", "Table en béton."),
    ("Des composteurs de quartier", 25_000, "", "merged", "Fusionné avec le jardin partagé."),
    ("Un city-stade au Plateau Nord", 95_000, "plateau-nord", "unclear", "Le terrain reste à trouver."),
]
NORD = "plateau-nord"
# The first funded projects' delivery: a step each (text, status, progress)
DELIVERY = [
    ("Étude de sol faite ; le marché de travaux est attribué.", "works", 40),
    ("Commande passée au fournisseur, pose prévue au printemps.", "in_progress", 20),
    ("Réalisé et inauguré avec les habitants du quartier.", "done", 100),
]
CENTRE = (Decimal("49.2530"), Decimal("4.0300"))


def _staff() -> tuple[User | None, User | None]:
    admin = User.objects.filter(Q(is_org_admin=True) | Q(is_superuser=True)).order_by("pk").first()
    agent = User.objects.filter(services__isnull=False).distinct().order_by("pk").first()
    return admin, agent


def seed(module: Module) -> None:
    """Envelopes, projects, answers, the vote (online and paper), the count, the tally and the results."""
    admin, agent = _staff()
    if admin is None or Envelope.objects.filter(module=module).exists():
        return
    nord = Territory.objects.filter(slug=NORD).first()
    ville = services.envelope_save(
        actor=admin,
        module=module,
        envelope=None,
        data={"title": "Toute la ville", "amount": 400_000, "ballot_kind": Envelope.BallotKind.BUDGET, "rule": "mes"},
    )
    quartier = services.envelope_save(
        actor=admin,
        module=module,
        envelope=None,
        data={
            "title": "Quartier Plateau Nord",
            "amount": 100_000,
            "territory": nord,
            "ballot_kind": Envelope.BallotKind.MAX,
            "max_choices": 3,
            "rule": "greedy",
        },
    )
    projects = _projects(module, admin, ville, quartier)
    EligibilityRule.objects.get_or_create(module=module, action=Cap.VOTE, defaults={"min_age": 16})
    for envelope in (ville, quartier):
        services.vote_open(actor=admin, envelope=envelope, channels="both")
        envelope.refresh_from_db()
        envelope.election.min_group = 5
        envelope.election.save(update_fields=["min_group"])
    _online(module, ville, quartier, projects, nord)
    _paper(module, ville, admin, agent or admin)
    for envelope in (ville, quartier):
        _count_and_publish(admin, envelope)
    _results_phase(module)


def _projects(module: Module, admin: User, ville: Envelope, quartier: Envelope) -> list[Project]:
    made: list[Project] = []
    for group in services.candidate_groups(module):
        origins = [item for item in group.items if item.pk not in group.linked_ids]
        made += services.projects_from_candidates(actor=admin, module=module, origins=origins, envelope=ville)
    for n, (title, cost, place, _feasibility, _answer) in enumerate(PROJECTS):
        territory = Territory.objects.filter(slug=place).first() if place else None
        envelope = quartier if place == NORD and cost <= quartier.amount else ville
        data = {
            "envelope": envelope,
            "title": title,
            "description": f"<p>Idée déposée dans la boîte à idées : {title.lower()}.</p>",
            "estimated_cost": min(cost, envelope.amount),
            "territory": territory,
            "latitude": (CENTRE[0] + Decimal(n % 5 - 2) / 200).quantize(Decimal("0.000001")),
            "longitude": (CENTRE[1] + Decimal(n // 5 - 2) / 150).quantize(Decimal("0.000001")),
        }
        made.append(services.project_save(actor=admin, module=module, project=None, data=data))
    by_title = {p.title: p for p in made}
    for title, _cost, _place, feasibility, answer in PROJECTS:
        merged = by_title.get("Un jardin partagé aux Tilleuls") if feasibility == "merged" else None
        services.answers_prepare(
            actor=admin, projects=[by_title[title]], feasibility=feasibility, answer=answer, merged_into=merged
        )
    linked = [p for p in made if p.origin == Project.Origin.PROPOSAL]
    if linked:
        services.answers_prepare(actor=admin, projects=linked, feasibility="feasible", answer="Retenue par la ville.")
    services.answers_publish(actor=admin, projects=made)
    return [Project.objects.get(pk=p.pk) for p in made]


def _voter(n: int, territory: Territory | None) -> User:
    voter, _created = User.objects.get_or_create(
        email=f"budget-{n}@lumerac.example", defaults={"pseudonym": f"budget-{n}", "territory": territory}
    )
    Verification.objects.get_or_create(
        user=voter,
        handler="counter",
        defaults={"territory": territory, "birth_date": datetime.date(1960 + n % 40, 3, 1)},
    )
    return voter


def _fits(envelope: Envelope, candidates: list[Project], rng: random.Random, *, limit: int | None) -> list[int]:
    """A plausible ballot: projects in a random order preferring the popular ones, kept while they fit."""
    chosen, spent = [], 0
    for project in sorted(candidates, key=lambda p: rng.random() * (1 + candidates.index(p) / 4)):
        if limit is not None and len(chosen) >= limit:
            break
        if limit is None and spent + project.estimated_cost > envelope.amount:
            continue
        chosen.append(project.pk)
        spent += project.estimated_cost
    return chosen[: rng.randint(1, len(chosen))] if limit is not None else chosen


def _online(
    module: Module, ville: Envelope, quartier: Envelope, projects: list[Project], nord: Territory | None
) -> None:
    rng = random.Random(2027)
    commune = module.space.territories.first()
    on_ballot = {e.pk: [p for p in projects if p.envelope_id == e.pk and p.on_ballot] for e in (ville, quartier)}
    for n in range(60):
        in_nord = n % 3 == 0 and nord is not None
        voter = _voter(n, nord if in_nord else commune)
        content = {"projects": _fits(ville, on_ballot[ville.pk], rng, limit=None)}
        ballots.ballot_cast(actor=voter, election=ville.election, content=content)
        if in_nord:
            content = {"projects": _fits(quartier, on_ballot[quartier.pk], rng, limit=3)}
            ballots.ballot_cast(actor=voter, election=quartier.election, content=content)


def _paper(module: Module, envelope: Envelope, admin: User, agent: User) -> None:
    """A dozen residents sign in at the town hall; their ballots (the projects' numbers) are typed twice."""
    station = PollingStation(
        module=module,
        name="Mairie — hall d'accueil",
        place="1 place de l'Hôtel-de-Ville",
        opening_hours="samedi 9 h – 17 h",
    )
    station.territory = module.space.territories.first()
    ballots.station_save(actor=admin, station=station, data={}, agents=[admin, agent])
    on_ballot = [p for p in Project.objects.filter(envelope=envelope).order_by("reference", "pk") if p.on_ballot]
    rng = random.Random(1789)
    codes = [
        "+".join(str(on_ballot.index(Project(pk=pk)) + 1) for pk in _fits(envelope, on_ballot, rng, limit=None))
        for _n in range(10)
    ] + ["B", "X"]
    for n in range(len(codes)):
        person = identity.from_documents(f"Électrice{n}", "Budget", datetime.date(1955 + n, 4, 2), station.territory)
        ballots.roll_sign_paper(actor=agent, election=envelope.election, station=station, voter=person)
    for typist in dict.fromkeys([agent, admin]):  # two agents type the batch; with one, it waits for the second
        ballots.batch_enter(
            actor=typist, election=envelope.election, station=station, number=1, declared_count=len(codes), codes=codes
        )


def _count_and_publish(admin: User, envelope: Envelope) -> None:
    envelope.refresh_from_db()
    ballots.election_close(actor=admin, election=envelope.election)
    try:
        ballots.election_count(actor=admin, election=envelope.election)
    except ValidationError:
        return  # a paper batch still waits for its second typing: the demo shows the vote closed, not counted
    try:
        services.envelope_tally(actor=admin, envelope=envelope)
    except ValidationError:
        services.envelope_tally(actor=admin, envelope=envelope, rule="greedy")
    envelope = services.results_publish(actor=admin, envelope=Envelope.objects.get(pk=envelope.pk))
    for n, commitment in enumerate(services.delivery_start(actor=admin, envelope=envelope)[:3]):
        commitment_update_add(
            admin,
            commitment,
            text=DELIVERY[n][0],
            status=DELIVERY[n][1],
            progress=DELIVERY[n][2],
            notify_followers=False,
        )


def _results_phase(module: Module) -> None:
    """Time moves on: the vote ended yesterday, the results phase runs now."""
    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    Phase.objects.filter(module=module, phase_type="vote").update(end=yesterday)
    Phase.objects.filter(module=module, phase_type="resultats").update(start=yesterday)
