"""An election's life: created by its module, closed (the roll is sealed), counted (the box is sealed, the tally
file published), or annulled. Administrators never edit a ballot."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit, snapshot
from participe.anonymity import mixing
from participe.ballots import box, schemas, selectors
from participe.ballots.models import Channel, Election, RollEntry
from participe.ballots.services.counting import count_election
from participe.core.capabilities import Cap
from participe.permissions.refusals import require
from participe.spaces.predicates import phase_allows

SETTINGS = [
    "title",
    "channels",
    "publish_receipts",
    "territory_results",
    "min_group",
    "allow_blank",
    "batch_size",
]
# What changes the meaning of ballots already cast: fixed once the first émargement is recorded.
FIXED_ONCE_VOTING = {"channels", "publish_receipts", "territory_results", "allow_blank"}


def _check_schema(key: str) -> None:
    try:
        schemas.get(key)
    except LookupError:
        raise ValidationError({"schema": _("Cette forme de bulletin n'existe pas.")}) from None


def election_create(*, actor: Any, module: Any, key: str, title: str, schema: str, **options: Any) -> Election:
    """A new election of ``module`` (its owner calls it), with the ballot schema registered under ``schema``."""
    require(actor, "ballots.manage_election", module)
    _check_schema(schema)
    election = Election(module=module, key=key, title=title, schema=schema)
    for name, value in options.items():
        if name in SETTINGS:
            setattr(election, name, value)
    election.full_clean()
    with transaction.atomic():
        election.save()
        audit(actor=actor, action="election.create", target=election, after=snapshot(election, ["schema", *SETTINGS]))
    return election


@transaction.atomic
def election_update(*, actor: Any, election: Election, **changes: Any) -> Election:
    """Change an open election's settings; those that give ballots their meaning are fixed once someone voted."""
    require(actor, "ballots.manage_election", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.OPEN:
        raise ValidationError(_("Ce scrutin est clos : ses réglages ne changent plus."))
    before = snapshot(election, SETTINGS)
    voted = RollEntry.objects.filter(election=election).exists()
    for name, value in changes.items():
        if name not in SETTINGS or before.get(name) == value:
            continue
        if voted and name in FIXED_ONCE_VOTING:
            raise ValidationError(
                {name: _("Des électeurs ont déjà voté : ce réglage ne peut plus changer pendant le scrutin.")}
            )
        setattr(election, name, value)
    election.full_clean()
    election.save()
    audit(actor=actor, action="election.update", target=election, before=before, after=snapshot(election, SETTINGS))
    return election


def _seal_roll(election_id: int, actor: Any, reason: str) -> bool:
    with transaction.atomic():
        # FOR UPDATE waits for the casts in flight (they hold the row in share mode) and blocks the next ones
        # until the state is written: a cast is either wholly before the closing or refused.
        election = Election.objects.select_for_update().get(pk=election_id)
        if election.status != Election.Status.OPEN:
            return False
        election.status = Election.Status.CLOSED
        election.closed_at = timezone.now()
        election.save(update_fields=["status", "closed_at", "updated_at"])
        audit(actor=actor, action="election.close", target=election, reason=reason)
    _flush(election_id)
    return True


def _flush(election_id: int) -> None:
    """Move every ballot still waiting into the box, waiting for the mixers at work — in a transaction of its own,
    after the election's row is released (a mixer's insert checks its foreign key to that row)."""
    mixing.mix(box.spec(0), election_id, minimum=0, wait=True)
    mixing.purge(box.BALLOTS)


def election_close(*, actor: Any, election: Election) -> None:
    """Close the vote now: no émargement and no online ballot is accepted any more (paper batches still are)."""
    require(actor, "ballots.manage_election", election)
    if not _seal_roll(election.pk, actor, ""):
        raise ValidationError(_("Ce scrutin n'est pas ouvert."))
    election.refresh_from_db()


def elections_close_due(module: Any) -> int:
    """Close the open elections of ``module`` once its current phase no longer grants voting (the module's
    ``phase_changed`` hook calls it: time decided, there is no actor). Returns how many were closed."""
    if phase_allows(Cap.VOTE)(None, module):
        return 0
    closed = 0
    for election_id in Election.objects.filter(module=module, status=Election.Status.OPEN).values_list("pk", flat=True):
        closed += _seal_roll(election_id, None, _("Fin de l'étape de vote."))
    return closed


def differences(election: Election) -> list[str]:
    """Each channel or station whose ballots do not match its émargements, said for the administrator."""
    found = []
    for line in selectors.count_lines(election):
        if line.difference == 0:
            continue
        where = _("En ligne") if line.channel == Channel.ONLINE else (line.station.name if line.station else "?")
        found.append(
            _("%(where)s : %(signed)s émargements, %(ballots)s bulletins (écart : %(difference)+d).")
            % {
                "where": where,
                "signed": line.signed,
                "ballots": line.ballots + line.waiting,
                "difference": line.difference,
            }
        )
    return found


def election_count(*, actor: Any, election: Election) -> Election:
    """Seal the box and count: refused, with the difference per channel and station, unless every émargement has its
    ballot. Then the box is reshuffled as a whole, totals and results computed, and the tally file published."""
    require(actor, "ballots.manage_election", election)
    closed = Election.objects.filter(pk=election.pk, status=Election.Status.CLOSED).exists()
    if not closed:
        raise ValidationError(_("On dépouille un scrutin clos, une seule fois."))
    _flush(election.pk)  # only once closed: while open, ballots join the box by batches of at least k
    with transaction.atomic():
        election = Election.objects.select_for_update().select_related("module__space").get(pk=election.pk)
        if election.status != Election.Status.CLOSED:
            raise ValidationError(_("On dépouille un scrutin clos, une seule fois."))
        mixing.mix(box.spec(0), election.pk, minimum=0)
        if mixing.pending(box.BALLOTS, election.pk):
            raise ValidationError(_("Des bulletins sont en cours de mélange : recommencez dans un instant."))
        found = differences(election)
        if found:
            raise ValidationError([_("Le nombre de bulletins ne correspond pas aux émargements."), *found])
        mixing.reshuffle(box.BALLOTS, election.pk)
        election.counted_at = timezone.now()
        count_election(election)
        election.status = Election.Status.COUNTED
        election.save()
        audit(
            actor=actor,
            action="election.count",
            target=election,
            after={"ballots": election.totals.get("ballots"), "sha256": election.tally_sha256},
        )
    mixing.purge(box.BALLOTS)
    mixing.purge_target(box.BALLOTS)
    return election


@transaction.atomic
def election_annul(*, actor: Any, election: Election, reason: str) -> Election:
    """Annul the election, with a reason shown publicly. Its ballots stay in the box, uncounted."""
    require(actor, "ballots.manage_election", election)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation : il sera rendu public.")})
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status == Election.Status.ANNULLED:
        raise ValidationError(_("Ce scrutin est déjà annulé."))
    before = {"status": election.status}
    election.status = Election.Status.ANNULLED
    election.annulled_at = timezone.now()
    election.annul_reason = reason
    election.save(update_fields=["status", "annulled_at", "annul_reason", "updated_at"])
    audit(actor=actor, action="election.annul", target=election, before=before, reason=reason)
    return election
