"""Writes of the budgets module: envelopes, projects (bad costs refused), the CSV import (per-line errors, nothing
written), projects from retained proposals with their link, the analysis published in bulk with followers told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.links.selectors import origins_of
from participe.modules.budgets import services
from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.tests.factories import BudgetModuleFactory, make_envelope, make_projects
from participe.notifications.models import Notification
from participe.notifications.services import follow
from participe.permissions.refusals import Refused
from tests.factories import ItemFactory, ParticipationModuleFactory, TerritoryFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def test_only_who_runs_the_budget_writes_its_envelopes():
    module = BudgetModuleFactory()
    with pytest.raises(Refused):
        services.envelope_save(actor=UserFactory(), module=module, envelope=None, data={"title": "X", "amount": 10})
    assert not Envelope.objects.exists()


def test_a_project_costing_more_than_its_envelope_or_nothing_is_refused():
    envelope = make_envelope(amount=50_000)
    admin = make_org_admin()
    for cost, message in ((60_000, "coûte plus que l'enveloppe"), (0, ""), (-5, "")):
        with pytest.raises(ValidationError) as error:
            services.project_save(
                actor=admin,
                module=envelope.module,
                project=None,
                data={"envelope": envelope, "title": "Trop cher", "estimated_cost": cost},
            )
        assert message in str(error.value)
    assert not Project.objects.exists()


def test_an_envelope_cannot_become_smaller_than_one_of_its_projects():
    envelope = make_envelope(amount=100_000)
    make_projects(envelope, (80_000,), publish=False)
    with pytest.raises(ValidationError) as error:
        services.envelope_save(
            actor=make_org_admin(), module=envelope.module, envelope=envelope, data={"amount": 50_000}
        )
    assert "ne peut pas être plus petite" in str(error.value)


def test_a_k_approval_envelope_needs_its_k():
    with pytest.raises(ValidationError) as error:
        make_envelope(ballot_kind=Envelope.BallotKind.K)
    assert "max_choices" in error.value.message_dict


CSV_OK = "titre;description;enveloppe;cout;quartier\nDes bancs;À l'ombre;Toute la ville;12 000 €;Nord\nUn jardin;;Toute la ville;30000;\n"
CSV_BAD = (
    "titre;enveloppe;cout;quartier\nDes bancs;Toute la ville;12000;Nord\nTrop cher;Toute la ville;900000;\n"
    "Négatif;Toute la ville;-5;\nSans coût;Toute la ville;;\n;Toute la ville;100;\nAilleurs;Inconnue;100;\n"
    "Quartier;Toute la ville;100;Atlantide\n"
)


def test_a_csv_file_creates_its_projects_numbered():
    envelope = make_envelope()
    TerritoryFactory(name="Nord")
    report = services.projects_import_csv(actor=make_org_admin(), module=envelope.module, text=CSV_OK)
    assert report.errors == []
    projects = list(Project.objects.order_by("reference"))
    assert [(p.reference, p.title, p.estimated_cost, p.origin) for p in projects] == [
        (1, "Des bancs", 12_000, "csv"),
        (2, "Un jardin", 30_000, "csv"),
    ]
    assert projects[0].territory.name == "Nord"


def test_a_csv_file_with_wrong_lines_says_each_and_writes_nothing():
    envelope = make_envelope()
    TerritoryFactory(name="Nord")
    report = services.projects_import_csv(actor=make_org_admin(), module=envelope.module, text=CSV_BAD)
    lines = dict(report.errors)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert "coûte plus que l'enveloppe" in lines[3] and "positif" in lines[4] and "obligatoire" in lines[5]
    assert "Inconnue" in lines[7] and "Atlantide" in lines[8]
    assert not Project.objects.exists()


def test_a_csv_file_without_its_columns_is_refused():
    envelope = make_envelope()
    with pytest.raises(ValidationError) as error:
        services.projects_import_csv(actor=make_org_admin(), module=envelope.module, text="nom;prix\na;1\n")
    assert "Colonnes manquantes" in str(error.value)


def test_retained_proposals_become_projects_linked_to_them_and_their_author_follows():
    envelope = make_envelope()
    idea_box = ParticipationModuleFactory(space=envelope.module.space, title="Boîte à idées")
    retained = ItemFactory(module=idea_box, title="Retenue : des bancs")
    ItemFactory(module=idea_box, title="Pas retenue")
    admin = make_org_admin()
    groups = services.candidate_groups(envelope.module)
    assert [list(g.items) for g in groups] == [[retained]]
    made = services.projects_from_candidates(actor=admin, module=envelope.module, origins=[retained], envelope=envelope)
    assert [(p.title, p.origin, p.author) for p in made] == [("Retenue : des bancs", "proposal", retained.author)]
    assert origins_of(made[0], admin) == [retained]
    again = services.projects_from_candidates(
        actor=admin, module=envelope.module, origins=[retained], envelope=envelope
    )
    assert again == [] and Project.objects.count() == 1


def test_answers_are_prepared_in_bulk_then_published_and_followers_told():
    envelope = make_envelope()
    first, second = make_projects(envelope, (10_000, 20_000), publish=False)
    follower = UserFactory()
    follow(actor=follower, target=first)
    admin = make_org_admin()
    services.answers_prepare(
        actor=admin, projects=[first, second], feasibility="feasible", answer="<p>Faisable.</p>", cost=15_000
    )
    first.refresh_from_db()
    assert first.feasibility == "" and first.draft_feasibility == "feasible"
    published = services.answers_publish(actor=admin, projects=[first, second])
    assert len(published) == 2
    first.refresh_from_db()
    assert (first.feasibility, first.estimated_cost, first.on_ballot) == ("feasible", 15_000, True)
    assert Notification.objects.filter(recipient=follower, event="budgets.answered").exists()


def test_an_answer_needs_its_argument_and_a_merge_its_project():
    envelope = make_envelope()
    (project,) = make_projects(envelope, (10_000,), publish=False)
    admin = make_org_admin()
    with pytest.raises(ValidationError):
        services.answers_prepare(actor=admin, projects=[project], feasibility="feasible", answer=" ")
    with pytest.raises(ValidationError):
        services.answers_prepare(actor=admin, projects=[project], feasibility="merged", answer="Fusionné.")
    with pytest.raises(Refused):
        services.answers_prepare(actor=UserFactory(), projects=[project], feasibility="feasible", answer="Oui.")


def test_the_vote_opens_only_with_projects_on_the_ballot_and_then_the_ballot_is_fixed():
    envelope = make_envelope()
    admin = make_org_admin()
    with pytest.raises(ValidationError):
        services.vote_open(actor=admin, envelope=envelope)
    make_projects(envelope, (10_000,))
    envelope = services.vote_open(actor=admin, envelope=envelope)
    assert envelope.election.schema == "budgets.envelope"
    with pytest.raises(ValidationError):
        services.envelope_save(actor=admin, module=envelope.module, envelope=envelope, data={"amount": 5_000_000})
    with pytest.raises(ValidationError):
        services.project_save(
            actor=admin,
            module=envelope.module,
            project=None,
            data={"envelope": envelope, "title": "Tard", "estimated_cost": 1},
        )
