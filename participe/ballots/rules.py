"""Who may see an election, vote in it, run a polling station, and manage it.

Objects are an ``Election`` (its ``module`` gives the space, the phase and the eligibility rule), a ``Module`` for
managing, or a ``PollingStation``.

- ``ballots.view_election``: the module is visible to the user (staff of the space see it unpublished).
- ``ballots.cast_ballot``: signed in, the module's current phase grants ``Cap.VOTE``, the space is not archived, the
  user meets the module's eligibility rule for voting, the election is open and takes online ballots. Not having
  voted yet is the roll's (its keys are unique per election): ``explain`` adds it, with the channel, and gives the
  reasons in the order a person deals with them; pages and the API show what ``explain`` says.
- ``ballots.view_results``: the election is counted and visible.
- ``ballots.manage_election``: organisation administrators and administrators of the space.
- ``ballots.run_station``: the agents assigned to the station, and who manages the election.
"""

from __future__ import annotations

from typing import Any

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.ballots import schemas, selectors
from participe.ballots.models import Election, PollingStation
from participe.core import dates
from participe.core.capabilities import Cap
from participe.permissions import explain
from participe.permissions.refusals import Reason, Verdict
from participe.spaces.predicates import (
    can_participate,
    can_view_space,
    is_authenticated,
    is_eligible_for,
    is_space_staff,
    is_verified,
    module_is_published,
    phase_allows,
    space_is_archived,
)
from participe.verifications.eligibility import check_eligibility


def _election(obj: Any) -> Election | None:
    return obj if isinstance(obj, Election) else None


@rules.predicate
def election_is_open(user: Any, obj: Any) -> bool:
    election = _election(obj)
    return election is not None and election.status == Election.Status.OPEN


@rules.predicate
def election_takes_online_ballots(user: Any, obj: Any) -> bool:
    election = _election(obj)
    return election is not None and election.online


@rules.predicate
def election_is_counted(user: Any, obj: Any) -> bool:
    election = _election(obj)
    return election is not None and election.status == Election.Status.COUNTED


@rules.predicate
def is_station_agent(user: Any, obj: Any) -> bool:
    if not isinstance(obj, PollingStation) or not is_authenticated(user):
        return False
    return obj.agents.filter(pk=user.pk).exists()


@rules.predicate
def has_voted(user: Any, obj: Any) -> bool:
    election = _election(obj)
    return election is not None and selectors.roll_entry_of(user, election) is not None


def _schema_reason(user: Any, election: Election) -> Reason | None:
    """What the election's schema says against this voter (a budget envelope of a quartier: its residents only);
    a schema without ``refusal(election, user)`` admits everyone the module's eligibility rule admits."""
    try:
        refusal = getattr(schemas.get(election.schema), "refusal", None)
    except LookupError:
        return None
    message = refusal(election, user) if refusal is not None and is_authenticated(user) else None
    return Reason("not_eligible", message) if message else None


@rules.predicate
def schema_admits(user: Any, obj: Any) -> bool:
    election = _election(obj)
    return election is not None and _schema_reason(user, election) is None


can_view = can_view_space & (module_is_published | is_space_staff)
# ``cast_ballot`` (what the casting service requires) leaves having voted out: the roll's unique keys refuse a second
# émargement whatever the channel, even from a concurrent request, and a repeated request gets its first answer.
# ``vote_now`` (what the pages and the API ask, to show the ballot or why not) adds it, with the channel it was cast by.
can_cast = can_participate(Cap.VOTE) & election_is_open & election_takes_online_ballots & schema_admits

rules.add_perm("ballots.view_election", can_view)
rules.add_perm("ballots.cast_ballot", can_cast)
rules.add_perm("ballots.vote_now", can_cast & ~has_voted)
rules.add_perm("ballots.view_results", can_view & election_is_counted)
rules.add_perm("ballots.manage_election", is_space_staff)
rules.add_perm("ballots.run_station", is_space_staff | is_station_agent)


# --- why not -----------------------------------------------------------------------------------------------------
SIGN_IN = Reason(
    "sign_in", _("Connectez-vous pour voter."), action_url="/compte/login/", action_label=_("Se connecter")
)


def _status_reason(election: Election) -> Reason | None:
    if election.status == Election.Status.ANNULLED:
        return Reason("annulled", _("Ce scrutin a été annulé : %(reason)s") % {"reason": election.annul_reason})
    if election.status != Election.Status.OPEN:
        return Reason("closed", _("Le scrutin est clos : on ne peut plus voter."))
    if not election.online:
        return Reason(
            "paper_only", _("Ce scrutin se tient seulement au bureau de vote : le vote en ligne n'est pas ouvert.")
        )
    return None


def _phase_reason(user: Any, election: Election) -> Reason | None:
    if space_is_archived(user, election):
        return Reason("archived", _("Cette démarche est archivée : on n'y participe plus."))
    if not phase_allows(Cap.VOTE)(user, election):
        return Reason("not_open", _("Le vote n'est pas ouvert en ce moment."))
    return None


def _eligibility_reason(user: Any, election: Election) -> Reason | None:
    if is_eligible_for(Cap.VOTE)(user, election):
        return None
    verdict = check_eligibility(user, election.module, Cap.VOTE)
    return Reason(
        "not_eligible",
        verdict.reason,
        action_url=None if is_verified(user) else reverse("verifications:index"),
        action_label=_("Vérifier mon lieu de résidence"),
    )


def voted_reason(entry: Any, *, for_agent: bool = False) -> Reason:
    """Says by which channel (and where, on what day) the voter already voted; never what they voted."""
    day = dates.long_date(entry.at) if entry.at else ""
    station = entry.station.name if entry.channel == "paper" and entry.station is not None else ""
    if for_agent and station:
        message = _("Cette personne a déjà voté à ce scrutin, au bureau de vote « %(station)s », le %(day)s.")
    elif for_agent:
        message = _("Cette personne a déjà voté à ce scrutin, en ligne, le %(day)s.")
    elif station:
        message = _(
            "Vous avez déjà voté à ce scrutin, au bureau de vote « %(station)s », le %(day)s. "
            "On ne vote qu'une fois, en ligne ou sur papier."
        )
    else:
        message = _(
            "Vous avez déjà voté à ce scrutin, en ligne, le %(day)s. On ne vote qu'une fois, en ligne ou sur papier."
        )
    return Reason("already_voted", message % {"station": station, "day": day})


def explain_cast(user: Any, obj: Any) -> Verdict:
    """Why ``user`` may not cast a ballot in ``obj`` (an election) now, in the order they can deal with it (having
    voted aside: ``explain_vote_now``)."""
    election = _election(obj)
    if election is None:
        return Verdict.no()
    if not is_authenticated(user):
        return Verdict.no(SIGN_IN)
    if not can_view(user, election):
        return Verdict.no(Reason("not_visible", _("Ce scrutin n'est pas accessible.")))
    reasons = (
        _status_reason(election),
        _phase_reason(user, election),
        _eligibility_reason(user, election),
        _schema_reason(user, election),
    )
    for reason in reasons:
        if reason is not None:
            return Verdict.no(reason)
    return Verdict.yes()


def explain_vote_now(user: Any, obj: Any) -> Verdict:
    """``explain_cast``, then whether (and by which channel) ``user`` already voted."""
    verdict = explain_cast(user, obj)
    if not verdict.allowed:
        return verdict
    election = _election(obj)
    entry = selectors.roll_entry_of(user, election) if election is not None else None
    return Verdict.no(voted_reason(entry)) if entry is not None else Verdict.yes()


def explain_results(user: Any, obj: Any) -> Verdict:
    election = _election(obj)
    if election is not None and not election_is_counted(user, election):
        return Verdict.no(Reason("not_counted", _("Les résultats seront publiés après le dépouillement.")))
    return Verdict.yes() if user.has_perm("ballots.view_results", obj) else Verdict.no()


explain.register("ballots.cast_ballot", explain_cast)
explain.register("ballots.vote_now", explain_vote_now)
explain.register("ballots.view_results", explain_results)
