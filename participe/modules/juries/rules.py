"""Who sees a jury and who runs it (objects: the jury's ``Module``, or one of its items: the predicates find the
module).

- ``juries.view_panel``: the space is visible and the module published (the staff of the space see it before). The
  pool's composition, the commitment, the seed, the panel by draw numbers and the avis are public; names never are.
- ``juries.volunteer``: taking part (signed in, in good standing, the phase allows submitting, eligible under the
  module's rule: a resident of the territory, aged 16 or more — the eligibility rule set in the back-office).
- ``juries.manage_panel``: administrators of the space and of the organisation (quotas, pool, commitment, seed,
  replacements, invitations, the avis and its answers, opening the members' space).
- ``juries.view_room``: the members' space (a ``Room``) is seen by whoever sees its private space — its members, who
  are the accepted members of the jury, and its staff (decision 0032); its documents and its discussion follow
  (attachments and comments: the platform's rules, which read this one).
- ``juries.join_members_space`` (object: the member's ``Volunteer``): the person who accepted the invitation, signed
  in, links their account to it and so becomes a member of the private space — a requirement, so that the page
  says why not.
"""

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.participation import participation, sign_in_to
from participe.spaces.predicates import can_view_space, is_in_good_standing, is_space_staff, module_is_published

can_view = can_view_space & (module_is_published | is_space_staff)


@rules.predicate
def has_accepted(user: Any, volunteer: Any) -> bool:
    return volunteer is not None and volunteer.status == "accepted"


@rules.predicate
def members_space_is_open(user: Any, volunteer: Any) -> bool:
    from participe.modules.juries.models import Room  # the rules load before the models are ready

    return volunteer is not None and Room.objects.filter(panel_id=volunteer.panel_id).exists()


@rules.predicate
def invitation_is_free_or_mine(user: Any, volunteer: Any) -> bool:
    return volunteer is not None and volunteer.user_id in (None, user.pk)


@rules.predicate
def not_another_volunteer(user: Any, volunteer: Any) -> bool:
    """The account is not already that of another volunteer of the same jury (one person, one place in the pool)."""
    return not volunteer.panel.volunteers.filter(user_id=user.pk).exclude(pk=volunteer.pk).exists()


JOIN = Requirement(
    Step(
        "accepted",
        has_accepted,
        Reason("not_a_member", _("Seules les personnes qui ont accepté l'invitation rejoignent l'espace des membres.")),
    ),
    Step(
        "space_open",
        members_space_is_open,
        Reason("members_space_closed", _("L'espace des membres du jury n'est pas encore ouvert : revenez bientôt.")),
    ),
    sign_in_to(_("Connectez-vous (ou créez un compte) pour rejoindre l'espace des membres.")),
    Step(
        "in_good_standing",
        is_in_good_standing,
        Reason("blocked", _("Votre compte a été bloqué par la modération : vous ne pouvez plus participer.")),
    ),
    Step(
        "invitation_free",
        invitation_is_free_or_mine,
        Reason("linked_elsewhere", _("Cette invitation est déjà liée à un autre compte.")),
    ),
    Step(
        "one_place",
        not_another_volunteer,
        Reason("already_volunteer", _("Votre compte est déjà celui d'une autre personne volontaire de ce jury.")),
    ),
)

rules.add_perm("juries.view_panel", can_view)
add_perm("juries.volunteer", participation(Cap.SUBMIT))
rules.add_perm("juries.manage_panel", is_space_staff)
rules.add_perm("juries.view_room", can_view)
add_perm("juries.join_members_space", JOIN)
