"""Demo data of a votation: « Nom de la future place », four names, a polling station, online and paper ballots.

Run by ``make demo`` for the votation of the place du Marché démarche (``participe/backoffice/demo.py``), inside its
vote phase: residents verified for the demo vote online, an agent signs a dozen paper voters in at the station and the
paper ballots are typed twice; the administrator then closes and counts from the back-office.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from participe.accounts.models import User
from participe.ballots import identity
from participe.ballots import services as ballots
from participe.ballots.models import PollingStation
from participe.core.capabilities import Cap
from participe.modules.votation import services
from participe.modules.votation.models import Question
from participe.spaces.models import Module
from participe.verifications.models import EligibilityRule, Verification

NAMES = [
    ("Place des Tilleuls", "<p>Les tilleuls plantés en 1905 donnent leur ombre au marché.</p>"),
    ("Place Simone-Veil", "<p>En hommage à la femme d'État, comme l'a proposé le conseil municipal des jeunes.</p>"),
    ("Place du Marché-Couvert", "<p>Le nom rappelle la halle qui sera reconstruite au nord de la place.</p>"),
    ("Place de la Fontaine", "<p>La fontaine de 1860, restaurée, retrouvera le centre de la place.</p>"),
]
# The online voters' choices (index in NAMES), and the paper ballots as agents type them (B: blank, X: spoiled).
ONLINE = [0, 1, 1, 0, 2, 1, 3, 1, 0, 1, 2, 1, 0, 1, 3, 1, 1, 0, 2, 1, 1, 0, 1, 3]
PAPER = ["1", "2", "2", "4", "1", "2", "B", "3", "2", "1", "X", "2"]


def _staff() -> tuple[User | None, list[User]]:
    admin = User.objects.filter(Q(is_org_admin=True) | Q(is_superuser=True)).order_by("pk").first()
    agents = list(User.objects.filter(services__isnull=False).distinct().order_by("pk")[:1])
    return admin, agents


def seed(module: Module) -> None:
    """The question, its options, the election, a station, and ballots (needs an organisation administrator)."""
    admin, agents = _staff()
    if admin is None or Question.objects.filter(module=module).exists():
        return
    question = services.question_save(
        actor=admin,
        module=module,
        data={
            "text": "Quel nom donner à la future place du Marché ?",
            "description": "<p>La place rénovée ouvrira en 2027. Quatre noms ont été retenus parmi les "
            "propositions des habitants ; votez pour celui que vous préférez.</p>",
            "kind": Question.Kind.SINGLE,
            "electorate": 120,
            "threshold": 25,
        },
        election={"channels": "both", "publish_receipts": True, "territory_results": True, "min_group": 5},
    )
    for position, (title, description) in enumerate(NAMES, start=1):
        services.option_save(
            actor=admin,
            question=question,
            option=None,
            data={"title": title, "description": description, "position": position},
        )
    EligibilityRule.objects.get_or_create(module=module, action=Cap.VOTE, defaults={"min_age": 16})
    station = PollingStation(
        module=module,
        name="Mairie — salle des mariages",
        place="1 place de l'Hôtel-de-Ville",
        opening_hours="samedi 9 h – 18 h",
    )
    station.territory = module.space.territories.first()
    ballots.station_save(actor=admin, station=station, data={}, agents=[admin, *agents])
    _online(module, question)
    _paper(question, station, admin, agents)


def _online(module: Module, question: Question) -> None:
    options = list(question.options.order_by("position"))
    territory = module.space.territories.first()
    for n, choice in enumerate(ONLINE):
        voter, _created = User.objects.get_or_create(
            email=f"votant-{n}@lumerac.example", defaults={"pseudonym": f"votant-{n}", "territory": territory}
        )
        Verification.objects.get_or_create(
            user=voter,
            handler="counter",
            defaults={"territory": territory, "birth_date": datetime.date(1970 + n, 3, 1)},
        )
        ballots.ballot_cast(actor=voter, election=question.election, content={"choices": [options[choice].pk]})


def _paper(question: Question, station: PollingStation, admin: User, agents: list[User]) -> None:
    election = question.election
    first = agents[0] if agents else admin
    for n in range(len(PAPER)):
        person = identity.from_documents(f"Électeur{n}", "Papier", datetime.date(1950 + n, 6, 1), station.territory)
        ballots.roll_sign_paper(actor=first, election=election, station=station, voter=person)
    for agent in dict.fromkeys([first, admin]):  # two agents type the batch; with one, it waits for the second
        ballots.batch_enter(
            actor=agent, election=election, station=station, number=1, declared_count=len(PAPER), codes=PAPER
        )
