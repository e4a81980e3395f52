"""The jury's life after the draw (decision 0032): the members' private space follows the members' answers, only
members and the team read and post there, the others are told why; the sessions are meetings of that space, listed
on the jury's page; joining with an account is a requirement that explains its refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participe.attachments.services import attachment_add
from participe.comments.models import Comment
from participe.comments.services import comment_create
from participe.links.selectors import candidates
from participe.modules.juries import selectors, services
from participe.modules.juries.models import Room, Volunteer
from participe.modules.juries.tests.test_services import POOL
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.models import Module, Space, SpaceMembership
from participe.spaces.urls import module_reverse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(jury):  # type: ignore[no-untyped-def]
    """The jury drawn: nine people invited, none answered yet."""
    module, admin = jury
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)
    draw = services.draw_commit(actor=admin, module=module, source="Loto", source_date=timezone.localdate())
    services.draw_run(actor=admin, draw=draw, seed="4 12 23 35 47 / 8")
    members = list(Volunteer.objects.filter(drawn_in=draw).order_by("reference"))
    return module, admin, members


def _session(admin, room: Room, title: str, days: int, minutes: str = "") -> None:  # type: ignore[no-untyped-def]
    """An agent announces a session as a meeting of the private space's agenda, through the meetings back-office
    (this module imports no other one), and publishes its minutes once it has started."""
    agenda = Module.objects.get(space=room.module.space, module_type="meetings")
    staff = Client()
    staff.force_login(admin)
    start = timezone.localtime() + datetime.timedelta(days=days)
    form = {
        "title": title,
        "kind": "atelier",
        "status": "publiee",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "format": "presentiel",
        "place_name": "Salle du conseil",
        "address": "1 place de l'Hôtel de Ville",
    }
    assert staff.post(reverse("backoffice:meetings:create", args=[agenda.pk]), form).status_code == 302
    if minutes:
        (session,) = [m for g in candidates(room.module.space, "session") for m in g.items if m.title == title]
        url = reverse("backoffice:meetings:minutes", args=[session.pk])
        assert staff.post(url, {"minutes": minutes, "attendees_count": "8"}).status_code == 302


def test_opening_the_space_makes_a_private_space_whose_members_are_the_accepted_members(drawn):
    module, admin, members = drawn
    resident = UserFactory()
    with pytest.raises(Refused):
        services.members_space_open(actor=resident, module=module)
    first, second = members[0], members[1]
    first.user = UserFactory()
    first.save()
    services.invitation_answer(token=first.invitation_token, accept=True)
    room = services.members_space_open(actor=admin, module=module, welcome="Bienvenue !")
    assert services.members_space_open(actor=admin, module=module) == room  # once
    space = room.module.space
    assert space.visibility == Space.Visibility.PRIVATE and space.status == Space.Status.PUBLISHED
    assert sorted(space.modules.values_list("module_type", flat=True)) == ["juries", "meetings"]
    members_of = set(space.memberships.filter(role=SpaceMembership.Role.MEMBER).values_list("user_id", flat=True))
    assert members_of == {first.user_id}
    assert space.memberships.filter(user=admin, role=SpaceMembership.Role.ADMIN).exists()

    # A member who changes their mind leaves the space; accepting again brings them back.
    services.invitation_answer(token=first.invitation_token, accept=False)
    assert not space.memberships.filter(user=first.user).exists()
    services.invitation_answer(token=first.invitation_token, accept=True)
    assert space.memberships.filter(user=first.user, role=SpaceMembership.Role.MEMBER).exists()
    # Someone drawn who has not answered is not a member.
    second.user = UserFactory()
    second.save()
    services.members_sync(room.panel)
    assert not space.memberships.filter(user=second.user).exists()


def test_joining_with_an_account_explains_each_refusal(drawn):
    module, admin, members = drawn
    imported = members[0]  # imported by the agents: no account
    someone = UserFactory()

    def codes(user, volunteer):  # type: ignore[no-untyped-def]
        return explain(user, "juries.join_members_space", volunteer).codes

    assert codes(someone, imported) == ["not_a_member"]
    services.invitation_answer(token=imported.invitation_token, accept=True)
    imported.refresh_from_db()
    assert codes(someone, imported) == ["members_space_closed"]
    room = services.members_space_open(actor=admin, module=module)
    from django.contrib.auth.models import AnonymousUser

    assert codes(AnonymousUser(), imported) == ["not_signed_in"]
    assert explain(someone, "juries.join_members_space", imported).allowed
    services.member_join(actor=someone, token=imported.invitation_token)
    assert room.module.space.memberships.filter(user=someone, role=SpaceMembership.Role.MEMBER).exists()
    imported.refresh_from_db()
    assert codes(UserFactory(), imported) == ["linked_elsewhere"]
    other = members[1]
    services.invitation_answer(token=other.invitation_token, accept=True)
    with pytest.raises(Refused) as refused:
        services.member_join(actor=someone, token=other.invitation_token)
    assert refused.value.reasons[0].code == "already_volunteer"
    with pytest.raises(ValidationError):
        services.member_join(actor=someone, token="nope")


def test_only_members_and_the_team_read_and_post_documents_and_discussion(drawn):
    module, admin, members = drawn
    member = UserFactory()
    members[0].user = member
    members[0].save()
    services.invitation_answer(token=members[0].invitation_token, accept=True)
    room = services.members_space_open(actor=admin, module=module)
    outsider = UserFactory()

    assert member.has_perm("juries.view_room", room) and admin.has_perm("juries.view_room", room)
    assert not outsider.has_perm("juries.view_room", room)
    # The discussion: the comments service, under the private space's rule.
    assert explain(member, "comments.add_comment", room).allowed
    assert explain(admin, "comments.add_comment", room).allowed
    assert explain(outsider, "comments.add_comment", room).codes[0] == "cannot_see"
    comment_create(actor=member, target=room, body="Quand recevrons-nous le dossier ?", stance="neutral")
    with pytest.raises(Refused):
        comment_create(actor=outsider, target=room, body="Je m'invite", stance="neutral")
    assert Comment.objects.filter(object_id=room.pk).count() == 1
    assert not outsider.has_perm("comments.view_comment", room)
    # The documents: the attachments service; the team adds them, members read them.
    assert admin.has_perm("attachments.add_attachment", room)
    assert not member.has_perm("attachments.add_attachment", room)
    assert member.has_perm("attachments.view_attachment", room)
    assert not outsider.has_perm("attachments.view_attachment", room)
    pdf = SimpleUploadedFile("dossier.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment_add(actor=admin, target=room, uploaded_file=pdf, title="Dossier du jury")
    with pytest.raises(Refused):
        attachment_add(actor=member, target=room, uploaded_file=pdf, title="Mon fichier")


def test_the_pages_refuse_a_non_member_with_the_reason_and_list_the_sessions(client: Client, drawn):
    module, admin, members = drawn
    member = UserFactory()
    members[0].user = member
    members[0].save()
    services.invitation_answer(token=members[0].invitation_token, accept=True)
    room = services.members_space_open(actor=admin, module=module)
    _session(admin, room, "Séance 1 : s'informer", -20, minutes="<p>Audition des services de la voirie.</p>")
    _session(admin, room, "Séance 2 : auditionner", -6)
    _session(admin, room, "Séance 3 : délibérer", 8)
    sessions = selectors.sessions(room)
    assert [m.title for m in sessions.upcoming] == ["Séance 3 : délibérer"]
    assert [m.title for m in sessions.past] == ["Séance 2 : auditionner", "Séance 1 : s'informer"]

    # The jury's page (public): the sessions' dates and published minutes, no link into the private space.
    page = client.get(module.get_absolute_url()).content.decode()
    assert "Séance 3 : délibérer" in page and "Audition des services de la voirie." in page
    assert room.get_absolute_url() not in page and "Salle du conseil" not in page

    # The members' space: a visitor signs in first, a non-member is refused with the reason.
    assert client.get(room.get_absolute_url()).status_code == 302
    client.force_login(UserFactory())
    refused = client.get(room.get_absolute_url())
    assert refused.status_code == 403 and "réservée à ses membres" in refused.content.decode()
    feed = client.get(reverse("agenda:space_feed", args=[room.module.space.slug]))
    assert feed.status_code == 403 and "membres" in feed.content.decode()

    client.force_login(member)
    page = client.get(room.get_absolute_url()).content.decode()
    assert "Prochaine séance" in page and "Séance 3 : délibérer" in page and "Salle du conseil" in page
    assert 'id="commentaires"' in page
    assert room.get_absolute_url() in client.get(module.get_absolute_url()).content.decode()
    feed = client.get(reverse("agenda:space_feed", args=[room.module.space.slug]))
    assert feed.status_code == 200 and "Séance 3" in feed.content.decode()


def test_a_member_without_account_joins_from_the_invitation_page(client: Client, drawn):
    module, admin, members = drawn
    imported = members[0]
    services.invitation_answer(token=imported.invitation_token, accept=True)
    room = services.members_space_open(actor=admin, module=module)
    invitation = module_reverse(module, "invitation", token=imported.invitation_token)
    page = client.get(invitation).content.decode()
    assert "Connectez-vous (ou créez un compte) pour rejoindre l&#x27;espace des membres." in page
    person = UserFactory()
    client.force_login(person)
    assert "Rejoindre l'espace des membres</button>" in client.get(invitation).content.decode()
    response = client.post(module_reverse(module, "join", token=imported.invitation_token))
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    assert client.get(room.get_absolute_url()).status_code == 200
    # Someone else with the link is told why not.
    client.force_login(UserFactory())
    client.post(module_reverse(module, "join", token=imported.invitation_token))
    assert "déjà liée à un autre compte" in client.get(invitation).content.decode()
