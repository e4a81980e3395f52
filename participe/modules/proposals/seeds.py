"""Demo content of a proposals module: a dozen proposals of Lumerac's residents, most of them placed on the map around
the town centre, supported and commented by the demo residents, two of them entered by an agent (one received on
paper, one in a neighbourhood meeting), three official answers (retenue, non retenue with its motive, réalisée), and
two unanswered proposals given to the agent's service (one of them overdue: the queue of the services shows it).

Everything goes through the module's services and the shared ones (supports, comments), so the audit log, the
search index and the counters are right. Supports and comments need the current phase to allow them and the demo
residents to be eligible: when they are not, the proposals stay without them (the seeds never fail on a phase).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from participe.accounts.models import User
from participe.assignments.models import Assignment, AssignmentEvent
from participe.attachments.services import attachment_add
from participe.comments.services import comment_create
from participe.core import demo_images
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.services import analysis as services_analysis
from participe.modules.proposals.services import proposals as services
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Module
from participe.supports.services import support_add

# Each proposal: author (a demo resident's pseudonym, or ("paper"|"meeting", pseudonym or None) when an agent
# entered it), days since it was deposited, its fields (theme and territory by slug, location as latitude,
# longitude), the pseudonyms supporting it, its comments (author, stance, text, replies: (author or "agent", text))
# and the official answer (status, text), if any. Lumerac's town centre is at 49.2731 N, 3.8615 E.
PROPOSALS: list[dict[str, Any]] = [
    {
        "author": "Camille_des_Tilleuls",
        "days": 18,
        "title": "Des bancs et de l'ombre sur la place du Marché",
        "body": "<p>Le samedi, les personnes âgées et les parents avec des poussettes n'ont nulle part où s'asseoir "
        "sur la place du Marché. L'été, elle est en plein soleil.</p><ul><li>Une dizaine de bancs avec dossier et "
        "accoudoirs</li><li>Des arbres ou des voiles d'ombrage au-dessus</li></ul>",
        "theme": "cadre-de-vie",
        "territory": "centre-ville",
        "location": (49.273320, 3.861150),
        "address": "Place du Marché",
        "supports": ["Karim", "jeanne.m", "Marcel_D"],
        "comments": [
            (
                "jeanne.m",
                "favorable",
                "Oui ! Avec des bancs à dossier : les bancs droits sont impossibles pour le dos.",
                [("Camille_des_Tilleuls", "Tout à fait, je l'ajoute à la proposition.")],
            ),
            (
                "Karim",
                "neutral",
                "Bonne idée, mais il faudra garder la place libre pour les étals le samedi matin.",
                [
                    (
                        "agent",
                        "Les bancs seraient installés en bordure, hors de l'emprise du marché : le service de la "
                        "voirie étudie leur emplacement avec le placier.",
                    )
                ],
            ),
        ],
        "answer": None,
    },
    {
        "author": "Karim",
        "days": 16,
        "title": "Une piste cyclable protégée entre la gare et le collège du Plateau",
        "body": "<p>Les collégiens du Plateau Nord viennent à vélo depuis la gare par l'avenue de la Gare, où les "
        "voitures roulent vite. Une piste séparée de la chaussée par une bordure les protégerait.</p>",
        "theme": "mobilites",
        "territory": "plateau-nord",
        "location": (49.278150, 3.862900),
        "address": "Avenue de la Gare",
        "supports": ["Camille_des_Tilleuls", "jeanne.m"],
        "comments": [
            (
                "Camille_des_Tilleuls",
                "favorable",
                "Mon fils fait ce trajet tous les jours : c'est la priorité du quartier.",
                [],
            ),
            (
                "Marcel_D",
                "unfavorable",
                "Il faudra supprimer du stationnement, et les riverains de l'avenue n'ont pas de garage.",
                [("Karim", "Le trottoir est large : on peut prendre la place sur lui plutôt que sur les voitures.")],
            ),
        ],
        "cost": 180_000,
        "answer": (
            Proposal.AnswerStatus.SELECTED,
            "<p>Proposition retenue. La piste bidirectionnelle sera réalisée pendant les vacances d'été sur "
            "1,2 km, de la gare au collège, séparée de la chaussée par une bordure de 30 cm. Coût estimé : "
            "180 000 €, inscrit au budget 2027. Les 14 places de stationnement supprimées sont compensées rue "
            "des Écoles.</p>",
        ),
    },
    {
        "author": "jeanne.m",
        "days": 15,
        "title": "Un jardin partagé au parc des Tilleuls",
        "body": "<p>Une parcelle inutilisée au fond du parc des Tilleuls pourrait accueillir une vingtaine de bacs "
        "cultivés par les habitants, avec un récupérateur d'eau de pluie et un abri à outils.</p>",
        "theme": "environnement",
        "territory": "les-tilleuls",
        "location": (49.277480, 3.853950),
        "address": "Parc des Tilleuls, entrée rue des Acacias",
        "supports": ["Camille_des_Tilleuls", "Karim", "Marcel_D"],
        "comments": [
            (
                "Karim",
                "favorable",
                "L'association des locataires est prête à animer le jardin et à en tenir les clés.",
                [],
            ),
        ],
        "answer": None,
    },
    {
        "author": "Camille_des_Tilleuls",
        "days": 14,
        "title": "Des toilettes publiques près de l'aire de jeux des bords de Vesle",
        "body": "<p>L'aire de jeux des bords de Vesle attire beaucoup de familles, mais les premières toilettes "
        "sont à la mairie, à un kilomètre. Des toilettes sèches, ouvertes en journée, suffiraient.</p>",
        "theme": "cadre-de-vie",
        "territory": "bords-de-vesle",
        "location": (49.268650, 3.862400),
        "address": "Quai de la Vesle, aire de jeux",
        "supports": ["jeanne.m"],
        "comments": [],
        "answer": None,
    },
    {
        "author": "jeanne.m",
        "days": 13,
        "title": "Rouvrir le chemin de halage aux piétons et aux vélos",
        "body": "<p>Le chemin de halage le long de la Vesle est fermé depuis la crue de 2024. Remis en état, il "
        "relierait les Tilleuls au centre-ville sans passer par la départementale.</p>",
        "theme": "mobilites",
        "territory": "bords-de-vesle",
        "location": (49.267920, 3.857800),
        "address": "Chemin de halage, pont de la Vesle",
        "supports": ["Karim", "Camille_des_Tilleuls"],
        "comments": [
            ("Camille_des_Tilleuls", "favorable", "Ce serait le plus beau trajet à vélo de la ville.", []),
        ],
        "answer": None,
    },
    {
        "author": "Karim",
        "days": 12,
        "title": "Un parking souterrain sous la place du Marché",
        "body": "<p>Pour libérer la place des voitures sans pénaliser les commerçants, un parking souterrain de "
        "300 places permettrait de stationner au cœur du centre-ville.</p>",
        "theme": "mobilites",
        "territory": "centre-ville",
        "location": (49.273050, 3.860900),
        "address": "Place du Marché",
        "supports": ["Marcel_D"],
        "comments": [
            (
                "jeanne.m",
                "unfavorable",
                "Des années de travaux sur la place et un coût énorme : investissons plutôt dans les navettes.",
                [],
            ),
        ],
        "answer": (
            Proposal.AnswerStatus.REJECTED,
            "<p>Non retenue. L'étude de 2022 chiffre un parking de 300 places à 12 millions d'euros, soit quatre "
            "années du budget d'investissement de la voirie ; le sous-sol de la place abrite en outre des vestiges "
            "médiévaux protégés. La ville étudie à la place une navette gratuite depuis le parking des Tilleuls, "
            "dans la concertation sur le réaménagement de la place.</p>",
        ),
    },
    {
        "author": ("paper", "Marcel_D"),
        "days": 11,
        "title": "Une boîte à livres devant la médiathèque",
        "body": "<p>Proposition reçue sur papier à l'accueil de la mairie : une boîte où chacun dépose et emprunte "
        "des livres librement, devant la médiathèque, pour ceux qui n'y viennent pas aux heures d'ouverture.</p>",
        "theme": "culture",
        "territory": "centre-ville",
        "location": (49.272380, 3.862950),
        "address": "Médiathèque, 4 rue Haute",
        "supports": ["jeanne.m", "Camille_des_Tilleuls"],
        "comments": [],
        "answer": (
            Proposal.AnswerStatus.DONE,
            "<p>Réalisée : la boîte à livres, fabriquée par les élèves du lycée professionnel, est installée devant "
            "la médiathèque depuis le 2 avril. Les bibliothécaires la réapprovisionnent chaque semaine.</p>",
        ),
    },
    {
        "author": ("meeting", None),
        "days": 9,
        "title": "Un composteur collectif rue de la Croix-Rouge",
        "body": "<p>Proposition recueillie lors de la réunion publique du quartier de la Croix-Rouge : les habitants "
        "des immeubles n'ont pas de jardin pour composter leurs déchets de cuisine.</p>",
        "theme": "environnement",
        "territory": "la-croix-rouge",
        "location": (49.271780, 3.871200),
        "address": "Rue de la Croix-Rouge, square des Platanes",
        "supports": ["Karim"],
        "comments": [],
        "answer": None,
    },
    {
        "author": "Karim",
        "days": 7,
        "title": "Ouvrir la piscine le soir en semaine",
        "body": "<p>La piscine municipale ferme à 19 h. Ceux qui travaillent ne peuvent y aller que le week-end, "
        "quand elle est bondée. Deux soirées jusqu'à 21 h 30 changeraient beaucoup de choses.</p>",
        "theme": "sport",
        "territory": None,
        "location": None,
        "address": "",
        "supports": ["Camille_des_Tilleuls"],
        "comments": [],
        "answer": None,
    },
    {
        "author": "Camille_des_Tilleuls",
        "days": 5,
        "title": "Éclairer le chemin entre l'arrêt de bus et le collège",
        "body": "<p>En hiver, les collégiens descendent du bus à la nuit tombée et traversent un chemin sans "
        "éclairage de 300 mètres. Des lampadaires à détection de présence suffiraient.</p>",
        "theme": "education",
        "territory": "plateau-nord",
        "location": (49.282900, 3.864100),
        "address": "Chemin du Collège, arrêt « Plateau »",
        "supports": ["Karim", "jeanne.m"],
        "comments": [
            ("Karim", "favorable", "Indispensable, et à détection pour ne pas gêner la faune le reste de la nuit.", []),
        ],
        "answer": None,
    },
    {
        "author": "jeanne.m",
        "days": 3,
        "title": "Végétaliser la cour de l'école Jean-Macé",
        "body": "<p>La cour goudronnée de l'école Jean-Macé dépasse 45 °C en juin. Des arbres, des îlots de pleine "
        "terre et un revêtement clair la rendraient vivable, et ouverte aux habitants le samedi.</p>",
        "theme": "education",
        "territory": "centre-ville",
        "location": (49.274050, 3.859600),
        "address": "École Jean-Macé, rue des Écoles",
        "supports": [],
        "comments": [],
        "answer": None,
    },
    {
        "author": "Karim",
        "days": 1,
        "title": "Un skatepark au Plateau Nord",
        "body": "<p>Les jeunes du Plateau font du skate sur le parking du supermarché faute de mieux. Un petit "
        "skatepark près du gymnase leur donnerait un lieu à eux.</p>",
        "theme": "sport",
        "territory": "plateau-nord",
        "location": (49.284100, 3.861300),
        "address": "Près du gymnase du Plateau",
        "supports": [],
        "comments": [],
        "answer": None,
    },
]
# The ideas the city retained for the vote of the budget participatif, with the cost the services estimated: the
# budget's seeds turn them into its projects through participe.links (participe/modules/budgets/seeds.py).
# (author, days ago, title, theme, quartier, (latitude, longitude), address, cost in €, what the resident asked)
RETAINED: list[tuple[str, int, str, str, str, tuple[float, float], str, int, str]] = [
    (
        "jeanne.m",
        19,
        "Des fontaines à eau dans les parcs",
        "cadre-de-vie",
        "",
        (49.2742, 3.8598),
        "Parcs de la ville",
        45_000,
        "L'été, on ne trouve pas d'eau potable dans les parcs pour les enfants.",
    ),
    (
        "Karim",
        19,
        "Des abris vélos sécurisés aux gares",
        "mobilites",
        "",
        (49.2705, 3.8660),
        "Gare centrale et halte du Plateau",
        120_000,
        "Des abris fermés pour laisser son vélo toute la journée.",
    ),
    (
        "Camille_des_Tilleuls",
        18,
        "Un skatepark au parc de la Vesle",
        "sport",
        "bords-de-vesle",
        (49.2688, 3.8602),
        "Parc de la Vesle",
        180_000,
        "Les jeunes n'ont aucun lieu pour rouler : un skatepark dessiné avec eux.",
    ),
    (
        "Marcel_D",
        17,
        "Des toilettes publiques accessibles au centre",
        "cadre-de-vie",
        "centre-ville",
        (49.2729, 3.8622),
        "Rue de la République",
        95_000,
        "Deux cabines accessibles aux fauteuils, ouvertes tard.",
    ),
    (
        "jeanne.m",
        17,
        "Un terrain de basket rénové à la Croix-Rouge",
        "sport",
        "la-croix-rouge",
        (49.2668, 3.8541),
        "Allée des Sports",
        75_000,
        "Le revêtement est défoncé et les paniers n'ont plus de filet.",
    ),
    (
        "Karim",
        15,
        "Un éclairage solaire du chemin de halage",
        "mobilites",
        "bords-de-vesle",
        (49.2676, 3.8668),
        "Chemin de halage",
        140_000,
        "Le soir, le chemin est noir : des lampadaires solaires à détection.",
    ),
    (
        "Camille_des_Tilleuls",
        14,
        "Une fresque participative au collège",
        "culture",
        "la-croix-rouge",
        (49.2659, 3.8561),
        "Collège Paul-Fort",
        15_000,
        "Un mur gris à peindre avec les élèves et un artiste.",
    ),
    (
        "jeanne.m",
        13,
        "Des cours d'école végétalisées",
        "education",
        "",
        (49.2748, 3.8640),
        "Écoles Jean-Macé et Louise-Michel",
        210_000,
        "Remplacer le bitume par des arbres et de la terre.",
    ),
    (
        "Marcel_D",
        12,
        "Un parcours sportif au bois de la Garenne",
        "sport",
        "",
        (49.2793, 3.8520),
        "Bois de la Garenne",
        55_000,
        "Dix agrès en bois le long du sentier, pour tous les âges.",
    ),
    (
        "Karim",
        11,
        "Des bancs et des tonnelles place Carnot",
        "cadre-de-vie",
        "centre-ville",
        (49.2737, 3.8608),
        "Place Carnot",
        60_000,
        "De l'ombre et des bancs à dossier pour s'arrêter en ville.",
    ),
    (
        "Camille_des_Tilleuls",
        10,
        "Un jardin partagé aux Tilleuls",
        "environnement",
        "les-tilleuls",
        (49.2770, 3.8531),
        "Rue des Lilas",
        38_000,
        "Des bacs cultivés par les voisins, avec un récupérateur d'eau.",
    ),
    (
        "jeanne.m",
        9,
        "Une ressourcerie mobile",
        "environnement",
        "",
        (49.2719, 3.8631),
        "Marchés de la ville",
        35_000,
        "Un camion qui collecte et répare les objets, un samedi par quartier.",
    ),
    (
        "Karim",
        8,
        "Des arceaux vélos au Plateau Nord",
        "mobilites",
        "plateau-nord",
        (49.2788, 3.8634),
        "Avenue du Plateau",
        18_000,
        "Quarante arceaux devant les commerces et le collège.",
    ),
    (
        "Camille_des_Tilleuls",
        7,
        "Une aire de jeux au square des Acacias",
        "cadre-de-vie",
        "plateau-nord",
        (49.2801, 3.8619),
        "Square des Acacias",
        62_000,
        "Des jeux pour les 2-10 ans, le square n'en a aucun.",
    ),
    (
        "jeanne.m",
        6,
        "Un verger partagé au Plateau",
        "environnement",
        "plateau-nord",
        (49.2810, 3.8648),
        "Coulée verte du Plateau",
        22_000,
        "Trente arbres fruitiers plantés et cueillis par les habitants.",
    ),
    (
        "Marcel_D",
        5,
        "Des bancs le long de l'avenue du Plateau",
        "cadre-de-vie",
        "plateau-nord",
        (49.2795, 3.8600),
        "Avenue du Plateau",
        14_000,
        "Douze bancs pour les aînés qui montent à pied au centre commercial.",
    ),
    (
        "Karim",
        4,
        "Un terrain de pétanque au Plateau",
        "sport",
        "plateau-nord",
        (49.2817, 3.8627),
        "Place des Tilleuls du Plateau",
        9_000,
        "Deux pistes éclairées près du centre social.",
    ),
    (
        "Camille_des_Tilleuls",
        2,
        "Une table de ping-pong au Plateau",
        "sport",
        "plateau-nord",
        (49.2806, 3.8663),
        "Parc du Plateau",
        6_000,
        "Une table en béton, solide, pour les ados du quartier.",
    ),
]


def _retained(
    author: Any,
    days: int,
    title: str,
    theme: str,
    territory: str,
    location: tuple[float, float],
    address: str,
    asked: str,
    answer: str,
    cost: int | None = None,
) -> dict[str, Any]:
    """A proposal the services retained (for the vote or for their study): what the resident asked as its body,
    no supports or comments, the answer « retenue » with ``answer`` as its text and the services' cost if given."""
    data: dict[str, Any] = {
        "author": author,
        "days": days,
        "title": title,
        "body": f"<p>{asked}</p>",
        "theme": theme,
        "territory": territory or None,
        "location": location,
        "address": address,
        "supports": [],
        "comments": [],
        "answer": (Proposal.AnswerStatus.SELECTED, answer),
    }
    if cost is not None:
        data["cost"] = cost
    return data


PROPOSALS += [
    _retained(
        author,
        days,
        title,
        theme,
        territory,
        location,
        address,
        asked,
        answer=f"<p>Proposition retenue pour le vote du budget participatif 2027. Coût estimé par les services : "
        f"{cost:,} €.</p>".replace(",", "\u202f"),
        cost=cost,
    )
    for author, days, title, theme, territory, location, address, cost, asked in RETAINED
]
# Ideas received at the town hall's counter and entered in the idea box by the agent, retained for the services'
# study before the vote: the budget's analysis gives their cost and feasibility (participe/modules/budgets/seeds.py).
# ((origin, author), days ago, title, theme, quartier, (latitude, longitude), address, what the resident asked)
STUDIED: list[tuple[tuple[str, str], int, str, str, str, tuple[float, float], str, str]] = [
    (
        ("counter", "Marcel_D"),
        16,
        "Une boîte à livres par quartier",
        "culture",
        "",
        (49.2726, 3.8601),
        "Quartiers de la ville",
        "Des boîtes où déposer et prendre des livres, une par quartier.",
    ),
    (
        ("paper", "jeanne.m"),
        15,
        "Des nichoirs et hôtels à insectes",
        "environnement",
        "",
        (49.2748, 3.8632),
        "Parcs et jardins",
        "Pour les oiseaux et les pollinisateurs des parcs.",
    ),
    (
        ("counter", "Karim"),
        14,
        "Une piscine couverte",
        "sport",
        "",
        (49.2712, 3.8588),
        "Quartier de la gare",
        "Un bassin ouvert toute l'année pour les écoles et les familles.",
    ),
    (
        ("paper", "Marcel_D"),
        13,
        "Un tramway jusqu'au Plateau",
        "mobilites",
        "plateau-nord",
        (49.2790, 3.8615),
        "Avenue du Plateau",
        "Relier le Plateau Nord au centre sans voiture.",
    ),
    (
        ("counter", "Camille_des_Tilleuls"),
        12,
        "Des composteurs de quartier",
        "environnement",
        "",
        (49.2737, 3.8649),
        "Quartiers de la ville",
        "Des bacs partagés pour les épluchures des immeubles.",
    ),
    (
        ("meeting", "Karim"),
        11,
        "Un city-stade au Plateau Nord",
        "sport",
        "plateau-nord",
        (49.2811, 3.8641),
        "Plateau Nord",
        "Un terrain multisport clos pour les jeunes du quartier.",
    ),
]
PROPOSALS += [
    _retained(
        author,
        days,
        title,
        theme,
        territory,
        location,
        address,
        asked,
        answer="<p>Idée retenue pour l'étude des services : son coût et sa faisabilité seront publiés avec les "
        "projets du budget participatif 2027.</p>",
    )
    for author, days, title, theme, territory, location, address, asked in STUDIED
]

ORIGINS = {"paper": Proposal.Origin.PAPER, "meeting": Proposal.Origin.MEETING}


def seed(module: Module) -> None:
    """Create the demo proposals of a proposals module (once), with supports, comments and answers."""
    if Proposal.objects.filter(module=module).exists():
        return
    agent = module.space.created_by or User.objects.filter(is_org_admin=True).order_by("pk").first()
    names = {p["author"][1] if isinstance(p["author"], tuple) else p["author"] for p in PROPOSALS}
    names |= {name for p in PROPOSALS for name in p["supports"]}
    names |= {c[0] for p in PROPOSALS for c in p["comments"]} | {
        r[0] for p in PROPOSALS for c in p["comments"] for r in c[3]
    }
    people: dict[str, User] = {u.pseudonym: u for u in User.objects.filter(pseudonym__in=names - {None, "agent"})}
    themes = {t.slug: t for t in Theme.objects.all()}
    territories = {t.slug: t for t in Territory.objects.all()}
    for data in PROPOSALS:
        proposal = _proposal(module, data, people, agent, themes, territories)
        if proposal is None:
            continue
        _picture(proposal, agent)
        _date(proposal, data["days"])
        _supports(proposal, data["supports"], people)
        _comments(proposal, data["comments"], people, agent)
        if data["answer"] and agent is not None:
            status, text = data["answer"]
            if data.get("cost"):
                services_analysis.proposal_assess(
                    actor=agent, proposal=proposal, feasibility="feasible", estimated_cost=Decimal(data["cost"])
                )
            services_analysis.answer_publish(actor=agent, proposal=proposal, status=status, answer=text)
    _route(module, agent)


# Pictures of some demo proposals (drawn by participe.core.demo_images), with the alternative text their author wrote.
PICTURES = {
    "Des bancs et de l'ombre sur la place du Marché": ("place", "Dessin de bancs à l'ombre d'arbres sur une place"),
    "Une piste cyclable protégée entre la gare et le collège du Plateau": (
        "velo",
        "Dessin d'une piste cyclable séparée de la route, entre des arbres",
    ),
    "Un jardin partagé au parc des Tilleuls": ("jardin", "Dessin de bacs de fleurs et d'arbres le long d'une allée"),
    "Rouvrir le chemin de halage aux piétons et aux vélos": ("riviere", "Dessin d'un chemin qui longe une rivière"),
    "Végétaliser la cour de l'école Jean-Macé": ("ecole", "Dessin d'une école avec des arbres et des massifs fleuris"),
}


def _picture(proposal: Proposal, agent: User | None) -> None:
    """Attach the proposal's picture through the attachments' service, as its author would (or the agent)."""
    picture = PICTURES.get(proposal.title)
    if picture is None:
        return
    upload = SimpleUploadedFile("photo.png", demo_images.illustration(picture[0], proposal.pk), "image/png")
    for actor in (proposal.author, agent):
        if actor is None:
            continue
        try:
            attachment_add(actor=actor, target=proposal, uploaded_file=upload, title=picture[1])
            return
        except (ValidationError, PermissionDenied):
            upload.seek(0)


def _route(module: Module, agent: User | None) -> None:
    """Give the two oldest unanswered proposals to the agent's service, the oldest past its due date."""
    service = agent.services.order_by("pk").first() if agent is not None else None
    if agent is None or service is None or not agent.has_perm("proposals.manage_proposals", module):
        return
    waiting = list(
        Proposal.objects.filter(module=module, status="published", answer_status="").order_by("published_at")[:2]
    )
    services_analysis.proposals_assign(actor=agent, proposals=waiting, service=service, reason="Démonstration")
    if waiting:
        given = waiting[0].published_at + datetime.timedelta(days=1)
        routed = Assignment.objects.filter(object_id=waiting[0].pk, module=module)
        routed.update(assigned_at=given, due_at=min(given + datetime.timedelta(days=7), timezone.now()))
        AssignmentEvent.objects.filter(object_id=waiting[0].pk, module=module).update(created_at=given)


def _fields(data: dict[str, Any], themes: dict[str, Theme], territories: dict[str, Territory]) -> dict[str, Any]:
    latitude, longitude = data["location"] or (None, None)
    return {
        "title": data["title"],
        "body": data["body"],
        "theme": themes.get(data["theme"]),
        "territory": territories.get(data["territory"] or ""),
        "latitude": latitude,
        "longitude": longitude,
        "address": data["address"],
    }


def _proposal(
    module: Module,
    data: dict[str, Any],
    people: dict[str, User],
    agent: User | None,
    themes: dict[str, Theme],
    territories: dict[str, Territory],
) -> Proposal | None:
    """Deposit one proposal for its author, or as the agent who received it (on paper, in a meeting): None when
    nobody can (no demo accounts) or the module's settings refuse it (a location or a theme required)."""
    fields = _fields(data, themes, territories)
    author = data["author"]
    try:
        if isinstance(author, tuple) or author not in people:
            if agent is None:
                return None
            origin, name = author if isinstance(author, tuple) else ("counter", author)
            return services_analysis.proposal_enter(
                agent=agent,
                module=module,
                data=fields,
                origin=ORIGINS.get(origin, Proposal.Origin.COUNTER),
                author=people.get(name or ""),
                name="" if name else "Association des locataires de la Croix-Rouge",
            )
        # The staff deposit the demo's proposals for their authors, whatever the phase; without staff, the residents
        # deposit them themselves while the phase allows it.
        resident = people[author]
        return services.proposal_create(
            actor=agent or resident, author=resident, module=module, data=fields, publish=True
        )
    except (ValidationError, PermissionDenied):
        return None


def _date(proposal: Proposal, days: int) -> None:
    """Spread the demo over the last weeks (the services date what they write "now"), within the module's life."""
    when = timezone.now() - datetime.timedelta(days=days, hours=days % 5)
    phase = proposal.module.phases.order_by("start").first()
    if phase is not None and when < phase.start:
        when = phase.start + datetime.timedelta(hours=days)
    Proposal.objects.filter(pk=proposal.pk).update(published_at=when, created_at=when)
    StatusChange.objects.filter(proposal=proposal, kind=StatusChange.Kind.PUBLISHED).update(created_at=when)
    proposal.published_at = when


def _supports(proposal: Proposal, supporters: list[str], people: dict[str, User]) -> None:
    for name in supporters:
        user = people.get(name)
        if user is None:
            continue
        try:
            support_add(actor=user, target=proposal, entered_by=user.managed_by if user.managed_by_id else None)
        except (PermissionDenied, ValidationError):
            return  # the phase does not open supports, or the residents are not eligible
    proposal.refresh_from_db(fields=["supports_count"])
    services.proposal_retain_if_reached(proposal=proposal)


def _comments(proposal: Proposal, threads: list[Any], people: dict[str, User], agent: User | None) -> None:
    """Post the stance comments and their replies (an official one from the agent) through the comments app."""
    for author_name, stance, body, replies in threads:
        author = people.get(author_name)
        if author is None:
            continue
        try:
            comment = _comment(proposal, author, body=body, stance=stance)
            for reply_author, reply in replies:
                replier = agent if reply_author == "agent" else people.get(reply_author)
                if replier is not None:
                    _comment(proposal, replier, body=reply, parent=comment, official=reply_author == "agent")
        except (PermissionDenied, ValidationError):
            return  # the phase does not open comments, or the residents are not eligible


def _comment(
    proposal: Proposal, author: User, *, body: str, stance: str = "", parent: Any = None, official: bool = False
) -> Any:
    entered_by = author.managed_by if getattr(author, "managed_by_id", None) else None
    return comment_create(
        actor=author,
        target=proposal,
        body=body,
        stance=stance,
        parent=parent,
        as_official=official,
        entered_by=entered_by,
    )
