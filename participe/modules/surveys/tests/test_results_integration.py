"""The results read what the answering service writes: the same counts, statistics and export as the test helper
``results_data.submit`` (which the other results tests use) gives for the same answers."""

from __future__ import annotations

import csv
import io

import pytest

from participe.modules.surveys.models import ExportJob, Questionnaire, Tally
from participe.modules.surveys.results import Scope, results_for
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import answering, exports
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from tests.factories import TerritoryFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def posted(s, *, transport="Voiture", reasons=("Prix", "Temps"), satisfaction=4, age="42"):
    """The answers of ``full_answers`` in the draft format the answering service takes."""
    parcs, pistes, bancs = (s.choice(s.ranking, x) for x in ["Parcs", "Pistes cyclables", "Bancs"])
    values = {
        str(s.transport.pk): [str(s.choice(s.transport, transport).pk)],
        str(s.reasons.pk): [str(s.choice(s.reasons, x).pk) for x in reasons],
        f"{s.ranking.pk}-rank-{parcs.pk}": "1",
        f"{s.ranking.pk}-rank-{bancs.pk}": "2",
        f"{s.ranking.pk}-rank-{pistes.pk}": "3",
        str(s.satisfaction.pk): [str(satisfaction)],
        f"{s.matrix.pk}-{s.row('Piscine').pk}": str(s.choice(s.matrix, "Bien").pk),
        f"{s.matrix.pk}-{s.row('Médiathèque').pk}": str(s.choice(s.matrix, "Moyen").pk),
        str(s.age.pk): [age],
        str(s.arrival.pk): ["2015-09-01"],
        str(s.idea.pk): ["Des bancs"],
        str(s.comment.pk): ["Plus d'arbres rue des Écoles."],
    }
    if transport != "Voiture":
        del values[str(s.reasons.pk)]  # the conditional question is hidden
    return values


def answer_through_the_service(s, values, user=None):
    return answering.response_submit(
        questionnaire=Questionnaire.objects.get(pk=s.questionnaire.pk),
        respondent=Respondent(user=user),
        draft=None,
        specs=selectors.question_specs(s.questionnaire),
        values=values,
        session={},
    )


def summary(questionnaire, scope=None):
    results = results_for(Questionnaire.objects.get(pk=questionnaire.pk), scope or Scope())
    found = {}
    for result in results:
        found[result.number] = (
            result.answered,
            [(line.label, line.count, line.mean_rank) for line in result.lines],
            [(row.label, [c.count for c in row.cells]) for row in result.matrix],
            result.mean,
            result.stats and (result.stats.count, result.stats.minimum, result.stats.maximum, result.stats.median),
            result.answers_count,
        )
    return results.respondents, found


def export_rows(questionnaire):
    job = ExportJob.objects.create(questionnaire=questionnaire, requested_by=make_org_admin(), format="csv")
    job = exports.export_run(job.pk)
    with job.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig")), delimiter=";"))
    return [row[1:] if index == 0 else row[2:] for index, row in enumerate(rows)]  # no receipt, no time


def test_results_of_the_answering_service_match_those_of_the_test_helper():
    north = TerritoryFactory(name="Nord")
    by_service = sample_questionnaire()
    by_helper = sample_questionnaire()
    resident = UserFactory(territory=north)
    answer_through_the_service(by_service, posted(by_service), user=resident)
    answer_through_the_service(by_service, posted(by_service, transport="Bus", satisfaction=2, age="19"))
    submit(by_helper.questionnaire, full_answers(by_helper), territory=north)
    s = by_helper
    submit(
        s.questionnaire, full_answers(s, transport=s.choice(s.transport, "Bus"), reasons=None, satisfaction=2, age="19")
    )

    assert summary(by_service.questionnaire) == summary(by_helper.questionnaire)
    assert summary(by_service.questionnaire, Scope.of_territory(north)) == summary(
        by_helper.questionnaire, Scope.of_territory(north)
    )
    assert summary(by_service.questionnaire)[0] == 2
    keys = sorted(Tally.objects.filter(question__questionnaire=by_service.questionnaire).values_list("key", flat=True))
    assert f"0:0:4:{north.pk}" in keys and "0:0:2:0" in keys  # scale values, by territory of the respondent
    assert export_rows(by_service.questionnaire) == export_rows(by_helper.questionnaire)
