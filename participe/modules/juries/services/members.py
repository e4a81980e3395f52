"""The jury's life after the draw (decision 0032): the members' private space — a private space of the platform,
whose members are the jury's accepted members — with its documents and discussion (a ``Room``) and its sessions (a
meetings module, read through the links' offer of kind ``session``: this module never imports another one).

The memberships follow the members' answers (``members_sync``): accepting the invitation with an account, or
linking one to it later (``member_join``), makes a member of the space; declining removes them. The administrators
of the jury's démarche administer the private space too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.juries.models import Panel, Room, Volunteer
from participe.modules.juries.services.panels import NOT_STAFF, panel_of
from participe.permissions.refusals import require
from participe.spaces import hooks
from participe.spaces.models import Module, Space, SpaceMembership
from participe.spaces.services import module_create, unique_slug

MEMBER, ADMIN = SpaceMembership.Role.MEMBER, SpaceMembership.Role.ADMIN


@transaction.atomic
def members_space_open(*, actor: User, module: Module, welcome: str = "") -> Room:
    """Open the jury's private space (once): a private, published space « <jury> — espace des membres » with the
    members' documents and discussion and the jury's sessions (an agenda where agents announce them), its members the
    accepted members, its administrators those of the jury's démarche. Opening it again returns it."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    existing = Room.objects.filter(panel=panel).select_related("module__space").first()
    if existing is not None:
        return existing
    jury_space = module.space
    title = _("%(jury)s — espace des membres") % {"jury": module.title}
    space = Space.objects.create(
        title=title[:200],
        slug=unique_slug(Space, title),
        kind=Space.Kind.ASSEMBLY,
        visibility=Space.Visibility.PRIVATE,
        status=Space.Status.PUBLISHED,
        published_at=timezone.now(),
        summary=_("L'espace de travail des membres du jury : documents, échanges et séances.")[:300],
        created_by=actor,
    )
    space.territories.set(jury_space.territories.all())
    space.themes.set(jury_space.themes.all())
    SpaceMembership.objects.get_or_create(space=space, user=actor, role=ADMIN)
    _copy_admins(jury_space, space)
    room_module = module_create(
        actor=actor, space=space, module_type="juries", title=_("Documents et discussion"), blueprint="espace-membres"
    )
    room = Room.objects.create(
        module=room_module, panel=panel, title=_("Documents et discussion"), welcome=welcome.strip()
    )
    module_create(actor=actor, space=space, module_type="meetings", title=_("Séances du jury"), blueprint="agenda")
    hooks.changed(space)
    audit(actor=actor, action="juries.members_space_open", target=module, after={"space": space.slug})
    members_sync(panel)
    return room


def _copy_admins(jury_space: Space, space: Space) -> None:
    for user_id in jury_space.memberships.filter(role=ADMIN).values_list("user_id", flat=True):
        SpaceMembership.objects.get_or_create(space=space, user_id=user_id, role=ADMIN)


def members_sync(panel: Panel) -> None:
    """Make the private space's members the jury's accepted members who have an account (the others drawn, who
    declined, lose their membership), and its administrators include the jury démarche's. Called by every service
    that changes a member's answer or account."""
    room = Room.objects.filter(panel=panel).select_related("module__space").first()
    if room is None:
        return
    space = room.module.space
    _copy_admins(panel.module.space, space)
    linked = panel.volunteers.filter(user__isnull=False)
    accepted = set(linked.filter(status=Volunteer.Status.ACCEPTED).values_list("user_id", flat=True))
    others = set(linked.exclude(status=Volunteer.Status.ACCEPTED).values_list("user_id", flat=True)) - accepted
    current = set(SpaceMembership.objects.filter(space=space, role=MEMBER).values_list("user_id", flat=True))
    added, removed = sorted(accepted - current), sorted(others & current)
    SpaceMembership.objects.bulk_create(
        [SpaceMembership(space=space, user_id=pk, role=MEMBER) for pk in added], ignore_conflicts=True
    )
    SpaceMembership.objects.filter(space=space, role=MEMBER, user_id__in=removed).delete()
    if added or removed:
        audit(actor=None, action="juries.members_sync", target=space, after={"added": added, "removed": removed})


@transaction.atomic
def member_join(*, actor: User, token: str) -> Volunteer:
    """The person who accepted the invitation (the link's token is their proof) links their account to it and so
    enters the members' space (``juries.join_members_space`` says why not)."""
    volunteer = Volunteer.objects.select_for_update().select_related("panel").filter(invitation_token=token).first()
    if volunteer is None:
        raise ValidationError(_("Cette invitation n'existe pas."))
    require(actor, "juries.join_members_space", volunteer)
    if volunteer.user_id != actor.pk:
        volunteer.user = actor
        volunteer.save(update_fields=["user", "updated_at"])
        audit(
            actor=actor,
            action="juries.member_join",
            target=volunteer.panel.module,
            after={"reference": volunteer.reference},
        )
    members_sync(volunteer.panel)
    return volunteer
