"""The demo's bilan: the place du Marché démarche publishes a mid-way bilan — an introduction, the decisions taken,
every section shown — after the collectivité answered two more contributions of its debate officially (the others
stay « sans réponse », as they would). Run by ``load_demo`` through ``backoffice.hooks``, after the commitments;
idempotent: nothing is done once the démarche has a bilan."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from participe.accounts.models import User
from participe.comments.models import Comment
from participe.comments.services import comment_create
from participe.restitution import services
from participe.restitution.models import Bilan
from participe.spaces.models import Space

SPACE = "place-du-marche"
# A debate contribution (a word of it) → the collectivité's official reply.
ANSWERS = {
    "arbres": "Vingt arbres d'essences locales seront plantés sur la moitié sud de la place, avec douze bancs à "
    "l'ombre : c'est le premier engagement de ce bilan. Une fontaine à boire est à l'étude avec le service des eaux.",
    "stationnement": "Les places réservées aux personnes à mobilité réduite et aux livraisons restent au bord de la "
    "place. Le parking de la gare, à quatre minutes à pied, devient gratuit le samedi matin pendant l'essai.",
}
INTRODUCTION = (
    "<p>Depuis l'ouverture de la concertation, les habitants de Lumerac débattent de l'avenir de la place du "
    "Marché, répondent au questionnaire sur leurs déplacements et votent pour le nom de la future place. "
    "Ce bilan d'étape rassemble ce qu'ils ont dit, ce que la ville leur a répondu et ce à quoi elle s'engage.</p>"
    "<p>Les contributions encore sans réponse recevront la leur avant les ateliers de conception.</p>"
)
DECISIONS = (
    "<p>Le conseil municipal a retenu quatre orientations issues de la concertation :</p>"
    "<ul><li>ombrager la place et y installer des bancs à dossier ;</li>"
    "<li>essayer pendant six mois la piétonnisation du samedi matin, jour de marché ;</li>"
    "<li>reconstruire une halle couverte au nord de la place ;</li>"
    "<li>sécuriser les traversées piétonnes autour de la place.</li></ul>"
    "<p>La suppression complète du stationnement n'est pas retenue : les places réservées sont maintenues.</p>"
)


def _answer(agent: User, space: Space) -> None:
    """Official replies of the agent to the debate contributions that ``ANSWERS`` name and that have none."""
    for word, text in ANSWERS.items():
        comment = (
            Comment.objects.filter(
                module__space=space,
                parent__isnull=True,
                official_role="",
                deleted_at__isnull=True,
                body__icontains=word,
            )
            .order_by("pk")
            .first()
        )
        if comment is None or comment.replies.exclude(official_role="").exists():
            continue
        try:
            comment_create(actor=agent, target=comment.target, body=text, parent=comment, as_official=True)
        except (PermissionDenied, ValidationError):  # the phase no longer takes comments: the bilan says so
            continue


def seed_demo(admin: User) -> None:
    """The place du Marché's bilan, published (none when the démarche is missing or already has one)."""
    space = Space.objects.filter(slug=SPACE).first()
    if space is None or Bilan.objects.filter(space=space).exists():
        return
    if space.created_by is not None:
        _answer(space.created_by, space)
    services.bilan_save(actor=admin, space=space, introduction=INTRODUCTION, decisions=DECISIONS,
                        sections=Bilan.Section.values)  # fmt: skip
    services.bilan_publish(actor=admin, space=space)
