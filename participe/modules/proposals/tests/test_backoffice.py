"""Back-office pages of a proposals module: the list, the analysis page, answers in bulk, entering for a resident."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.assignments.models import Assignment, Note
from participe.assignments.tests.factories import NoteFactory
from participe.core.pagination import InvalidCursor
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.selectors import analysis as agent_selectors
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.notifications.models import Notification
from tests.factories import ServiceFactory, ThemeFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin():
    return make_org_admin(pseudonym="admin-mairie")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def module():
    return ProposalModuleFactory(title="Boîte à idées du centre")


def urls_of(module, proposal) -> list[str]:
    return [
        reverse("backoffice:proposals:index"),
        reverse("backoffice:proposals:list", args=[module.pk]),
        reverse("backoffice:proposals:answers", args=[module.pk]),
        reverse("backoffice:proposals:create_on_behalf", args=[module.pk]),
        reverse("backoffice:proposals:import", args=[module.pk]),
        reverse("backoffice:proposals:export", args=[module.pk, "csv"]),
        reverse("backoffice:proposals:detail", args=[proposal.pk]),
    ]


# --- access -------------------------------------------------------------------------------------------------
def test_every_page_sends_visitors_to_the_login_page(client, module):
    for url in urls_of(module, ProposalFactory(module=module)):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/login/" in response["Location"], url


def test_every_page_refuses_residents(client, module):
    client.force_login(UserFactory())
    for url in urls_of(module, ProposalFactory(module=module)):
        assert client.get(url).status_code == 403, url


def test_an_agent_of_another_service_cannot_open_a_proposal_nor_import(client, module):
    agent = make_agent()
    client.force_login(agent)
    proposal = ProposalFactory(module=module, service=ServiceFactory())
    assert client.get(reverse("backoffice:proposals:detail", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("backoffice:proposals:import", args=[module.pk])).status_code == 403
    response = client.post(
        reverse("backoffice:proposals:answers", args=[module.pk]), {"p": [proposal.pk], "action": "publish"}
    )
    # The proposal is out of reach: the selection is empty, the request is refused as bad, nothing is published.
    assert response.status_code == 400
    assert proposal.title not in text(response)
    assert not Proposal.objects.exclude(answer_status="").exists()


def test_every_page_renders_for_the_staff(admin_client, module):
    proposal = ProposalFactory(module=module)
    for url in urls_of(module, proposal):
        assert admin_client.get(url).status_code == 200, url


def test_the_module_page_of_the_back_office_links_the_proposals_pages(admin_client, module):
    page = text(admin_client.get(reverse("backoffice:module_edit", args=[module.pk])))
    assert reverse("backoffice:proposals:list", args=[module.pk]) in page
    assert "Analyser et répondre aux propositions" in page
    assert reverse("backoffice:proposals:create_on_behalf", args=[module.pk]) in page


# --- the list -----------------------------------------------------------------------------------------------
def test_the_list_filters_and_counts(admin_client, module):
    theme = ThemeFactory(name="Mobilités")
    service = ServiceFactory(name="Voirie")
    ProposalFactory(module=module, title="Une piste cyclable rue Haute", theme=theme, service=service)
    ProposalFactory(module=module, title="Des bancs au parc", answer_status="selected")
    ProposalFactory(module=module, title="Un brouillon pas encore déposé", status=Proposal.Status.DRAFT)
    ProposalFactory(title="Une proposition d'un autre module")
    url = reverse("backoffice:proposals:list", args=[module.pk])
    page = text(admin_client.get(url))
    assert "Une piste cyclable rue Haute" in page and "Des bancs au parc" in page
    assert "Un brouillon" not in page and "autre module" not in page
    assert "2 déposées" in page and "1 retenue" in page and "1 sans réponse" in page
    assert "2 propositions correspondent" in page
    page = text(admin_client.get(url, {"theme": theme.pk}))
    assert "piste cyclable" in page and "Des bancs" not in page
    page = text(admin_client.get(url, {"service": "aucun"}))
    assert "piste cyclable" not in page and "Des bancs" in page
    page = text(admin_client.get(url, {"reponse": "selected"}))
    assert "piste cyclable" not in page and "Des bancs" in page
    page = text(admin_client.get(url, {"statut": ""}))
    assert "Un brouillon pas encore déposé" not in page  # drafts are their authors' own
    response = admin_client.get(url, {"statut": "draft"})
    assert "Un brouillon" not in text(response) and 'aria-invalid="true"' in text(response)
    page = text(admin_client.get(url, {"q": "cyclable"}))
    assert "piste cyclable" in page and "Des bancs" not in page
    page = text(admin_client.get(url, {"service": service.pk}))
    assert "piste cyclable" in page and "Des bancs" not in page
    assert "1 confiée à aucun service" in text(admin_client.get(url))


def test_overdue_proposals_are_marked_in_the_list_and_on_their_page(admin_client, module):
    past = timezone.now() - datetime.timedelta(days=2)
    late = ProposalFactory(
        module=module, title="En retard", service=ServiceFactory(name="Voirie"), service__due_at=past
    )
    ProposalFactory(
        module=module, title="À l'heure", service=ServiceFactory(), service__due_at=past + datetime.timedelta(days=9)
    )
    page = text(admin_client.get(reverse("backoffice:proposals:list", args=[module.pk])))
    assert page.count("badge--overdue") == 1 and f"échéance le {timezone.localtime(past):%d/%m/%Y}" in page
    page = text(admin_client.get(reverse("backoffice:proposals:detail", args=[late.pk])))
    assert 'Service chargé de l\'analyse : <span class="assignment-mark">Voirie' in page and "en retard" in page


def test_the_analysis_page_gives_a_due_date_and_a_reason_and_shows_the_routing_history(admin_client, module):
    proposal = ProposalFactory(module=module)
    first, second = ServiceFactory(name="Voirie"), ServiceFactory(name="Espaces verts")
    url = reverse("backoffice:proposals:detail", args=[proposal.pk])
    admin_client.post(url, {"form": "assign", "assign-service": first.pk})
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = admin_client.post(
        url,
        {"form": "assign", "assign-service": second.pk, "assign-due_on": due.isoformat(), "assign-reason": "Arbres"},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.service == second and timezone.localtime(assignment.due_at).date() == due
    page = " ".join(text(admin_client.get(url)).split())
    assert "changement de service : de Voirie à Espaces verts" in page and "Motif : Arbres" in page
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = admin_client.post(url, {"form": "assign", "assign-service": first.pk, "assign-due_on": yesterday})
    assert response.status_code == 400 and "passé" in text(response)


def test_a_bad_filter_is_explained_and_the_others_still_apply(admin_client, module):
    ProposalFactory(module=module, title="Des bancs au parc")
    ProposalFactory(module=module, title="Une piste cyclable")
    response = admin_client.get(
        reverse("backoffice:proposals:list", args=[module.pk]), {"theme": "999999", "q": "bancs"}
    )
    page = text(response)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page and "Des bancs au parc" in page and "piste cyclable" not in page
    assert 'value="bancs"' in page  # what the agent typed is kept


def test_an_agent_sees_only_the_proposals_of_their_service(client, module):
    service = ServiceFactory()
    agent = make_agent()
    service.members.add(agent)
    ProposalFactory(module=module, title="Confiée à mon service", service=service)
    ProposalFactory(module=module, title="Confiée à un autre service", service=ServiceFactory())
    client.force_login(agent)
    page = text(client.get(reverse("backoffice:proposals:list", args=[module.pk])))
    assert "Confiée à mon service" in page and "autre service" not in page
    page = text(client.get(reverse("backoffice:proposals:index")))
    assert module.title in page


def test_the_list_is_paginated_and_costs_the_same_with_more_proposals(admin_client, module):
    url = reverse("backoffice:proposals:list", args=[module.pk])
    ProposalFactory.create_batch(3, module=module, service=ServiceFactory(), theme=ThemeFactory())
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    ProposalFactory.create_batch(
        55, module=module, service=ServiceFactory(), theme=ThemeFactory(), author=UserFactory()
    )
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    page = text(response)
    assert "Propositions suivantes" in page
    assert page.count('name="p"') == 50


@pytest.mark.parametrize("sort", list(agent_selectors.SORTS))
def test_each_sort_of_the_list_pages_through_every_proposal_once(admin, module, sort):
    for n in range(7):
        ProposalFactory(module=module, supports_count=n % 3, comments_count=n % 2)
    filters = agent_selectors.AgentFilters(sort=sort)
    field, descending = agent_selectors.SORTS[sort]
    ordering = (f"-{field}", "-pk") if descending else (field, "pk")
    expected = list(Proposal.objects.filter(module=module).order_by(*ordering).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = agent_selectors.proposals_page(module, admin, filters, cursor=cursor, size=3)
        seen += [p.pk for p in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected
    with pytest.raises(InvalidCursor):  # a tampered cursor: the page shows the first page with a notice
        agent_selectors.proposals_page(module, admin, filters, cursor=cursor[:-2] + "xx", size=3)


def test_the_next_page_of_the_list_continues_after_the_last_proposal(admin_client, module):
    ProposalFactory.create_batch(52, module=module)
    url = reverse("backoffice:proposals:list", args=[module.pk])
    first = admin_client.get(url, {"tri": "numero"})
    assert first.context["page"].has_next
    second = admin_client.get(url, {"tri": "numero", "apres": first.context["page"].next_cursor})
    numbers = [p.reference for p in second.context["page"].items]
    assert numbers == sorted(p.reference for p in Proposal.objects.filter(module=module))[50:]


# --- the analysis page --------------------------------------------------------------------------------------
def test_the_analysis_page_shows_everything_but_to_the_public(admin_client, module):
    author = UserFactory(pseudonym="autrice", first_name="Léa", last_name="Durand", email="lea@example.org")
    proposal = ProposalFactory(module=module, author=author, title="Des bancs à l'ombre")
    NoteFactory(item=proposal, author=None, body="Note privée sur le coût")
    page = text(admin_client.get(reverse("backoffice:proposals:detail", args=[proposal.pk])))
    assert "Des bancs à l'ombre" in page and "Léa Durand" in page and "lea@example.org" in page
    assert "Note privée sur le coût" in page
    assert "Enregistrer et publier la réponse" in page


def test_the_agent_assigns_assesses_notes_and_answers(admin_client, admin, module, django_capture_on_commit_callbacks):
    service = ServiceFactory(name="Espaces verts")
    author = UserFactory(pseudonym="autrice")
    proposal = ProposalFactory(module=module, author=author)
    url = reverse("backoffice:proposals:detail", args=[proposal.pk])
    response = admin_client.post(url, {"form": "assign", "assign-service": service.pk})
    assert response.status_code == 302 and response["Location"].endswith("#analyse")
    response = admin_client.post(
        url, {"form": "assess", "assess-feasibility": "feasible", "assess-estimated_cost": "12 500,50"}
    )
    assert response.status_code == 302
    response = admin_client.post(url, {"form": "note", "note-body": "Demander un devis."})
    assert response["Location"].endswith("#notes")
    response = admin_client.post(
        url, {"form": "answer", "action": "save", "answer-status": "selected", "answer-answer": "<p>Oui</p>"}
    )
    assert response["Location"].endswith("#reponse")
    proposal.refresh_from_db()
    assert Assignment.objects.get(object_id=proposal.pk).service == service and proposal.feasibility == "feasible"
    assert str(proposal.estimated_cost) == "12500.50"
    assert proposal.draft_answer_status == "selected" and proposal.answer_status == ""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "form": "answer",
                "action": "publish",
                "answer-status": "selected",
                "answer-answer": "<p>Oui, en 2026.</p>",
            },
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.answer_status == "selected" and "2026" in proposal.answer
    assert Notification.objects.filter(recipient=author, event="proposals.answered").exists()
    page = text(admin_client.get(url))
    assert "Réponse de la collectivité" in page and "Demander un devis." in page


def test_a_rejection_without_motive_is_shown_next_to_the_field_and_keeps_the_choice(admin_client, module):
    proposal = ProposalFactory(module=module)
    response = admin_client.post(
        reverse("backoffice:proposals:detail", args=[proposal.pk]),
        {"form": "answer", "action": "publish", "answer-status": "rejected", "answer-answer": ""},
    )
    assert response.status_code == 400
    page = text(response)
    assert "motif" in page and 'id="id_answer-answer-error"' in page
    assert 'value="rejected" required id="id_answer-status_2" checked' in page
    proposal.refresh_from_db()
    assert proposal.answer_status == "" and proposal.draft_answer_status == ""


def test_a_bad_cost_is_refused_with_the_value_kept(admin_client, module):
    proposal = ProposalFactory(module=module)
    response = admin_client.post(
        reverse("backoffice:proposals:detail", args=[proposal.pk]),
        {"form": "assess", "assess-feasibility": "feasible", "assess-estimated_cost": "beaucoup"},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'value="beaucoup"' in page and 'aria-invalid="true"' in page


def test_an_agent_of_the_service_prepares_but_does_not_publish(client, module, django_capture_on_commit_callbacks):
    service = ServiceFactory()
    agent = make_agent()
    service.members.add(agent)
    proposal = ProposalFactory(module=module, service=service)
    client.force_login(agent)
    url = reverse("backoffice:proposals:detail", args=[proposal.pk])
    page = text(client.get(url))
    assert "Enregistrer et publier la réponse" not in page and "Confier à ce service" not in page
    response = client.post(url, {"form": "answer", "action": "publish", "answer-status": "selected"})
    assert response.status_code == 403
    response = client.post(url, {"form": "assign", "assign-service": ""})
    assert response.status_code == 403
    response = client.post(url, {"form": "answer", "action": "save", "answer-status": "selected"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.draft_answer_status == "selected" and proposal.answer_status == ""


def test_a_note_is_deleted_by_its_author_and_the_page_comes_back(admin_client, admin, module):
    proposal = ProposalFactory(module=module)
    mine = NoteFactory(item=proposal, author=admin, body="La mienne")
    theirs = NoteFactory(item=proposal, author=make_agent(), body="La leur")
    page = text(admin_client.get(reverse("backoffice:proposals:detail", args=[proposal.pk])))
    assert page.count("/gestion/file-d-attente/notes/") == 1  # « Supprimer » under one's own note only
    response = admin_client.post(reverse("assignments_backoffice:note_delete", args=[mine.pk]))
    assert response["Location"] == reverse("backoffice:proposals:detail", args=[proposal.pk]) + "#notes"
    admin_client.post(reverse("assignments_backoffice:note_delete", args=[theirs.pk]))
    assert list(Note.objects.values_list("body", flat=True)) == ["La leur"]


def test_discarding_the_prepared_answer(admin_client, module):
    proposal = ProposalFactory(module=module, draft_answer_status="selected", draft_answer="Oui")
    admin_client.post(reverse("backoffice:proposals:detail", args=[proposal.pk]), {"form": "discard"})
    proposal.refresh_from_db()
    assert proposal.draft_answer_status == ""


# --- answers in bulk ----------------------------------------------------------------------------------------
def test_bulk_prepare_then_publish_the_ticked_proposals(admin_client, module, django_capture_on_commit_callbacks):
    ticked = ProposalFactory.create_batch(3, module=module)
    untouched = ProposalFactory(module=module)
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    ids = [p.pk for p in ticked]
    page = text(admin_client.get(url, {"p": ids}))
    assert "3 propositions cochées" in page and untouched.title not in page
    response = admin_client.post(
        url,
        {"p": ids, "action": "prepare", "bulk-status": "rejected", "bulk-answer": "", "bulk-replace": "on"},
    )
    assert response.status_code == 400 and "motif" in text(response)
    response = admin_client.post(
        url,
        {
            "p": ids,
            "action": "prepare",
            "bulk-status": "rejected",
            "bulk-answer": "<p>Hors des compétences de la commune.</p>",
            "bulk-replace": "on",
        },
    )
    assert response.status_code == 302 and all(f"p={i}" in response["Location"] for i in ids)
    assert Proposal.objects.filter(draft_answer_status="rejected").count() == 3
    page = text(admin_client.get(url, {"p": ids}))
    assert "Publier les 3 réponses" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"p": ids, "action": "publish"})
    assert response.status_code == 302
    assert Proposal.objects.filter(answer_status="rejected").count() == 3
    assert StatusChange.objects.filter(kind="answered").count() == 3
    assert Notification.objects.filter(event="proposals.answered").count() == 3
    untouched.refresh_from_db()
    assert untouched.answer_status == ""


def test_the_waiting_answers_page_publishes_what_is_ready(admin_client, module, django_capture_on_commit_callbacks):
    ready = ProposalFactory.create_batch(2, module=module, draft_answer_status="done", draft_answer="Fait.")
    ProposalFactory(module=module, title="Pas encore préparée")
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    page = text(admin_client.get(url))
    assert "Réponses préparées à publier" in page and "Pas encore préparée" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"p": [p.pk for p in ready], "attente": "1", "action": "publish"})
    assert response["Location"] == url
    assert Proposal.objects.filter(answer_status="done").count() == 2
    assert "Aucune réponse préparée" in text(admin_client.get(url))


def test_bulk_publication_refused_shows_why_and_publishes_nothing(admin_client, module):
    ready = ProposalFactory(module=module, draft_answer_status="selected", draft_answer="Oui")
    withdrawn = ProposalFactory(
        module=module, status=Proposal.Status.WITHDRAWN, draft_answer_status="selected", title="Retirée entre-temps"
    )
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    response = admin_client.post(url, {"p": [ready.pk, withdrawn.pk], "action": "publish"}, follow=True)
    assert "Retirée entre-temps" in text(response)
    assert not Proposal.objects.exclude(answer_status="").exists()


def test_bulk_assignment(admin_client, module):
    proposals = ProposalFactory.create_batch(2, module=module)
    service = ServiceFactory()
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    admin_client.post(url, {"p": [p.pk for p in proposals], "action": "assign", "assign-service": service.pk})
    assert Assignment.objects.filter(service=service).count() == 2


# --- entering for a resident --------------------------------------------------------------------------------
def entry(**extra) -> dict[str, str]:
    return {
        "who": "anonyme",
        "origin": "paper",
        "title": "Un abri pour les vélos",
        "body": "<p>Devant la médiathèque, à l'abri de la pluie.</p>",
        **extra,
    }


def test_an_agent_enters_a_paper_proposal_without_account(client, module):
    agent = make_agent(pseudonym="agent-accueil")
    client.force_login(agent)
    url = reverse("backoffice:proposals:create_on_behalf", args=[module.pk])
    response = client.post(url, entry(name="M. Bernard", next="again"))
    assert response.status_code == 302 and response["Location"] == url
    proposal = Proposal.objects.get()
    assert proposal.author is None and proposal.entered_by == agent and proposal.origin == "paper"
    assert proposal.status == Proposal.Status.PUBLISHED
    assert Note.objects.get(object_id=proposal.pk).body == "Déposée par : M. Bernard (sans compte)"
    public = text(client.get(proposal.get_absolute_url()))
    assert "M. Bernard" not in public


def test_entering_for_an_account_and_a_managed_account(admin_client, admin, module):
    resident = UserFactory(pseudonym="habitante", email="habitante@example.org")
    managed = UserFactory(pseudonym="sans-courriel", email=None, managed_by=admin, first_name="Jean", last_name="Roux")
    url = reverse("backoffice:proposals:create_on_behalf", args=[module.pk])
    response = admin_client.post(url, entry(who="compte", identifier="HABITANTE@example.org", origin="counter"))
    assert response.status_code == 302
    response = admin_client.post(
        url, entry(who="compte-gere", managed=managed.pk, title="Des jeux pour enfants square")
    )
    assert response.status_code == 302
    authors = set(Proposal.objects.values_list("author__pseudonym", "origin"))
    assert authors == {("habitante", "counter"), ("sans-courriel", "paper")}
    assert AuditEntry.objects.filter(action="proposals.proposal_create", on_behalf_of=resident).exists()


def test_entering_errors_keep_what_was_typed(admin_client, module):
    url = reverse("backoffice:proposals:create_on_behalf", args=[module.pk])
    response = admin_client.post(
        url, entry(who="compte", identifier="personne@nulle.part", title="Un abri pour les vélos")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Aucun compte n'a cette adresse" in page and 'value="Un abri pour les vélos"' in page
    response = admin_client.post(url, entry(title="Court", body=""))
    page = text(response)
    assert "au moins 10 caractères" in page and "Décrivez votre proposition" in page
    response = admin_client.post(url, entry(received_on="2999-01-01"))
    assert "dans le futur" in text(response)
    assert not Proposal.objects.exists()


def test_the_counts_follow_the_agents_writes_at_once(admin_client, admin, module, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(module=module)
    url = reverse("backoffice:proposals:list", args=[module.pk])
    assert "1 sans réponse" in text(admin_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("backoffice:proposals:detail", args=[proposal.pk]),
            {"form": "answer", "action": "publish", "answer-status": "done", "answer-answer": "Fait."},
        )
    page = text(admin_client.get(url))
    assert "0 sans réponse" in page and "1 réalisée" in page


def test_a_draft_stays_its_authors_own(admin_client, module):
    draft = ProposalFactory(module=module, status=Proposal.Status.DRAFT)
    assert admin_client.get(reverse("backoffice:proposals:detail", args=[draft.pk])).status_code == 404
    url = reverse("backoffice:proposals:answers", args=[module.pk])
    response = admin_client.post(url, {"p": [draft.pk], "action": "publish"})
    assert "aucune des propositions" in text(response).lower()


def test_a_number_finds_the_proposal_and_big_lists_are_counted_up_to_a_bound(admin_client, module, monkeypatch):
    from participe.modules.proposals.selectors import analysis as backoffice_selectors

    ProposalFactory(module=module, reference=12, title="La douzième")
    ProposalFactory(module=module, reference=120, title="Une autre")
    url = reverse("backoffice:proposals:list", args=[module.pk])
    for query in ("12", "n°12", "N° 12"):
        page = text(admin_client.get(url, {"q": query}))
        assert "La douzième" in page and "Une autre" not in page, query
    monkeypatch.setattr(backoffice_selectors, "COUNT_LIMIT", 1)
    assert "Plus de 1 propositions correspondent" in text(admin_client.get(url))
