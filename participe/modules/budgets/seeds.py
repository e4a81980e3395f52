"""Demo data of a budget participatif: « Budget participatif 2027 » of Lumerac (``make demo``).

Two envelopes — the whole city (400 000 €, approval within the budget, four categories, « Nature et climat » with a
minimum share of 30 %, tallied with MES add1) and the quartier Plateau Nord (100 000 €, at most three projects) —,
25 projects, all from the démarche's idea box through ``participe.links`` (19 retained with their cost, 6 retained for
the services' study: two infeasible, one merged, one unclear), the services' answers published, a vote with online
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
from participe.modules.budgets.schema import ballot_projects
from participe.organisation.models import Territory
from participe.spaces.models import Module, Phase
from participe.verifications.models import EligibilityRule, Verification

# The ideas received at the counter, on paper or in a meeting, which the idea box retained for the services' study:
# title, cost (€) the services estimate, quartier slug or "", feasibility, answer. Without an idea box the agent
# enters them as projects. The other projects are the idea box's retained proposals (participe.links).
PROJECTS = [
    ("Une boîte à livres par quartier", 12_000, "", "feasible", "Fabriquées par le lycée professionnel."),
    ("Des nichoirs et hôtels à insectes", 8_000, "", "feasible", "Posés avec la LPO."),
    ("Une piscine couverte", 4_500_000, "", "infeasible", "Hors budget participatif : investissement pluriannuel."),
    ("Un tramway jusqu'au Plateau", 30_000_000, "plateau-nord", "infeasible", "Compétence de la métropole."),
    ("Des composteurs de quartier", 25_000, "", "merged", "Fusionné avec le jardin partagé aux Tilleuls."),
    ("Un city-stade au Plateau Nord", 95_000, "plateau-nord", "unclear", "Le terrain reste à trouver."),
]
# The city envelope's categories (name, minimum share in %) and the words of a title that place a project in one.
CATEGORIES = [("Nature et climat", 30), ("Mobilités", 0), ("Sport et loisirs", 0), ("Cadre de vie", 0)]
CATEGORY_WORDS = {
    "Nature et climat": ("jardin", "verger", "végétalisées", "nichoirs", "fontaines", "ressourcerie", "composteurs"),
    "Mobilités": ("vélo", "cyclable", "halage", "arceaux"),
    "Sport et loisirs": ("skatepark", "basket", "sportif", "pétanque", "ping-pong", "city-stade", "piscine"),
}
NORD = "plateau-nord"
# The first funded projects' delivery: a step each (text, status, progress)
DELIVERY = [
    ("Étude de sol faite ; le marché de travaux est attribué.", "works", 40),
    ("Commande passée au fournisseur, pose prévue au printemps.", "in_progress", 20),
    ("Réalisé et inauguré avec les habitants du quartier.", "done", 100),
]
CENTRE = (Decimal("49.2731"), Decimal("3.8615"))  # Lumerac's town centre, as the idea box's


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
        data={
            "title": "Toute la ville",
            "amount": 400_000,
            "ballot_kind": Envelope.BallotKind.BUDGET,
            "rule": "mes-add1",
        },
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
    voting = [e for e in (ville, quartier) if ballot_projects(e)]  # without an idea box, the quartier has none
    for envelope in voting:
        services.vote_open(actor=admin, envelope=envelope, channels="both")
        envelope.refresh_from_db()
        envelope.election.min_group = 5
        envelope.election.save(update_fields=["min_group"])
    _online(module, ville, quartier, projects, nord)
    _paper(module, ville, admin, agent or admin)
    for envelope in voting:
        _count_and_publish(admin, envelope)
    _results_phase(module)


def _projects(module: Module, admin: User, ville: Envelope, quartier: Envelope) -> list[Project]:
    """Most projects are the idea box's retained proposals (those of the Plateau Nord within its envelope go to it);
    the agents enter the few ideas received elsewhere. The services' answers are then published in bulk."""
    made: list[Project] = []
    for group in services.candidate_groups(module):
        origins = [item for item in group.items if item.pk not in group.linked_ids]
        local = [o for o in origins if _in_nord(o) and (getattr(o, "estimated_cost", None) or 0) <= quartier.amount]
        made += services.projects_from_candidates(actor=admin, module=module, origins=local, envelope=quartier)
        others = [o for o in origins if o not in local]
        made += services.projects_from_candidates(actor=admin, module=module, origins=others, envelope=ville)
    studied = {p.title: p for p in made}
    for n, (title, cost, place, _feasibility, _answer) in enumerate(PROJECTS):
        territory = Territory.objects.filter(slug=place).first() if place else None
        envelope = quartier if place == NORD and cost <= quartier.amount else ville
        data = {"envelope": envelope, "estimated_cost": min(cost, envelope.amount)}
        if title in studied:  # the idea box's idea, retained for study: the services give its cost
            made[made.index(studied[title])] = services.project_save(
                actor=admin, module=module, project=studied[title], data=data
            )
            continue
        data |= {  # without an idea box, the agent enters the idea received at the counter
            "title": title,
            "description": f"<p>Idée reçue à l'accueil de la mairie : {title.lower()}.</p>",
            "territory": territory,
            "latitude": (CENTRE[0] + Decimal(n % 3 - 1) / 200).quantize(Decimal("0.000001")),
            "longitude": (CENTRE[1] + Decimal(n // 3 - 1) / 150).quantize(Decimal("0.000001")),
        }
        made.append(services.project_save(actor=admin, module=module, project=None, data=data))
    _categorise(module, admin, ville, made)
    by_title = {p.title: p for p in made}
    studied_titles = {title for title, *_rest in PROJECTS}
    linked = [p for p in made if p.origin == Project.Origin.PROPOSAL and p.title not in studied_titles]
    if linked:
        services.answers_prepare(
            actor=admin,
            projects=linked,
            feasibility="feasible",
            answer="Retenue par la ville, chiffrée par le service.",
        )
    for title, _cost, _place, feasibility, answer in PROJECTS:
        # merged with the idea box's garden (with the agent's birdhouses when there is no idea box)
        target = by_title.get("Un jardin partagé aux Tilleuls") or by_title["Des nichoirs et hôtels à insectes"]
        merged = target if feasibility == "merged" else None
        services.answers_prepare(
            actor=admin, projects=[by_title[title]], feasibility=feasibility, answer=answer, merged_into=merged
        )
    services.answers_publish(actor=admin, projects=made)
    return [Project.objects.get(pk=p.pk) for p in made]


def _in_nord(origin: object) -> bool:
    territory = getattr(origin, "territory", None)
    return getattr(territory, "slug", "") == NORD


def _categorise(module: Module, admin: User, ville: Envelope, projects: list[Project]) -> None:
    """The city envelope's categories, « Nature et climat » with a minimum share the tally funds first."""
    categories = {c.name: c for c in services.categories_save(actor=admin, envelope=ville, categories=CATEGORIES)}
    for project in projects:
        if project.envelope_id != ville.pk:
            continue
        title = project.title.lower()
        name = next((n for n, words in CATEGORY_WORDS.items() if any(w in title for w in words)), "Cadre de vie")
        services.project_save(actor=admin, module=module, project=project, data={"category": categories[name]})


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
        if in_nord and quartier.election_id:
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
