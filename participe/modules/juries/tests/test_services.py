"""The jury's services from quotas to the avis: each checks its actor, bad input loses nothing and writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.modules.juries import selectors, services
from participe.modules.juries.models import Draw, Panel, Volunteer
from participe.modules.juries.sortition import Lottery, instance_from_texts
from participe.permissions.refusals import Refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POOL = "nom,email,genre,age\n" + "".join(
    f"Personne {i},p{i}@example.org,{'Femme' if i % 3 else 'Homme'},{['Jeune', 'Adulte', 'Senior'][i % 3]}\n"
    for i in range(60)
)


def commit(module, admin, **extra):  # type: ignore[no-untyped-def]
    return services.draw_commit(
        actor=admin, module=module, source="Loto FDJ", source_date=timezone.localdate(), **extra
    )


def test_shares_of_the_population_become_quotas_around_them(jury):
    module, _admin = jury
    rows = {
        (r.feature, r.value): (r.minimum, r.maximum) for r in selectors.composition(Panel.objects.get(module=module))
    }
    assert rows[("Âge", "Jeune")] == (2, 3)  # 33.3 % of 9 = 2.997
    assert rows[("Genre", "Femme")] == (4, 6)


def test_a_bad_quota_line_is_refused_with_its_number_and_nothing_is_saved(jury):
    module, admin = jury
    with pytest.raises(ValidationError) as raised:
        services.feature_save(actor=admin, module=module, label="Quartier", values="Centre ; 2 ; 3\nNord ; 5 ; 1")
    assert "Ligne 2" in str(raised.value)
    assert not Panel.objects.get(module=module).features.filter(key="quartier").exists()


def test_the_import_reports_each_bad_line_and_imports_only_when_confirmed(jury):
    module, admin = jury
    text = POOL + "Sans genre,,Autre,Jeune\nMauvais courriel,pas-un-courriel,Femme,Adulte\n"
    report = services.pool_import(actor=admin, module=module, text=text, confirm=False)
    assert [e.line for e in report.errors] == [62, 63] and report.imported == 0
    assert not Volunteer.objects.exists()
    report = services.pool_import(actor=admin, module=module, text=text, confirm=True)
    assert report.imported == 60 and Volunteer.objects.count() == 60
    assert Volunteer.objects.order_by("reference").first().reference == "V0001"


def test_a_resident_volunteers_and_only_staff_organise(jury):
    module, _admin = jury
    resident = UserFactory()
    volunteer = services.volunteer_register(
        actor=resident, module=module, profile={"genre": "femme", "age": "jeune"}, name_public=False
    )
    assert volunteer.reference == "V0001" and volunteer.user == resident
    with pytest.raises(ValidationError):
        services.volunteer_register(actor=resident, module=module, profile={"genre": "autre"}, name_public=False)
    with pytest.raises(Refused):
        services.pool_import(actor=resident, module=module, text=POOL, confirm=True)
    with pytest.raises(Refused):
        commit(module, resident)
    assert Volunteer.objects.count() == 1 and not Draw.objects.exists()


def test_infeasible_quotas_are_explained_in_people(jury):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL.replace("Homme", "Femme"), confirm=True)
    with pytest.raises(ValidationError) as raised:
        commit(module, admin)
    assert "« Genre » = « Homme » : il manque 3 personnes pour atteindre le minimum." in raised.value.messages
    assert not Draw.objects.exists()


def test_commitment_then_seed_draws_a_panel_that_meets_the_quotas_and_anyone_can_redo(
    jury, django_capture_on_commit_callbacks
):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = commit(module, admin)
    assert len(draw.commitment_sha256) == 64 and 0 < draw.min_probability <= 9 / 60 <= draw.max_probability
    assert Volunteer.objects.filter(probability__isnull=True).count() == 0
    with pytest.raises(ValidationError):
        services.draw_run(actor=admin, draw=draw, seed="douze")
    with django_capture_on_commit_callbacks(execute=True):
        chosen = services.draw_run(actor=admin, draw=draw, seed="4 12 23 35 47 / 8")
    assert len(chosen) == 9 and all(r.met for r in selectors.composition(Panel.objects.get(module=module)))
    assert len(mail.outbox) == 9
    instance = instance_from_texts(draw.pool_text, draw.quotas_text, 9)
    assert Lottery.from_json(draw.lottery).draw(instance, "4 12 23 35 47/8") == chosen
    with pytest.raises(ValidationError):
        services.draw_run(actor=admin, draw=draw, seed="1")
    assert sorted(Volunteer.objects.filter(status="invited").values_list("reference", flat=True)) == chosen


def test_a_source_drawn_before_the_commitment_is_refused(jury):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    with pytest.raises(ValidationError):
        services.draw_commit(
            actor=admin, module=module, source="Loto", source_date=timezone.localdate() - datetime.timedelta(days=1)
        )


def test_replacements_keep_the_quotas_of_the_members_who_stay(jury):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    chosen = services.draw_run(actor=admin, draw=commit(module, admin), seed="1 2 3")
    invited = list(Volunteer.objects.filter(reference__in=chosen).order_by("reference"))
    for i, member in enumerate(invited):
        services.invitation_answer(token=member.invitation_token, accept=i >= 2)
    replacement = commit(module, admin)
    assert replacement.number == 2 and replacement.size == 2
    services.draw_run(actor=admin, draw=replacement, seed="9 / 9")
    assert selectors.members(Panel.objects.get(module=module)).count() == 9
    assert all(r.met for r in selectors.composition(Panel.objects.get(module=module)))


def test_an_adopted_recommendation_becomes_a_followed_commitment(jury):
    module, admin = jury
    rec = services.recommendation_save(actor=admin, module=module, title="Des pistes cyclables", text="Partout.")
    with pytest.raises(ValidationError):
        services.recommendation_answer(
            actor=admin, recommendation=rec, decision="adopted", answer="Oui.", follow_up=True
        )
    services.recommendation_answer(
        actor=admin, recommendation=rec, decision="adopted", answer="La ville réalisera 6 km de pistes.", follow_up=True
    )
    assert rec.commitment is not None and rec.commitment.space == module.space
    with pytest.raises(Refused):
        services.recommendation_save(actor=UserFactory(), module=module, title="x", text="y")
