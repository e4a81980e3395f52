"""Exports of a proposals module: the agents' (everything but private notes) and open data (no personal data)."""

from __future__ import annotations

import csv
import decimal
import io
import json

import pytest
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.assignments.models import Assignment
from participe.assignments.tests.factories import NoteFactory
from participe.core.models import ModerationStatus
from participe.core.sanitize import plain_text
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.spaces.models import Space
from tests.factories import ServiceFactory, TerritoryFactory, ThemeFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

PERSONAL = ("lea@example.org", "Durand", "autrice-secrete", "agent-saisie", "Note privée", "Devis à demander")


@pytest.fixture
def admin_client(client):
    client.force_login(make_org_admin())
    return client


@pytest.fixture
def module():
    return ProposalModuleFactory(slug="idees", space__slug="centre-ville", settings={"open_data": True})


@pytest.fixture
def proposals(module):
    author = UserFactory(pseudonym="autrice-secrete", email="lea@example.org", first_name="Léa", last_name="Durand")
    located = ProposalFactory(
        module=module,
        reference=1,
        title="Des bancs place du Marché",
        body="<p>Des bancs à l'ombre.</p><p>Pour les anciens &amp; les enfants.</p>",
        author=author,
        theme=ThemeFactory(name="Cadre de vie"),
        territory=TerritoryFactory(name="Centre", code="C01"),
        latitude=decimal.Decimal("45.764043"),
        longitude=decimal.Decimal("4.835659"),
        address="Place du Marché",
        service=ServiceFactory(name="Espaces verts"),
        feasibility="feasible",
        estimated_cost=decimal.Decimal("1500.00"),
        answer_status="selected",
        answer="<p>Retenue au budget.</p>",
        draft_answer_status="done",
        draft_answer="<p>Devis à demander</p>",
        supports_count=7,
    )
    NoteFactory(item=located, body="Note privée")
    paper = ProposalFactory(
        module=module,
        reference=2,
        title='=HYPERLINK("http://evil")',
        author=None,
        entered_by=UserFactory(pseudonym="agent-saisie"),
        origin=Proposal.Origin.PAPER,
    )
    draft = ProposalFactory(module=module, reference=0, title="Brouillon de quelqu'un", status=Proposal.Status.DRAFT)
    hidden = ProposalFactory(
        module=module, reference=3, title="Masquée par la modération", moderation_status=ModerationStatus.HIDDEN
    )
    return {"located": located, "paper": paper, "draft": draft, "hidden": hidden}


def read_csv(response) -> tuple[str, list[dict[str, str]]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return body, list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))


def read_json(response) -> dict:
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def test_plain_text_keeps_paragraphs_and_decodes_entities():
    assert plain_text("<p>Un &amp; deux</p><p>trois<br>quatre</p>") == "Un & deux\ntrois\nquatre"
    assert plain_text(None) == ""


# --- the agents' exports ------------------------------------------------------------------------------------
def test_the_agents_csv_is_for_spreadsheets_with_everything_but_the_notes(admin_client, module, proposals):
    response = admin_client.get(reverse("backoffice:proposals:export", args=[module.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="propositions-centre-ville-idees-' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    body, rows = read_csv(response)
    assert body.startswith("\ufeffnumero;id;titre;description;url;statut;")
    assert "Note privée" not in body and "Devis à demander" in body  # a prepared answer is no private note
    by_title = {row["titre"]: row for row in rows}
    row = by_title["Des bancs place du Marché"]
    assert row["description"] == "Des bancs à l'ombre.\nPour les anciens & les enfants."
    assert row["auteur"] == "autrice-secrete" and row["auteur_courriel"] == "lea@example.org"
    assert row["auteur_nom"] == "Léa Durand" and row["service"] == "Espaces verts"
    assert row["faisabilite"] == "réalisable" and row["cout_estime"] == "1500.00"
    assert row["reponse_statut"] == "retenue" and row["reponse"] == "Retenue au budget."
    assert row["latitude"] == "45.764043" and row["theme"] == "Cadre de vie" and row["code_territoire"] == "C01"
    assert row["url"].endswith(proposals["located"].get_absolute_url())
    assert row["statut"] == "déposée" and row["soutiens"] == "7"
    paper = by_title['\'=HYPERLINK("http://evil")']  # a formula is written as text
    assert paper["auteur"] == "anonyme" and paper["saisie_par"] == "agent-saisie" and paper["origine"] == "sur papier"
    # Drafts are their authors' own; a proposal hidden by moderation is still the agents' business.
    assert "Brouillon de quelqu'un" not in body and "Masquée par la modération" in by_title
    entry = AuditEntry.objects.get(action="proposals.export")
    assert entry.after["format"] == "csv"


def test_the_export_follows_the_list_filters(admin_client, module, proposals):
    url = reverse("backoffice:proposals:export", args=[module.pk, "json"])
    data = read_json(admin_client.get(url, {"statut": "", "q": "Masquée"}))
    assert [p["titre"] for p in data["propositions"]] == ["Masquée par la modération"]
    assert data["module"] == module.title and data["demarche"] == module.space.title


def test_the_agents_json_has_codes_and_numbers(admin_client, module, proposals):
    data = read_json(admin_client.get(reverse("backoffice:proposals:export", args=[module.pk, "json"])))
    first = data["propositions"][0]
    assert first["numero"] == 1 and first["statut"] == "published" and first["reponse_statut"] == "selected"
    assert first["latitude"] == 45.764043 and first["cout_estime"] == 1500.0
    assert first["date_depot"].startswith(str(proposals["located"].published_at.year))
    assert "Note privée" not in json.dumps(data, ensure_ascii=False)


def test_the_geojson_holds_the_located_proposals(admin_client, module, proposals):
    response = admin_client.get(reverse("backoffice:proposals:export", args=[module.pk, "geojson"]))
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    data = read_json(response)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.835659, 45.764043]}
    assert "latitude" not in feature["properties"] and feature["properties"]["titre"] == "Des bancs place du Marché"


def test_an_agent_exports_only_the_proposals_of_their_service(client, module, proposals):
    agent = make_agent()
    Assignment.objects.get(object_id=proposals["located"].pk).service.members.add(agent)
    client.force_login(agent)
    _body, rows = read_csv(client.get(reverse("backoffice:proposals:export", args=[module.pk, "csv"])))
    assert [row["titre"] for row in rows] == ["Des bancs place du Marché"]


def test_an_unknown_format_is_not_found(admin_client, module):
    assert admin_client.get(reverse("backoffice:proposals:export", args=[module.pk, "xlsx"])).status_code == 404


# --- open data ----------------------------------------------------------------------------------------------
def open_url(module, fmt: str) -> str:
    return reverse(
        "spaces:proposals:open_data", kwargs={"slug": module.space.slug, "module_slug": module.slug, "fmt": fmt}
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_open_data_holds_no_personal_data_nor_analysis(client, module, proposals, fmt):
    response = client.get(open_url(module, fmt))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "propositions-donnees-ouvertes-centre-ville-idees-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    for secret in PERSONAL:
        assert secret not in body, secret
    for hidden in ("Brouillon de quelqu'un", "Masquée par la modération", "Espaces verts", "1500"):
        assert hidden not in body, hidden
    assert "Des bancs place du Marché" in body and "Retenue au budget." in body


def test_open_data_columns(client, module, proposals):
    _body, rows = read_csv(client.get(open_url(module, "csv")))
    assert list(rows[0]) == [
        "numero", "id", "titre", "description", "url", "date_depot", "theme", "territoire", "code_territoire",
        "latitude", "longitude", "adresse", "origine", "soutiens", "commentaires", "seuil_atteint_le",
        "reponse_statut", "reponse", "date_reponse",
    ]  # fmt: skip


def test_open_data_applies_the_public_filters(client, module, proposals):
    data = read_json(client.get(open_url(module, "json"), {"statut": "retenue"}))
    assert [p["titre"] for p in data["propositions"]] == ["Des bancs place du Marché"]


def test_open_data_needs_the_setting_and_a_public_module(client, module, proposals):
    module.settings = {"open_data": False}
    module.save()
    assert client.get(open_url(module, "csv")).status_code == 404
    module.settings = {"open_data": True}
    module.save()
    module.space.visibility = Space.Visibility.PRIVATE
    module.space.save()
    assert client.get(open_url(module, "csv")).status_code == 404
    module.space.visibility = Space.Visibility.PUBLIC
    module.space.status = Space.Status.DRAFT
    module.space.save()
    assert client.get(open_url(module, "csv")).status_code == 404
    module.space.status = Space.Status.PUBLISHED
    module.space.save()
    assert client.get(open_url(module, "pdf")).status_code == 404
    assert client.get(open_url(module, "csv")).status_code == 200


def test_exports_stream_in_constant_queries(admin_client, module):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProposalFactory.create_batch(3, module=module, theme=ThemeFactory(), author=UserFactory())
    url = reverse("backoffice:proposals:export", args=[module.pk, "csv"])
    with CaptureQueriesContext(connection) as few:
        b"".join(admin_client.get(url).streaming_content)
    ProposalFactory.create_batch(
        20, module=module, theme=ThemeFactory(), author=UserFactory(), service=ServiceFactory()
    )
    with CaptureQueriesContext(connection) as many:
        b"".join(admin_client.get(url).streaming_content)
    assert len(many.captured_queries) == len(few.captured_queries)
