"""Demo content of a debate module: two questions on the Saturday market, answered by the demo residents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from participe.accounts.models import User
from participe.comments.services import comment_create
from participe.modules.debate import services
from participe.modules.debate.models import Subject
from participe.spaces.models import Module
from participe.spaces.selectors import staff_of

# (author pseudonym, stance, text, replies: (author pseudonym or "agent", text)); "Marcel_D" has no email:
# the agent who manages his account types his comments for him ("saisi par un agent").
SUBJECTS: list[dict[str, Any]] = [
    {
        "title": "Faut-il piétonniser la place du Marché le samedi ?",
        "summary": "Le samedi, la place accueille le marché et 1 800 voitures. La ville envisage de la réserver "
        "aux piétons de 7 h à 19 h.",
        "body": "<h2>Le contexte</h2><p>Le marché du samedi rassemble 64 commerçants. Les voitures continuent de "
        "traverser la place et de chercher à s'y garer, au milieu des piétons et des poussettes.</p>"
        "<h2>Ce qui est envisagé</h2><ul><li>Place fermée à la circulation le samedi de 7 h à 19 h</li>"
        "<li>Livraisons des commerçants avant 8 h</li><li>Navette gratuite depuis le parking des Tilleuls</li></ul>"
        "<h2>Ce que nous voulons savoir</h2><p>Y êtes-vous favorable ? Qu'est-ce qui vous inquiète ? "
        "Quelles conditions rendraient ce changement acceptable pour vous ?</p>",
        "comments": [
            (
                "Camille_des_Tilleuls",
                "favorable",
                "Oui ! Le samedi matin avec les enfants, traverser la place est stressant. Sans voitures, on pourrait "
                "enfin flâner entre les étals.",
                [
                    (
                        "Karim",
                        "D'accord, à condition que la navette passe assez souvent, au moins tous les quarts d'heure.",
                    )
                ],
            ),
            (
                "Karim",
                "neutral",
                "Pourquoi pas, mais les commerçants de la rue Haute ont besoin que leurs clients puissent se garer. "
                "Il faudrait une période d'essai de quelques mois avant de décider.",
                [
                    (
                        "agent",
                        "Merci pour cette proposition : une phase d'essai de trois mois au printemps est étudiée. "
                        "Les commerçants seront consultés en réunion le 14 mars.",
                    )
                ],
            ),
            (
                "Marcel_D",
                "unfavorable",
                "Je ne conduis plus beaucoup mais mon fils m'emmène au marché en voiture le samedi. Avec ma canne, "
                "je ne peux pas marcher depuis le parking des Tilleuls.",
                [
                    (
                        "jeanne.m",
                        "Il faudrait garder quelques places réservées aux personnes à mobilité réduite près de la place.",
                    )
                ],
            ),
            (
                "jeanne.m",
                "favorable",
                "Dans beaucoup de villes, le marché piéton attire plus de monde. Je suis favorable, avec des bancs "
                "et de l'ombre.",
                [],
            ),
        ],
    },
    {
        "title": "Quels usages pour la place en dehors des jours de marché ?",
        "summary": "Terrasses, jeux pour enfants, arbres, stationnement : comment partager la place le reste de la "
        "semaine ?",
        "body": "<p>En dehors des mardis et samedis, la place sert surtout de parking. Le futur aménagement peut "
        "lui donner d'autres usages.</p><h2>Les pistes à débattre</h2><ul><li>Agrandir les terrasses des cafés</li>"
        "<li>Planter une vingtaine d'arbres pour rafraîchir la place l'été</li><li>Installer des jeux pour les "
        "enfants et des bancs</li><li>Garder une partie du stationnement</li></ul>",
        "comments": [
            (
                "jeanne.m",
                "favorable",
                "Des arbres, surtout ! L'été dernier, la place était un four. Un coin de jeux ombragé ferait venir les "
                "familles du quartier.",
                [("Camille_des_Tilleuls", "Et une fontaine à boire, il n'y en a aucune dans le centre.")],
            ),
            (
                "Karim",
                "unfavorable",
                "Supprimer tout le stationnement serait une erreur : les habitants des rues voisines n'ont pas de "
                "garage. Gardons au moins la moitié des places.",
                [],
            ),
        ],
    },
]


def _comment(
    subject: Subject, author: User, *, body: str, stance: str = "", parent: Any = None, official: bool = False
) -> Any:
    entered_by = author.managed_by if getattr(author, "managed_by_id", None) else None
    return comment_create(
        actor=author,
        target=subject,
        body=body,
        stance=stance,
        parent=parent,
        as_official=official,
        entered_by=entered_by,
    )


def _comments(subject: Subject, threads: list[Any], agent: User | None) -> None:
    """Post the demo comments through the comments app (skipped if the debate is closed)."""
    pseudonyms = {t[0] for t in threads} | {r[0] for t in threads for r in t[3]}
    people: dict[str, User | None] = {u.pseudonym: u for u in User.objects.filter(pseudonym__in=pseudonyms)}
    people["agent"] = agent
    for author_name, stance, body, replies in threads:
        author = people.get(author_name)
        if author is None:
            continue
        try:
            comment = _comment(subject, author, body=body, stance=stance)
            for reply_author, reply in replies:
                replier = people.get(reply_author)
                if replier is not None:
                    _comment(subject, replier, body=reply, parent=comment, official=reply_author == "agent")
        except (PermissionDenied, ValidationError):
            # The phase does not open comments or the residents are not eligible: the demo keeps the questions
            # without comments.
            return


def seed(module: Module) -> None:
    """Create the demo questions of a debate module (once), published, with comments from the demo residents."""
    if Subject.objects.filter(module=module).exists():
        return
    staff = staff_of(module.space)
    if staff is None:
        return
    # The city's replies come from the agent who runs the space (a member of a service: an official comment).
    agent = module.space.created_by or staff
    for data in SUBJECTS:
        fields = {k: data[k] for k in ("title", "summary", "body")}
        subject = services.subject_create(actor=staff, module=module, data=fields)
        subject = services.subject_publish(actor=staff, subject=subject)
        _comments(subject, data["comments"], agent)
