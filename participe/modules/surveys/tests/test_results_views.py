"""Results pages: the agents' page in the back-office (filters, cross-tabulation, answers), the public page and the
open-data files, and who may see them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from participe.modules.surveys.tests.factories import results_phase
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from participe.spaces.models import Space, SpaceMembership
from tests.factories import TerritoryFactory, UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    s = sample_questionnaire()
    north = TerritoryFactory(name="Quartier Nord")
    bus = s.choice(s.transport, "Bus")
    submit(s.questionnaire, full_answers(s), territory=north)
    submit(s.questionnaire, full_answers(s, transport=bus, satisfaction=2, comment="Plus de bus le soir"))
    submit(s.questionnaire, full_answers(s, transport=(s.choice(s.transport, "Autre"), "Trottinette")))
    s.north = north
    return s


@pytest.fixture
def admin_client(client):
    client.force_login(make_org_admin())
    return client


def results_url(sample, **params):
    url = reverse("backoffice:surveys:results", args=[sample.questionnaire.module_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def public_url(sample, name="results", **kwargs):
    module = sample.questionnaire.module
    return reverse(f"spaces:surveys:{name}", kwargs={"slug": module.space.slug, "module_slug": module.slug, **kwargs})


def set_settings(sample, **values):
    module = sample.questionnaire.module
    module.settings = {**module.settings, **values}
    module.save()


def test_agents_see_every_question_with_a_chart_and_its_table(admin_client, sample):
    html = admin_client.get(results_url(sample)).content.decode()
    assert "3 réponses reçues" in html
    assert html.count('role="img"') == 5  # single, multiple, ranking, scale, matrix
    assert html.count("<caption") == 5
    assert '<th scope="row">Voiture' in html and '<th scope="col">Pourcentage</th>' in html
    assert "33,3&nbsp;%" in html  # French decimals, a non-breaking space before %
    assert "Plus de bus le soir" in html  # free-text samples for agents
    assert "Lire la précision « autre » (1)" in html
    assert "Moyenne" in html and "Médiane" in html
    for title in ["Vos priorités", "Vous"]:
        assert f">{title}</h2>" in html
    assert 'style="' not in html and "<script>" not in html


def test_the_territory_filter_counts_its_respondents_only(admin_client, sample):
    html = admin_client.get(results_url(sample, territoire=sample.north.pk)).content.decode()
    assert "Résultats de 1 répondant du territoire « Quartier Nord »" in html
    assert "Plus de bus le soir" not in html
    html = admin_client.get(results_url(sample, territoire="aucun")).content.decode()
    assert "Résultats des 2 répondants sans territoire connu" in html


def test_a_crosstab_of_two_questions(admin_client, sample):
    s = sample
    html = admin_client.get(results_url(s, croiser=s.transport.pk, par=s.satisfaction.pk)).content.decode()
    assert "Croisement de deux questions" in html
    assert "3 répondants ont répondu aux deux questions" in html
    assert "« Comment venez-vous ? » (en lignes) selon « Êtes-vous satisfait du quartier ? » (en colonnes)" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"croiser": "rows"}, "par", "Choisissez aussi la question à croiser en colonnes."),
        ({"par": "rows"}, "croiser", "Choisissez aussi la question à croiser en lignes."),
        ({"croiser": "rows", "par": "rows"}, "par", "Choisissez deux questions différentes."),
        ({"croiser": "999999", "par": "rows"}, "croiser", "Sélectionnez un choix valide"),
    ],
)
def test_a_wrong_crosstab_says_why_next_to_the_field(admin_client, sample, params, field, message):
    params = {k: (sample.transport.pk if v == "rows" else v) for k, v in params.items()}
    html = admin_client.get(results_url(sample, territoire=sample.north.pk, **params)).content.decode()
    assert f'id="id_{field}-error"' in html and message in html
    assert (
        f'aria-describedby="id_{field}-hint id_{field}-error"' in html or f'aria-describedby="id_{field}-error"' in html
    )
    assert "Croisement de deux questions" not in html
    assert "Résultats de 1 répondant du territoire" in html  # the valid part of the form still applies
    assert f'<option value="{sample.north.pk}" selected>' in html  # what was chosen is kept


def test_free_text_answers_are_searchable_and_paged(admin_client, sample):
    s = sample
    for n in range(25):
        submit(s.questionnaire, full_answers(s, comment=f"Réponse {n} {'arbres' if n % 2 else 'bancs'}"))
    url = reverse("backoffice:surveys:question_answers", args=[s.comment.pk])
    html = admin_client.get(url).content.decode()
    assert html.count('class="survey-answer"') == 20
    assert "Réponse 24 bancs" in html
    cursor = re.search(r'href="\?apres=([^"]+)"', html).group(1)
    more = admin_client.get(f"{url}?apres={cursor}").content.decode()
    assert more.count('class="survey-answer"') == 8 and "Réponses suivantes" not in more
    fragment = admin_client.get(f"{url}?apres={cursor}", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="beforeend:#answers-list"' in fragment and "<h1>" not in fragment
    found = admin_client.get(url, {"q": "ARBRES"}).content.decode()
    assert found.count('class="survey-answer"') == 12 + 2 and "Réponses contenant « ARBRES »" in found
    nothing = admin_client.get(url, {"q": "introuvable"}).content.decode()
    assert "Aucune réponse ne correspond." in nothing


def test_other_precisions_and_files_have_their_list(admin_client, sample):
    s = sample
    submit(s.questionnaire, full_answers(s, photo=("plan du parc.pdf", b"%PDF-1.4")))
    html = admin_client.get(reverse("backoffice:surveys:question_answers", args=[s.transport.pk])).content.decode()
    assert "Trottinette" in html and "Précisions « autre »" in html
    html = admin_client.get(reverse("backoffice:surveys:question_answers", args=[s.photo.pk])).content.decode()
    link = re.search(r'href="(/gestion/m/surveys/reponses/\d+/fichier/)"', html).group(1)
    response = admin_client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    assert 'filename="plan du parc.pdf"' in response["Content-Disposition"]
    assert admin_client.get(reverse("backoffice:surveys:question_answers", args=[s.age.pk])).status_code == 404


def test_back_office_results_refuse_anyone_but_the_staff_of_the_space(client, sample):
    s = sample
    urls = [
        results_url(s),
        reverse("backoffice:surveys:question_answers", args=[s.comment.pk]),
        reverse("backoffice:surveys:exports", args=[s.questionnaire.module_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_agent())  # an agent of another service, not admin of this space
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_space_role(s.questionnaire.module.space, SpaceMembership.Role.MODERATOR))
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_space_role(s.questionnaire.module.space, SpaceMembership.Role.ADMIN))
    for url in urls:
        assert client.get(url).status_code == 200


def test_public_results_only_when_published_and_without_free_text(client, sample):
    assert client.get(public_url(sample)).status_code == 404
    set_settings(sample, results_public=True)
    response = client.get(public_url(sample))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Résultats : " in html and html.count('role="img"') == 5
    assert "Plus de bus le soir" not in html and "Trottinette" not in html
    assert "Les réponses libres ne sont pas publiées une à une." in html
    assert "/gestion/" not in html.split('<main id="contenu"')[1]
    assert 'id="donnees-ouvertes"' not in html


def test_public_results_stay_visible_in_the_results_phase(client, sample):
    set_settings(sample, results_public=True)
    results_phase(sample.questionnaire.module)
    response = client.get(public_url(sample))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Résultats : " in html and html.count('role="img"') == 5  # every chart, as during the answers
    assert "Ces résultats ne sont pas publiés" not in html and "Plus de bus le soir" not in html


def test_staff_preview_public_results_before_they_are_published(client, sample):
    client.force_login(make_org_admin())
    html = client.get(public_url(sample)).content.decode()
    assert "Ces résultats ne sont pas publiés" in html


def test_a_territory_with_too_few_respondents_is_not_published(client, sample):
    set_settings(sample, results_public=True)
    html = client.get(public_url(sample), {"territoire": sample.north.pk}).content.decode()
    assert "Moins de 10 personnes ont répondu dans ce territoire" in html
    assert 'role="img"' not in html
    for _n in range(9):
        submit(sample.questionnaire, full_answers(sample), territory=sample.north)
    html = client.get(public_url(sample), {"territoire": sample.north.pk}).content.decode()
    assert "Résultats des 10 répondants du territoire « Quartier Nord »" in html and 'role="img"' in html


def test_public_results_of_a_private_space_ask_to_sign_in(client, sample):
    set_settings(sample, results_public=True)
    Space.objects.filter(pk=sample.questionnaire.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    response = client.get(public_url(sample))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(public_url(sample)).status_code == 403


def test_open_data_files_when_the_module_says_so(client, sample):
    csv_url = public_url(sample, "open_data", extension="csv")
    json_url = public_url(sample, "open_data", extension="json")
    set_settings(sample, results_public=True)
    assert client.get(csv_url).status_code == 404
    set_settings(sample, results_open_data=True)
    assert 'id="donnees-ouvertes"' in client.get(public_url(sample)).content.decode()
    response = client.get(csv_url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "question" and rows[2][:6] == ["1", "Comment venez-vous ?", "single", "", "Bus", "1"]
    assert "Plus de bus le soir" not in response.content.decode()
    data = json.loads(client.get(json_url).content)
    assert data["respondents"] == 3 and data["questions"][0]["choices"][1]["count"] == 1
    assert client.get(public_url(sample, "open_data", extension="xml")).status_code == 404


def test_the_open_data_catalogue_serves_the_aggregated_results_when_the_module_publishes_them(client, sample):
    module = sample.questionnaire.module
    kwargs = {"slug": module.space.slug, "module_slug": module.slug, "export": "resultats", "fmt": "json"}
    url = reverse("opendata:download", kwargs=kwargs)
    assert client.get(url).status_code == 404
    set_settings(sample, results_open_data=True)
    payload = json.loads(b"".join(client.get(url).streaming_content))
    assert payload["questions"] and "Plus de bus le soir" not in json.dumps(payload, ensure_ascii=False)
