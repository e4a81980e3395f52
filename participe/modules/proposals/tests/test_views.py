"""Public pages of the proposals module: list, map and its feed, a proposal, submitting, editing, withdrawing."""

from __future__ import annotations

import datetime
import html
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from participe.attachments.models import Attachment
from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory, switch_phase
from participe.spaces.models import Space
from participe.supports.services import support_add
from tests.factories import ServiceFactory, ThemeFactory, UserFactory, make_agent, make_space_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(name: str, module, **kwargs) -> str:
    return reverse(f"spaces:proposals:{name}", kwargs={"slug": module.space.slug, "module_slug": module.slug, **kwargs})


@pytest.fixture
def module():
    return ProposalModuleFactory(title="Boîte à idées du centre-ville")


@pytest.fixture
def resident(client):
    user = UserFactory(pseudonym="camille")
    client.force_login(user)
    return user


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides) -> dict:
    data = {
        "title": "Des bancs à l'ombre place du Marché",
        "body": "<p>Les personnes âgées n'ont nulle part où s'asseoir l'été.</p>",
        "address": "Place du Marché",
        "latitude": "48.856613",
        "longitude": "2.352222",
        "action": "publish",
    }
    data.update(overrides)
    return data


# --- the list -------------------------------------------------------------------------------------------------
def test_the_module_page_lists_published_proposals_only(client, module):
    ProposalFactory(module=module, title="Un composteur rue Haute", comments_count=3)
    ProposalFactory(module=module, title="Brouillon secret", status=Proposal.Status.DRAFT)
    ProposalFactory(module=module, title="Masquée par la modération", moderation_status=ModerationStatus.HIDDEN)
    ProposalFactory(module=module, title="Idée abandonnée", status=Proposal.Status.WITHDRAWN)
    response = client.get(module.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Boîte à idées du centre-ville</h1>" in page
    assert "Un composteur rue Haute" in page and "3 commentaires" in page
    assert "1 proposition" in page
    assert "Brouillon secret" not in page and "Masquée par la modération" not in page and "Idée abandonnée" not in page
    assert "Le dépôt est ouvert" in page
    assert "Connectez-vous pour déposer une proposition" in page


def test_the_author_sees_their_pending_proposal_and_their_drafts(client, module, resident):
    ProposalFactory(module=module, author=resident, title="En attente", moderation_status=ModerationStatus.PENDING)
    ProposalFactory(module=module, author=resident, title="Mon brouillon", status=Proposal.Status.DRAFT)
    page = text(client.get(module.get_absolute_url()))
    assert "En attente" in page
    assert "Mes brouillons" in page and "Mon brouillon" in page
    assert "Déposer une proposition" in page


def test_filters_sorts_and_the_mine_filter(client, module, resident):
    theme = ThemeFactory(name="Nature", slug="nature")
    ProposalFactory(module=module, title="Des arbres rue Basse", theme=theme, supports_count=5)
    ProposalFactory(module=module, title="Un parking vélo", supports_count=9)
    ProposalFactory(module=module, title="Ma propre idée", author=resident)
    page = text(client.get(module.get_absolute_url(), {"theme": "nature"}))
    assert "Des arbres rue Basse" in page and "Un parking vélo" not in page
    page = text(client.get(module.get_absolute_url(), {"tri": "soutenues"}))
    assert page.index("Un parking vélo") < page.index("Des arbres rue Basse")
    page = text(client.get(module.get_absolute_url(), {"mes": "1"}))
    assert "Ma propre idée" in page and "Un parking vélo" not in page


def test_a_bad_filter_is_explained_and_the_rest_applies(client, module):
    ProposalFactory(module=module, title="Une fontaine")
    response = client.get(module.get_absolute_url(), {"theme": "inconnu", "tri": "n-importe"})
    page = text(response)
    assert response.status_code == 200
    assert "Ce thème n'existe pas" in page and "Cet ordre n'existe pas" in page
    assert "Une fontaine" in page


def test_the_random_order_is_stable_for_a_visitor(client, module):
    for n in range(30):
        ProposalFactory(module=module, title=f"Idée numéro {n:02d}")
    first = text(client.get(module.get_absolute_url()))
    again = text(client.get(module.get_absolute_url()))
    order = [line for line in first.splitlines() if "Idée numéro" in line]
    assert order == [line for line in again.splitlines() if "Idée numéro" in line]


def test_afficher_plus_works_without_javascript_and_with_htmx(client, module):
    for n in range(25):
        ProposalFactory(
            module=module, title=f"Proposition {n:02d}", published_at=timezone.now() - datetime.timedelta(hours=n)
        )
    response = client.get(module.get_absolute_url(), {"tri": "recentes"})
    page = text(response)
    assert "Proposition 00" in page and "Proposition 19" in page and "Proposition 20" not in page
    next_url = response.context["next_url"]
    assert next_url and "apres=" in next_url
    # Without JavaScript: a page of its own with the next items.
    page = text(client.get(module.get_absolute_url() + next_url))
    assert "Proposition 20" in page and "Proposition 24" in page and "Proposition 19" not in page
    assert "Revenir au début de la liste" in page
    # With htmx: only the items to append and the new "more" block.
    fragment = text(client.get(module.get_absolute_url() + next_url, headers={"HX-Request": "true"}))
    assert 'hx-swap-oob="beforeend:#proposal-list"' in fragment
    assert "Proposition 20" in fragment and "<h1>" not in fragment
    assert "data-focus-on-swap" in fragment


def test_htmx_filters_return_the_results_only(client, module):
    ProposalFactory(module=module, title="Une fontaine")
    fragment = text(client.get(module.get_absolute_url(), {"q": ""}, headers={"HX-Request": "true"}))
    assert "Une fontaine" in fragment and "<h1>" not in fragment
    assert 'id="proposal-count"' in fragment and 'hx-swap-oob="innerHTML"' in fragment


def test_the_list_makes_a_bounded_number_of_queries(client, module, resident):
    for _ in range(3):
        ProposalFactory(module=module, theme=ThemeFactory(), supports_count=1)
    with CaptureQueriesContext(connection) as few:
        client.get(module.get_absolute_url())
    for _ in range(15):
        ProposalFactory(module=module, theme=ThemeFactory(), supports_count=1)
    with CaptureQueriesContext(connection) as many:
        client.get(module.get_absolute_url())
    assert len(many) <= len(few) + 1  # the list of themes in the filters grows, nothing per proposal


# --- the map --------------------------------------------------------------------------------------------------
def test_the_map_page_lists_the_located_proposals_and_links_the_feed(client, module):
    ProposalFactory(module=module, title="Sur la carte", latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    ProposalFactory(module=module, title="Sans lieu")
    response = client.get(url("map", module), {"tri": "recentes"})
    page = text(response)
    assert response.status_code == 200
    assert "Sur la carte" in page and "Sans lieu" not in page
    assert "data-proposals-map" in page and "propositions.geojson?" in page and "tri=recentes" in page
    assert "vendor/leaflet/leaflet.js" in page and "vendor/leaflet.markercluster/leaflet.markercluster.js" in page
    # When the feed keeps only the most supported, the map says so (map.js fills in the number).
    assert "{shown} propositions affichées sur plus de {shown}" in page and "affinez les filtres" in page


def test_the_geojson_feed_has_the_same_filtered_set_as_the_list(client, module):
    theme = ThemeFactory(slug="eau")
    inside = ProposalFactory(
        module=module, title="Fontaine", theme=theme, latitude=Decimal("48.1"), longitude=Decimal("2.1")
    )
    ProposalFactory(module=module, title="Autre thème", latitude=Decimal("48.2"), longitude=Decimal("2.2"))
    ProposalFactory(
        module=module, title="Brouillon", status=Proposal.Status.DRAFT, latitude=Decimal("48"), longitude=Decimal("2")
    )
    response = client.get(url("geojson", module), {"theme": "eau"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and data["truncated"] is False
    assert [f["properties"]["title"] for f in data["features"]] == ["Fontaine"]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.1, 48.1]}
    assert feature["properties"]["url"] == inside.get_absolute_url()


def test_the_geojson_feed_refuses_a_bad_zone(client, module):
    response = client.get(url("geojson", module), {"zone": "a,b"})
    assert response.status_code == 400
    assert "zone" in json.loads(response.content)["errors"]


# --- a proposal -----------------------------------------------------------------------------------------------
def test_the_proposal_page_shows_everything(client, module, resident):
    proposal = ProposalFactory(
        module=module,
        title="Un jardin partagé",
        address="Square Lafayette",
        latitude=Decimal("48.85"),
        longitude=Decimal("2.35"),
        answer_status=Proposal.AnswerStatus.SELECTED,
        answer="<p>Le jardin sera créé au printemps.</p>",
        answered_at=timezone.now(),
        entered_by=UserFactory(),
        origin=Proposal.Origin.PAPER,
    )
    StatusChange.objects.create(proposal=proposal, kind=StatusChange.Kind.PUBLISHED)
    response = client.get(proposal.get_absolute_url())
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Un jardin partagé</h1>" in page
    assert "Réponse de la collectivité" in page and "Le jardin sera créé au printemps." in page
    assert "Saisie par un agent (sur papier)" in page
    assert "Square Lafayette" in page and 'data-lat="48.850000"' in page
    assert "Soutenir" in page and "Commentaires" in page and "Suivre" in page
    assert "Lien de cette proposition, à partager" in page and "http://testserver" + proposal.get_absolute_url() in page
    assert "Historique" in page and "Proposition déposée" in page


def test_a_draft_is_visible_to_its_author_only(client, module):
    author = UserFactory()
    draft = ProposalFactory(module=module, author=author, status=Proposal.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(author)
    page = text(client.get(draft.get_absolute_url()))
    assert "Brouillon : vous seul le voyez" in page and "Déposer la proposition" in page


def test_a_proposal_of_a_private_space_sends_visitors_to_the_login_page(client):
    module = ProposalModuleFactory(space__visibility=Space.Visibility.PRIVATE)
    proposal = ProposalFactory(module=module)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_proposal_page_marks_the_threshold_reached(client):
    module = ProposalModuleFactory(settings={"support_threshold": 2})
    proposal = ProposalFactory(module=module)
    for supporter in UserFactory.create_batch(2):
        support_add(actor=supporter, target=proposal)
    page = text(client.get(proposal.get_absolute_url()))
    assert "Retenue pour analyse" in page and "Le seuil de 2 soutiens a été atteint" in page
    proposal.refresh_from_db()
    assert proposal.retained_at is not None


# --- submitting -----------------------------------------------------------------------------------------------
def test_a_resident_submits_a_geolocated_proposal_with_an_image(client, module, resident):
    response = client.post(url("create", module), {**form_data(), "image": png(), "image_alt": "La place vide en été"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.author == resident and proposal.is_published and proposal.reference == 1
    assert proposal.latitude == Decimal("48.856613") and proposal.address == "Place du Marché"
    assert Attachment.objects.filter(object_id=proposal.pk, title="La place vide en été").exists()
    page = text(client.get(proposal.get_absolute_url()))
    assert "Votre proposition est déposée" in page


def test_a_visitor_is_sent_to_the_login_page(client, module):
    response = client.get(url("create", module))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_submitting_is_refused_outside_the_depot_phase(client, module, resident):
    switch_phase(module, "analyse")
    response = client.get(url("create", module))
    assert response.status_code == 403
    assert "Le dépôt n'est pas ouvert pendant cette étape." in text(response)  # the phase step's reason


def test_errors_are_shown_next_to_the_fields_and_the_text_is_kept(client, module, resident):
    response = client.post(url("create", module), form_data(title="Bancs", body="", latitude="95"))
    page = text(response)
    assert response.status_code == 400
    assert Proposal.objects.count() == 0
    assert 'value="Bancs"' in page
    assert "La proposition n'est pas encore enregistrée" in page
    assert 'aria-invalid="true"' in page


def test_the_service_errors_come_back_on_the_form(client, module, resident):
    response = client.post(url("create", module), form_data(title="Bancs", body=""))
    page = text(response)
    assert response.status_code == 400
    assert "Le titre doit compter au moins" in page and "Décrivez votre proposition" in page
    assert Proposal.objects.count() == 0


def test_a_refused_file_cancels_everything_and_says_why(client, module, resident):
    bad = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(url("create", module), {**form_data(), "image": bad, "image_alt": "Une photo"})
    assert response.status_code == 400
    assert Proposal.objects.count() == 0
    page = text(response)
    assert "choisissez-les à nouveau" in page
    assert "Des bancs à l'ombre place du Marché" in page


def test_a_draft_is_saved_then_deposited(client, module, resident):
    response = client.post(url("create", module), form_data(action="draft", body=""))
    draft = Proposal.objects.get()
    assert draft.status == Proposal.Status.DRAFT and draft.reference == 0
    assert response["Location"] == url("edit", module, pk=draft.pk)
    response = client.post(url("edit", module, pk=draft.pk), form_data(action="publish"))
    draft.refresh_from_db()
    assert draft.is_published and draft.reference == 1
    assert response["Location"] == draft.get_absolute_url()


def test_checking_for_duplicates_saves_nothing_and_lists_similar_titles(client, module, resident):
    existing = ProposalFactory(module=module, title="Des bancs place du Marché")
    services_index(existing)
    response = client.post(url("create", module), form_data(action="check"))
    page = text(response)
    assert response.status_code == 200 and Proposal.objects.count() == 1
    assert "Des propositions semblables existent déjà" in page and "Des bancs place du Marché" in page


def test_similar_titles_fragment_for_htmx(client, module, resident):
    existing = ProposalFactory(module=module, title="Un composteur collectif rue Haute")
    services_index(existing)
    response = client.get(url("similar", module), {"title": "composteurs"}, headers={"HX-Request": "true"})
    assert "Un composteur collectif rue Haute" in text(response) and "<h1>" not in text(response)
    page = text(client.get(url("similar", module), {"title": "composteurs"}))
    assert "<h1>Propositions semblables</h1>" in page


def services_index(proposal):
    from participe.search.services import index_object

    index_object(proposal)


# --- editing, withdrawing, deleting ---------------------------------------------------------------------------
def test_the_author_edits_while_nobody_supports_it(client, module, resident):
    proposal = ProposalFactory(module=module, author=resident)
    response = client.post(
        url("edit", module, pk=proposal.pk), form_data(action="save", title="Des bancs et des arbres place du Marché")
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Des bancs et des arbres place du Marché"
    support_add(actor=UserFactory(), target=proposal)
    assert client.get(url("edit", module, pk=proposal.pk)).status_code == 403
    page = text(client.get(proposal.get_absolute_url()))
    assert "elle ne peut plus être modifiée" in page


def test_someone_else_cannot_edit(client, module, resident):
    proposal = ProposalFactory(module=module)
    assert client.get(url("edit", module, pk=proposal.pk)).status_code == 403


def test_the_author_withdraws_their_proposal(client, module, resident):
    proposal = ProposalFactory(module=module, author=resident)
    assert "Retirer ma proposition" in text(client.get(url("withdraw", module, pk=proposal.pk)))
    response = client.post(url("withdraw", module, pk=proposal.pk), {"reason": "Elle existe déjà."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    page = text(client.get(proposal.get_absolute_url()))
    assert "Retirée par son auteur" in page and "ne peut plus être soutenue" in page
    assert proposal.title not in text(client.get(module.get_absolute_url()))


def test_the_author_deletes_a_draft(client, module, resident):
    draft = ProposalFactory(module=module, author=resident, status=Proposal.Status.DRAFT)
    response = client.post(url("delete", module, pk=draft.pk))
    assert response.status_code == 302 and not Proposal.objects.exists()


def test_a_published_proposal_cannot_be_deleted_by_its_author(client, module, resident):
    proposal = ProposalFactory(module=module, author=resident)
    assert client.post(url("delete", module, pk=proposal.pk)).status_code == 403


def test_an_agent_acting_for_a_resident_submits_in_their_name(client, module):
    agent = make_agent()
    resident = UserFactory(email="", pseudonym="sans-email", managed_by=agent)
    client.force_login(agent)
    session = client.session
    session["acting_for"] = resident.pk
    session.save()
    client.post(url("create", module), form_data())
    proposal = Proposal.objects.get()
    assert proposal.author == resident and proposal.entered_by == agent
    assert proposal.origin == Proposal.Origin.COUNTER


def test_publish_button_on_a_draft(client, module, resident):
    draft = ProposalFactory(module=module, author=resident, status=Proposal.Status.DRAFT)
    response = client.post(url("publish", module, pk=draft.pk))
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.is_published


def test_retain_reached_marks_the_list(client):
    module = ProposalModuleFactory(settings={"support_threshold": 1})
    proposal = ProposalFactory(module=module)
    support_add(actor=UserFactory(), target=proposal)
    client.get(module.get_absolute_url())
    proposal.refresh_from_db()
    assert proposal.retained_at is not None
    assert services.retain_reached(module) == 0


# --- links to the open data and to the back-office ------------------------------------------------------------
def test_the_module_page_links_the_open_data_exports_when_the_setting_is_on(client, module):
    ProposalFactory(module=module, title="Un composteur rue Haute")
    page = text(client.get(module.get_absolute_url()))
    assert 'id="proposals-open-data"' not in page and f"{module.slug}/donnees-ouvertes" not in page
    module.settings = {**module.settings, "open_data": True}
    module.save()
    page = text(client.get(module.get_absolute_url()))
    assert 'id="proposals-open-data"' in page
    for fmt in ("csv", "json", "geojson"):
        link = url("open_data", module, fmt=fmt)
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200
    assert "Télécharger en CSV (tableur)" in page and "Télécharger en GeoJSON (cartographie)" in page


def test_no_open_data_link_for_a_private_space(client, module):
    module.settings = {**module.settings, "open_data": True}
    module.save()
    module.space.visibility = Space.Visibility.PRIVATE
    module.space.save()
    member = UserFactory()
    module.space.memberships.create(user=member, role="member")
    client.force_login(member)
    response = client.get(module.get_absolute_url())
    assert response.status_code == 200 and f"{module.slug}/donnees-ouvertes" not in text(response)


def test_who_may_analyse_a_proposal_finds_the_link_to_its_analysis_page(client, module):
    service = ServiceFactory()
    proposal = ProposalFactory(module=module, service=service)
    link = reverse("backoffice:proposals:detail", args=[proposal.pk])
    assert link not in text(client.get(proposal.get_absolute_url()))  # a visitor
    client.force_login(UserFactory())
    assert link not in text(client.get(proposal.get_absolute_url()))  # a resident
    client.force_login(make_agent())
    assert link not in text(client.get(proposal.get_absolute_url()))  # an agent of another service
    agent = make_agent()
    service.members.add(agent)
    client.force_login(agent)
    page = text(client.get(proposal.get_absolute_url()))
    assert f'href="{link}"' in page and "Analyser dans la gestion" in page
    assert client.get(link).status_code == 200  # and the link leads somewhere they may go
    client.force_login(make_space_role(module.space, "admin"))
    assert "Analyser dans la gestion" in text(client.get(proposal.get_absolute_url()))
