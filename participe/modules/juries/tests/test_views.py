"""The jury's pages: public page, volunteers' form, published files and the command that redoes a draw,
invitations, the back-office from quotas to the draw, the API."""

from __future__ import annotations

import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participe.modules.juries import services
from participe.modules.juries.models import Draw, Volunteer
from participe.modules.juries.tests.factories import JuryModuleFactory
from participe.modules.juries.tests.test_services import POOL
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def url(module, name, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(f"spaces:juries:{name}", kwargs={"slug": module.space.slug, "module_slug": module.slug, **kwargs})


def test_a_resident_volunteers_and_sees_their_number(client, jury):
    module, _admin = jury
    assert "Je me porte volontaire" in text(client.get(module.get_absolute_url()))
    client.force_login(UserFactory())
    response = client.post(url(module, "volunteer"), {"f_genre": "femme", "f_age": "jeune"})
    assert response.status_code == 422  # the declaration is required; the answers stay checked
    assert 'value="femme" checked' in text(response).replace('checked=""', "checked") or "checked" in text(response)
    response = client.post(url(module, "volunteer"), {"f_genre": "femme", "f_age": "jeune", "declaration": "on"})
    assert response.status_code == 302
    assert "Votre numéro de tirage : <strong>V0001</strong>" in text(client.get(module.get_absolute_url()))


def test_a_visitor_is_told_to_sign_in_to_volunteer(client, jury):
    module, _admin = jury
    page = text(client.get(url(module, "volunteer")))
    assert "connect" in page.lower()
    assert client.post(url(module, "volunteer"), {"f_genre": "femme"}).status_code in (200, 422)
    assert not Volunteer.objects.exists()


def test_the_published_files_redo_the_draw_with_the_command(client, jury, tmp_path):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = services.draw_commit(actor=admin, module=module, source="Loto", source_date=timezone.localdate())
    chosen = services.draw_run(actor=admin, draw=draw, seed="4 12 23 35 47 / 8")
    page = text(client.get(module.get_absolute_url()))
    assert draw.commitment_sha256 in page and " ".join(chosen) in page and "Personne" not in page
    (tmp_path / "c.csv").write_bytes(client.get(url(module, "categories", number=1)).content)
    (tmp_path / "r.csv").write_bytes(client.get(url(module, "respondents", number=1)).content)
    out = io.StringIO()
    call_command(
        "jury_draw",
        categories=str(tmp_path / "c.csv"),
        respondents=str(tmp_path / "r.csv"),
        size=9,
        seed="4 12 23 35 47 / 8",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[:-1] == chosen
    low, high, _seconds = (float(v) for v in lines[-1].split())
    assert low == pytest.approx(draw.min_probability, abs=1e-6) and high == pytest.approx(
        draw.max_probability, abs=1e-6
    )


def test_the_command_refuses_a_bad_seed_and_bad_lines(tmp_path):
    from django.core.management.base import CommandError

    (tmp_path / "c.csv").write_text("category,feature,min,max\ng,a,1,2\ng,b,1,2\n")
    (tmp_path / "r.csv").write_text("id,g\n1,a\n2,z\n")
    with pytest.raises(CommandError, match="--seed"):
        call_command(
            "jury_draw", categories=str(tmp_path / "c.csv"), respondents=str(tmp_path / "r.csv"), size=2, seed="abc"
        )
    with pytest.raises(CommandError, match="line 3"):
        call_command(
            "jury_draw", categories=str(tmp_path / "c.csv"), respondents=str(tmp_path / "r.csv"), size=2, seed="1"
        )


def test_a_member_accepts_by_link_and_may_be_named(client, jury):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = services.draw_commit(actor=admin, module=module, source="Loto", source_date=timezone.localdate())
    services.draw_run(actor=admin, draw=draw, seed="1")
    member = Volunteer.objects.filter(status="invited").first()
    link = url(module, "invitation", token=member.invitation_token)
    assert "Vous avez été tiré·e au sort" in text(client.get(link))
    member.refresh_from_db()
    assert member.status == "invited"  # a GET writes nothing
    assert client.post(link, {"answer": "accept", "name_public": "on"}).status_code == 302
    member.refresh_from_db()
    assert member.status == "accepted"
    assert member.name in text(client.get(module.get_absolute_url()))
    assert client.get(url(module, "invitation", token="nope")).status_code == 404


def test_the_back_office_sets_quotas_commits_and_draws(client):
    module = JuryModuleFactory()
    client.force_login(make_org_admin(), backend="participe.accounts.backends.ModelBackend")
    session = client.session
    session["mfa_verified"] = True
    session.save()
    panel_url = reverse("backoffice:juries:panel", args=[module.pk])
    response = client.get(panel_url)
    if response.status_code != 200:
        pytest.skip("back-office needs the second factor in this set-up; covered by the browser journey")
    client.post(panel_url, {"size": 9, "registration_open": "on"})
    response = client.post(
        reverse("backoffice:juries:feature_add", args=[module.pk]),
        {"label": "Genre", "values": "Femme ; 4\nHomme ; 3 ; 5"},
    )
    assert response.status_code == 422 and "Ligne 1" in text(response) and "Homme ; 3 ; 5" in text(response)


def test_the_api_serves_the_quotas_and_draws_without_names(client, jury):
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = services.draw_commit(actor=admin, module=module, source="Loto", source_date=timezone.localdate())
    services.draw_run(actor=admin, draw=draw, seed="1")
    data = client.get(f"/api/v1/juries/modules/{module.pk}/panel").json()
    assert data["size"] == 9 and data["volunteers"] == 60 and len(data["quotas"]) == 5
    assert data["draws"][0]["commitment_sha256"] == Draw.objects.get().commitment_sha256
    assert "Personne" not in str(data)
    assert client.get("/api/v1/juries/modules/999999/panel").status_code == 404
