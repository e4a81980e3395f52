"""Taking part in a module: the ordered steps that decide it, each with the reason a person reads when it fails.

``participation(cap)`` is the requirement behind ``spaces.<cap>_in_module`` and every module's participation
permission (``proposals.add_proposal``, ``supports.add_support``, ``comments.add_comment``,
``surveys.answer_questionnaire``…): its conjunction is ``can_participate(cap)``, its walk is the "why not" that pages
and the API show. The steps, in the order a person should deal with them:

1. ``can_see``: the space is visible to the user and the module published;
2. ``not_archived``: the space is not archived;
3. ``phase``: the module's current phase grants the capability (the reason says when it opens, or since when it is
   closed, when the module's calendar knows);
4. ``signed_in``: the user is signed in (the reason links to the login page);
5. ``in_good_standing``: the account is active and not blocked by moderation;
6. ``eligible``: the module's eligibility rule for the capability, if any, is met (the rule's own reason: not
   verified, with the verification page, another territory, an age out of bounds).

What nobody can change comes first (seeing, the archive, the calendar), then what the person can (sign in, get
verified): a visitor is not asked to sign in to find the phase closed. A module adds its own steps before or after
(``Requirement(step, participation(cap), …)``) and may say a step in its own words (``.replacing(...)``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.core import dates
from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step
from participe.permissions.refusals import Reason
from participe.spaces import predicates as p
from participe.spaces.models import Module, Phase

CapabilityOf = Cap | Callable[[Any], Cap]

# Codes of the reasons, stable for the API and the tests.
CANNOT_SEE = "cannot_see"
ARCHIVED = "archived"
PHASE_CLOSED = "phase_closed"
NOT_SIGNED_IN = "not_signed_in"
BLOCKED = "blocked"


# --- when a capability is open ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The phase granting a capability in force (``current``), else the next one, and the last one that ended."""

    current: Phase | None = None
    next: Phase | None = None
    last: Phase | None = None

    @property
    def is_open(self) -> bool:
        return self.current is not None


def capability_window(module: Module, capability: Cap, now: datetime.datetime | None = None) -> Window:
    """When ``capability`` is granted in ``module``: the phase in force, the next one and the last one."""
    now = now or timezone.now()
    phases = [phase for phase in module.phases.all() if capability in phase.capabilities]
    upcoming = [phase for phase in phases if phase.start > now]
    past = [phase for phase in phases if phase.end <= now]
    return Window(
        current=next((phase for phase in phases if phase.start <= now < phase.end), None),
        next=min(upcoming, key=lambda phase: phase.start) if upcoming else None,
        last=max(past, key=lambda phase: phase.end) if past else None,
    )


def moment(value: datetime.datetime) -> str:
    """ "3 mars 2027 à 9 h", in the local time (participe/core/dates.py)."""
    return dates.long_datetime(value)


# Per capability: (closed during this phase, opens on %(date)s, closed since %(date)s).
PHASE_MESSAGES: dict[Cap, tuple[Any, Any, Any]] = {
    Cap.SUBMIT: (
        gettext_lazy("Le dépôt n'est pas ouvert pendant cette étape."),
        gettext_lazy("Le dépôt ouvrira le %(date)s."),
        gettext_lazy("Le dépôt est clos depuis le %(date)s."),
    ),
    Cap.EDIT_OWN: (
        gettext_lazy("Les contributions ne peuvent pas être modifiées pendant cette étape."),
        gettext_lazy("Les contributions pourront être modifiées à partir du %(date)s."),
        gettext_lazy("Les contributions ne peuvent plus être modifiées depuis le %(date)s."),
    ),
    Cap.SUPPORT: (
        gettext_lazy("Les soutiens ne sont pas ouverts pendant cette étape."),
        gettext_lazy("Les soutiens ouvriront le %(date)s."),
        gettext_lazy("Les soutiens sont clos depuis le %(date)s."),
    ),
    Cap.COMMENT: (
        gettext_lazy("Les commentaires ne sont pas ouverts pendant cette étape."),
        gettext_lazy("Les commentaires ouvriront le %(date)s."),
        gettext_lazy("Les commentaires sont clos depuis le %(date)s."),
    ),
    Cap.VOTE: (
        gettext_lazy("Le vote n'est pas ouvert pendant cette étape."),
        gettext_lazy("Le vote ouvrira le %(date)s."),
        gettext_lazy("Le vote est clos depuis le %(date)s."),
    ),
    Cap.ANSWER: (
        gettext_lazy("Le questionnaire n'est pas ouvert aux réponses."),
        gettext_lazy("Le questionnaire ouvrira le %(date)s."),
        gettext_lazy("Le questionnaire est clos depuis le %(date)s."),
    ),
    Cap.RATE: (
        gettext_lazy("L'évaluation n'est pas ouverte pendant cette étape."),
        gettext_lazy("L'évaluation ouvrira le %(date)s."),
        gettext_lazy("L'évaluation est close depuis le %(date)s."),
    ),
}
SIGN_IN_MESSAGES: dict[Cap, Any] = {
    Cap.SUBMIT: gettext_lazy("Connectez-vous pour déposer une contribution."),
    Cap.EDIT_OWN: gettext_lazy("Connectez-vous pour modifier vos contributions."),
    Cap.SUPPORT: gettext_lazy("Connectez-vous pour soutenir."),
    Cap.COMMENT: gettext_lazy("Connectez-vous pour commenter."),
    Cap.VOTE: gettext_lazy("Connectez-vous pour voter."),
    Cap.ANSWER: gettext_lazy("Connectez-vous pour répondre à ce questionnaire."),
    Cap.RATE: gettext_lazy("Connectez-vous pour évaluer."),
}


def capability_of(capability: CapabilityOf, obj: Any) -> Cap:
    return capability(obj) if callable(capability) and not isinstance(capability, Cap) else capability


def phase_closed_reason(capability: Cap, module: Module | None) -> Reason:
    """The phase does not grant ``capability``: when it will, or since when it no longer does, if known."""
    closed, opens, closed_since = PHASE_MESSAGES.get(
        capability, (_("L'étape en cours ne permet pas de participer."), None, None)
    )
    window = capability_window(module, capability) if module is not None else Window()
    if window.next is not None and opens is not None:
        return Reason(PHASE_CLOSED, str(opens) % {"date": moment(window.next.start)})
    if window.last is not None and closed_since is not None:
        return Reason(PHASE_CLOSED, str(closed_since) % {"date": moment(window.last.end)})
    return Reason(PHASE_CLOSED, str(closed))


def sign_in_reason(message: Any) -> Reason:
    return Reason(NOT_SIGNED_IN, message, action_url=reverse("account_login"), action_label=_("Se connecter"))


def blocked_reason() -> Reason:
    return Reason(BLOCKED, _("Votre compte a été bloqué par la modération : vous ne pouvez plus participer."))


# --- the steps ----------------------------------------------------------------------------------------------------
def can_see_step() -> Step:
    return Step(
        "can_see",
        p.can_view_space & p.module_is_published,
        lambda user, obj: Reason(CANNOT_SEE, _("Ce contenu ne vous est pas accessible.")),
    )


def not_archived_step() -> Step:
    return Step(
        "not_archived",
        ~p.space_is_archived,
        lambda user, obj: Reason(ARCHIVED, _("Cette démarche est archivée : on ne peut plus y participer.")),
    )


def phase_step(capability: CapabilityOf) -> Step:
    return Step(
        "phase",
        p.phase_allows(capability),
        lambda user, obj: phase_closed_reason(capability_of(capability, obj), p.module_of(obj)),
    )


def signed_in_step(capability: CapabilityOf) -> Step:
    def reason(user: Any, obj: Any) -> Reason:
        cap = capability_of(capability, obj)
        return sign_in_reason(SIGN_IN_MESSAGES.get(cap, _("Connectez-vous pour participer.")))

    return Step("signed_in", p.is_signed_in, reason)


def good_standing_step() -> Step:
    return Step("in_good_standing", p.is_in_good_standing, lambda user, obj: blocked_reason())


def eligible_step(capability: CapabilityOf) -> Step:
    def reason(user: Any, obj: Any) -> Reason:
        from participe.verifications.eligibility import check_eligibility

        module = p.module_of(obj)
        why = check_eligibility(user, module, capability_of(capability, obj)).why if module is not None else None
        return why or Reason("not_eligible", _("Vous ne remplissez pas les conditions pour participer ici."))

    return Step("eligible", p.is_eligible_for(capability), reason)


def participation(capability: CapabilityOf) -> Requirement:
    """Signed in, in good standing, able to see the module of a space not archived, in a phase that grants
    ``capability`` (a capability, or a function of the object giving it) and eligible for it."""
    return Requirement(
        can_see_step(),
        not_archived_step(),
        phase_step(capability),
        signed_in_step(capability),
        good_standing_step(),
        eligible_step(capability),
    )


def sign_in_to(message: Any) -> Step:
    """The ``signed_in`` step in a module's words (``participation(cap).replacing("signed_in", sign_in_to(…))``)."""
    return Step("signed_in", p.is_signed_in, lambda user, obj: sign_in_reason(message))
