"""The free-text answers of a questionnaire, as contributions the synthesis reads (``Resource.contribution_items``,
decision 0034).

Each answer of a short or long text question, and each precision of an « autre, précisez » choice, of the submitted
responses (not the test ones) becomes a ``Contribution`` linked to the questionnaire's page and naming its question.
An anonymous questionnaire's answers (decision 0016) carry nothing more: no response, no respondent, no territory, no
day, and their references number them in the order of the responses' random ids, so that nothing in a synthesis
links an answer to another of the same response or to a moment. A questionnaire that is not anonymous adds the
respondent's territory and the day of the response, as a proposal has its author's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from participe.core.registry import Contribution
from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.results.listing import has_listed_answers, listed_answers
from participe.modules.surveys.results.scope import is_anonymous

CHUNK = 2_000
Kind = Question.Kind


def free_texts(module: Any) -> Iterator[Contribution]:
    questionnaire = Questionnaire.objects.filter(module=module).select_related("module").first()
    if questionnaire is None:
        return
    anonymous = is_anonymous(questionnaire)
    url = questionnaire.get_absolute_url()
    kind = _("réponse libre")
    questions = questionnaire.questions.exclude(kind__in=(Kind.FILE, Kind.SECTION)).prefetch_related("choices")
    for question in questions.order_by("pk"):
        if not has_listed_answers(question):
            continue
        answers = listed_answers(question).filter(response__submitted_at__isnull=False, response__is_test=False)
        if anonymous:
            rows = answers.order_by("response_id").values_list("text", flat=True)
            for number, text in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
                yield Contribution(
                    text=text,
                    url=url,
                    reference=f"surveys.question:{question.pk}:{number}",
                    kind=kind,
                    question=question.title,
                )
            continue
        named = answers.select_related("response__territory", "response__participant__territory").order_by("pk")
        for answer in named.iterator(chunk_size=CHUNK):
            response = answer.response
            participant = response.participant
            territory = response.territory or (participant.territory if participant is not None else None)
            yield Contribution(
                text=answer.text,
                url=url,
                reference=f"surveys.answer:{answer.pk}",
                kind=kind,
                question=question.title,
                territory=str(territory) if territory is not None else "",
                date=response.submitted_at.date() if response.submitted_at else None,
            )
