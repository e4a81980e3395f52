"""How another module (a citizens' jury) has its sessions as meetings without importing this one: its private space
holds a meetings module (``spaces.services.module_create``), and it lists the sessions through the offer of kind
``session`` (``participe.links.selectors.candidates``). Members see them; others are told the space is reserved."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from participe.links.selectors import candidates
from participe.modules.meetings import services
from participe.modules.meetings.tests.factories import meeting_data
from participe.spaces.models import Space, SpaceMembership
from participe.spaces.services import module_create
from tests.factories import SpaceFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def test_a_private_space_holds_the_sessions_of_a_jury(client: Client) -> None:
    admin = make_org_admin()
    jury = SpaceFactory(title="Jury citoyen mobilités", visibility=Space.Visibility.PRIVATE, kind=Space.Kind.ASSEMBLY)
    module = module_create(actor=admin, space=jury, module_type="meetings", title="Séances du jury", blueprint="agenda")
    first = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Séance 1 : s'informer"))
    later = first.start + datetime.timedelta(days=14)
    services.meeting_save(
        actor=admin,
        module=module,
        data=meeting_data(title="Séance 2 : délibérer", start=later, end=later + datetime.timedelta(hours=3)),
    )

    (group,) = candidates(jury, "session")
    assert [m.title for m in group.items] == ["Séance 1 : s'informer", "Séance 2 : délibérer"]

    member = UserFactory()
    SpaceMembership.objects.create(space=jury, user=member, role=SpaceMembership.Role.MEMBER)
    assert client.get(first.get_absolute_url()).status_code == 302  # sign in first
    assert client.get(reverse("agenda:space_feed", args=[jury.slug])).status_code == 403
    assert "Séance 1" not in client.get("/agenda.ics").content.decode()
    client.force_login(UserFactory())
    assert client.get(first.get_absolute_url()).status_code == 403
    client.force_login(member)
    assert client.get(first.get_absolute_url()).status_code == 200
    assert "Séance 2 : délibérer" in client.get(reverse("agenda:list")).content.decode()
    feed = client.get(reverse("agenda:space_feed", args=[jury.slug]))
    assert feed.status_code == 200 and "Séance 1" in feed.content.decode()


def test_a_meeting_lasts_at_most_a_week() -> None:
    from django.core.exceptions import ValidationError

    admin = make_org_admin()
    module = module_create(
        actor=admin, space=SpaceFactory(), module_type="meetings", title="Réunions", blueprint="agenda"
    )
    data = meeting_data()
    data["end"] = data["start"] + datetime.timedelta(days=8)
    with pytest.raises(ValidationError) as error:
        services.meeting_save(actor=admin, module=module, data=data)
    assert "end" in error.value.error_dict


def test_the_reminders_command_says_how_many_meetings_it_reminded(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("meetings_remind")
    assert capsys.readouterr().out.strip() == "0 meeting(s) reminded."
