"""Demo content of a surveys module: the questionnaire « Vos déplacements au quotidien » of a commune.

It uses every kind of question, three sections (three pages) and one condition (the reasons for not cycling are
asked only of those who drive or take the bus). It is built through the builder services, which do not depend on
the phase; then an organisation administrator types in 36 paper questionnaires (« saisie d'un questionnaire
papier », allowed to the staff whatever the phase), so that the results pages have something to show. The seed
therefore works whether the module is in preparation, open to answers or showing its results.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.exceptions import PermissionDenied

from participe.accounts.models import User
from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.services import builder
from participe.modules.surveys.services.builder_checks import ChoiceSpec, RowSpec
from participe.spaces.models import Module
from participe.spaces.selectors import staff_of

INTRO = (
    "<p>La ville prépare son <strong>plan de mobilité 2027-2032</strong> : pistes cyclables, lignes de bus, "
    "stationnement, sécurité autour des écoles. Dites-nous comment vous vous déplacez aujourd'hui et ce qui vous "
    "aiderait à le faire plus facilement.</p>"
    "<ul><li>Durée : 8 minutes environ, en trois pages</li><li>Vos réponses sont enregistrées à chaque page : vous "
    "pouvez reprendre plus tard</li><li>Les résultats seront présentés en réunion publique et publiés ici</li></ul>"
)
CLOSING = (
    "<p>Merci pour votre participation ! Les résultats seront présentés lors de la réunion publique du "
    "<strong>mardi 14 avril à 18 h 30</strong>, salle des fêtes, puis publiés sur cette page.</p>"
)

# (kind, title, help text, required, config, choices ("…" at the end: "autre, précisez"), rows)
QUESTIONS: list[tuple[str, str, str, bool, dict[str, Any], list[str], list[str]]] = [
    ("section", "Vous et vos trajets", "Commençons par vos déplacements d'une semaine ordinaire.", False, {}, [], []),
    (
        "single",
        "Quel est votre principal mode de déplacement pour aller au travail, à l'école ou à l'université ?",
        "Celui que vous utilisez le plus souvent, sur la plus grande partie du trajet.",
        True,
        {},
        [
            "Voiture ou deux-roues motorisé",
            "Bus",
            "Vélo ou trottinette",
            "À pied",
            "Je ne me déplace pas pour le travail ou les études",
            "Autre, précisez…",
        ],
        [],
    ),
    (
        "multiple",
        "Qu'est-ce qui vous empêche de faire ce trajet à vélo ?",
        "Trois réponses au plus.",
        False,
        {"min_choices": 1, "max_choices": 3},
        [
            "La distance",
            "Pas de piste cyclable sûre sur mon trajet",
            "Pas de stationnement vélo sécurisé à l'arrivée",
            "Le relief",
            "La météo",
            "Je transporte des enfants ou des charges",
            "Autre, précisez…",
        ],
        [],
    ),
    (
        "number",
        "Combien de kilomètres compte ce trajet (aller simple) ?",
        "Une estimation suffit.",
        False,
        {"min": 0, "max": 200, "decimals": 1, "unit": "km"},
        [],
        [],
    ),
    (
        "date",
        "Depuis quand habitez-vous Lumerac ?",
        "Une date approximative suffit.",
        False,
        {"min": "1920-01-01"},
        [],
        [],
    ),
    ("section", "Votre avis sur les aménagements", "", False, {}, [], []),
    (
        "scale",
        "Dans l'ensemble, êtes-vous satisfait de vos déplacements dans Lumerac ?",
        "",
        True,
        {"min": 1, "max": 5, "min_label": "Pas du tout satisfait", "max_label": "Tout à fait satisfait"},
        [],
        [],
    ),
    (
        "matrix",
        "Comment jugez-vous les conditions de déplacement dans la commune ?",
        "Une réponse par ligne.",
        False,
        {},
        ["Bonnes", "Moyennes", "Mauvaises", "Sans avis"],
        [
            "Largeur et état des trottoirs",
            "Pistes et bandes cyclables",
            "Fréquence des bus",
            "Stationnement des voitures",
            "Sécurité aux abords des écoles",
        ],
    ),
    (
        "ranking",
        "Classez ces projets du plus prioritaire au moins prioritaire.",
        "1 pour le projet le plus important à vos yeux.",
        False,
        {"rank_all": True},
        [
            "Prolonger la piste cyclable des bords de Vesle jusqu'à la gare",
            "Un bus toutes les 10 minutes sur la ligne 2",
            "Une zone 30 dans tout le centre-ville",
            "Sécuriser les traversées près des écoles",
            "Des abris vélos fermés à la gare et au collège",
        ],
        [],
    ),
    ("section", "Pour finir", "Ces questions sont facultatives.", False, {}, [], []),
    (
        "short_text",
        "Quel trajet aimeriez-vous faire autrement ?",
        "Par exemple « de la Croix-Rouge à la gare, à vélo ».",
        False,
        {"max_length": 200},
        [],
        [],
    ),
    (
        "long_text",
        "Avez-vous d'autres suggestions pour améliorer vos déplacements ?",
        "",
        False,
        {"max_length": 3000},
        [],
        [],
    ),
    (
        "file",
        "Une photo d'un endroit difficile ou dangereux pour les piétons ou les cyclistes ?",
        "Photo ou document PDF ; évitez de photographier des personnes reconnaissables.",
        False,
        {"max_mb": 10},
        [],
        [],
    ),
]
CONDITION = (
    "Qu'est-ce qui vous empêche de faire ce trajet à vélo ?",
    "Quel est votre principal mode de déplacement pour aller au travail, à l'école ou à l'université ?",
    ["Voiture ou deux-roues motorisé", "Bus"],
)


def _choices(labels: list[str]) -> list[ChoiceSpec]:
    return [ChoiceSpec(label=label.rstrip("…"), is_other=label.endswith("…")) for label in labels]


PAPER_RESPONSES = 36
TRANSPORT_WEIGHTS = [38, 17, 16, 21, 6, 2]  # car, bus, bike, walking, none, other
SUGGESTIONS = [
    "Un parking à vélos couvert devant la mairie.",
    "Des bus plus tôt le matin : le premier passe après 7 h.",
    "Des trottoirs sans voitures garées dessus rue de la République.",
    "Un passage piéton éclairé devant l'école Jules-Ferry.",
    "",
]
TRIPS = ["De la Croix-Rouge à la gare, à vélo", "Des Tilleuls au centre-ville en bus", "", ""]


def questions_by_kind(questionnaire: Questionnaire) -> dict[str, Question]:
    """The demo questionnaire's questions by kind (it has one of each; the audit's fixtures use it too)."""
    return {q.kind: q for q in questionnaire.questions.prefetch_related("choices", "rows") if not q.is_section}


def sample_answer_values(questions: dict[str, Question], rng: random.Random) -> dict[str, Any]:
    """One demo respondent's answers, in the draft format of the answer pages."""
    values: dict[str, Any] = {}
    transport = questions["single"]
    modes = list(transport.choices.all())
    mode = rng.choices(modes, weights=TRANSPORT_WEIGHTS)[0]
    values[str(transport.pk)] = [str(mode.pk)]
    if mode.is_other:
        values[f"{transport.pk}-other"] = "Covoiturage avec des collègues"
    if mode.label in CONDITION[2]:
        obstacles = [c for c in questions["multiple"].choices.all() if not c.is_other]
        values[str(questions["multiple"].pk)] = [str(c.pk) for c in rng.sample(obstacles, rng.randint(1, 3))]
    if mode.position < 5:
        values[str(questions["number"].pk)] = [str(rng.choice([0.8, 1.5, 2, 3.5, 4, 6, 9, 12.5, 18])).replace(".", ",")]
    arrival = datetime.date(rng.randint(1978, 2024), rng.randint(1, 12), 1)
    values[str(questions["date"].pk)] = [arrival.isoformat()]
    values[str(questions["scale"].pk)] = [str(rng.choices([1, 2, 3, 4, 5], weights=[3, 8, 12, 9, 4])[0])]
    matrix = questions["matrix"]
    columns = list(matrix.choices.all())
    for row in matrix.rows.all():
        values[f"{matrix.pk}-{row.pk}"] = str(rng.choice(columns).pk)
    ranking = questions["ranking"]
    projects = list(ranking.choices.all())
    for rank, project in enumerate(rng.sample(projects, len(projects)), start=1):
        values[f"{ranking.pk}-rank-{project.pk}"] = str(rank)
    values[str(questions["short_text"].pk)] = [rng.choice(TRIPS)]
    values[str(questions["long_text"].pk)] = [rng.choice(SUGGESTIONS)]
    return values


def _paper_responses(questionnaire: Questionnaire) -> None:
    """Type in the demo paper questionnaires (through the answering service, as an agent at the counter would)."""
    from participe.modules.surveys.selectors import answering as selectors
    from participe.modules.surveys.services import answering

    agent = User.objects.filter(is_org_admin=True, is_active=True).order_by("pk").first()
    if agent is None:
        return
    questions = questions_by_kind(questionnaire)
    specs = selectors.question_specs(questionnaire)
    respondent = selectors.Respondent(entered_by=agent, is_paper=True)
    rng = random.Random(2027)  # the same demo every time
    for _n in range(PAPER_RESPONSES):
        try:
            answering.response_submit(
                questionnaire=questionnaire,
                respondent=respondent,
                draft=None,
                specs=specs,
                values=sample_answer_values(questions, rng),
                session={},
            )
        except (PermissionDenied, answering.AnswersInvalid):
            return  # the agent may not type answers in this module: the demo keeps an empty questionnaire


def seed(module: Module) -> None:
    """Create the demo questionnaire of a surveys module (once: a questionnaire with questions is left alone)."""
    questionnaire = builder.questionnaire_for_module(module)
    if questionnaire.questions.exists():
        return
    agent = staff_of(module.space)
    if agent is None:
        return  # nobody runs the space: the questionnaire stays empty
    builder.questionnaire_edit(
        actor=agent, questionnaire=questionnaire, data={"intro": INTRO, "closing_message": CLOSING}
    )
    created: dict[str, Question] = {}
    for kind, title, help_text, required, config, choices, rows in QUESTIONS:
        created[title] = builder.question_create(
            actor=agent,
            questionnaire=questionnaire,
            data={"kind": kind, "title": title, "help_text": help_text, "required": required, "config": config},
            choices=_choices(choices),
            rows=[RowSpec(label=label) for label in rows],
        )
    dependent, source, answers = CONDITION
    condition = created[source]
    builder.question_set_condition(
        actor=agent,
        question=created[dependent],
        condition_question=condition,
        choices=list(condition.choices.filter(label__in=answers)),
    )
    _paper_responses(questionnaire)
