"""Paper ballots at polling stations: the stations, the émargement of a person an agent found, and the ballots
typed in batches by two agents.

The émargement and the ballot are never written together on paper: the agent records the émargement when the voter
signs, and the ballots are typed later, a batch at a time (a batch of the urn's ballots, say 50), once by each of two
agents. When both typings agree line for line, the batch's ballots are placed in the box in a shuffled order; when they
differ, the lines are flagged and either agent types the batch again. A station's ballots may never outnumber its
émargements, and the count refuses a station whose numbers differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit, snapshot
from participe.anonymity import mixing
from participe.ballots import box, context, schemas
from participe.ballots.identity import PaperVoter
from participe.ballots.models import (
    Ballot,
    Channel,
    Election,
    Kind,
    PaperBatch,
    PaperEntry,
    PollingStation,
    RollEntry,
    RollKey,
)
from participe.ballots.rules import voted_reason
from participe.ballots.services.casting import lock_for_casting
from participe.core.capabilities import Cap
from participe.permissions.refusals import require
from participe.spaces.predicates import phase_allows
from participe.verifications.eligibility import check_eligibility, check_person

BLANK_CODE = "B"
NULL_CODE = "X"
STATION_FIELDS = ["name", "place", "opening_hours", "territory"]


# --- stations ------------------------------------------------------------------------------------------------------
@transaction.atomic
def station_save(
    *, actor: Any, station: PollingStation, data: dict[str, Any], agents: list[Any] | None = None
) -> PollingStation:
    """Create (``station.pk`` is None) or change a polling station of a module, and who runs it."""
    require(actor, "ballots.manage_election", station.module)
    creating = station.pk is None
    before = None if creating else snapshot(PollingStation.objects.get(pk=station.pk), [*STATION_FIELDS, "agents"])
    for name in STATION_FIELDS:
        if name in data:
            setattr(station, name, data[name])
    station.full_clean()
    station.save()
    if agents is not None:
        station.agents.set(agents)
    audit(
        actor=actor,
        action="station.create" if creating else "station.update",
        target=station,
        before=before,
        after=snapshot(station, [*STATION_FIELDS, "agents"]),
    )
    return station


# --- émargement ----------------------------------------------------------------------------------------------------
def _check_paper_voter(election: Election, voter: PaperVoter) -> None:
    if voter.found_by == "account" and voter.user is not None:
        verdict = check_eligibility(voter.user, election.module, Cap.VOTE)
    else:
        handler = "census" if voter.found_by == "census" else "counter"
        verdict = check_person(
            election.module, Cap.VOTE, handler=handler, territory=voter.territory, birth_date=voter.birth_date
        )
    reason = verdict.reason if not verdict.allowed else _schema_refusal(election, voter)
    if reason:
        raise ValidationError(_("Cette personne ne peut pas voter à ce scrutin : %(reason)s") % {"reason": reason})


def _schema_refusal(election: Election, voter: PaperVoter) -> str | None:
    """What the election's schema says against this person, as online (a budget envelope of a quartier admits its
    residents): by their account when the agent found them by it, else by the place the census or the documents
    give (``place_refusal(election, territory_ids)``)."""
    schema = schemas.get(election.schema)
    if voter.found_by == "account" and voter.user is not None:
        refusal = getattr(schema, "refusal", None)
        return refusal(election, voter.user) if refusal is not None else None
    place_refusal = getattr(schema, "place_refusal", None)
    territory = voter.territory.pk if voter.territory is not None else None
    return place_refusal(election, {territory}) if place_refusal is not None else None


def _check_station(election: Election, station: PollingStation) -> None:
    if station.module_id != election.module_id:
        raise ValidationError(_("Ce bureau de vote n'appartient pas à ce scrutin."))
    if not election.paper:
        raise ValidationError(_("Ce scrutin n'a pas de vote au bureau de vote."))


def roll_sign_paper(*, actor: Any, election: Election, station: PollingStation, voter: PaperVoter) -> RollEntry:
    """Record the émargement of a person who votes at ``station`` (their ballot goes in the urn, typed later).

    Refused when the station is not open (the vote phase), the person is not eligible, or they already voted by any
    channel (the message says which, never what)."""
    require(actor, "ballots.run_station", station)
    _check_station(election, station)
    _check_paper_voter(election, voter)
    try:
        with transaction.atomic():
            lock_for_casting(election)
            if election.status != Election.Status.OPEN or not phase_allows(Cap.VOTE)(actor, election):
                raise ValidationError(_("Le bureau de vote est fermé : le vote n'est pas ouvert en ce moment."))
            entry = RollEntry.objects.create(
                election=election, voter=voter.user, channel=Channel.PAPER, station=station, recorded_by=actor
            )
            RollKey.objects.bulk_create([RollKey(election=election, key=k, entry=entry) for k in voter.keys])
            audit(
                actor=actor,
                action="ballot.sign_paper",
                target=election,
                on_behalf_of=voter.user,
                after={"station": station.pk, "found_by": voter.found_by},
            )
    except IntegrityError:
        existing = (
            RollKey.objects.select_related("entry__station").filter(election=election, key__in=voter.keys).first()
        )
        message = voted_reason(existing.entry, for_agent=True).message if existing else _("Cette personne a déjà voté.")
        raise ValidationError(str(message)) from None
    finally:
        context.release(election.module)
    return entry


# --- batches -------------------------------------------------------------------------------------------------------
@dataclass
class BatchOutcome:
    """What became of a typing: waiting for the second agent, mismatching lines, or validated."""

    batch: PaperBatch
    validated: bool = False
    waiting: bool = False
    mismatches: list[tuple[int, str, str]] = field(default_factory=list)  # (line, this typing, the other)


def parse_codes(election: Election, codes: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Each typed code as (kind, content); ``ValidationError`` listing the lines the schema refuses."""
    schema = schemas.get(election.schema)
    parsed: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    for number, raw in enumerate(codes, start=1):
        code = raw.strip().upper()
        if code == BLANK_CODE:
            parsed.append((Kind.BLANK, {}))
            continue
        if code == NULL_CODE:
            parsed.append((Kind.NULL, {}))
            continue
        try:
            parsed.append((Kind.VALID, schema.parse_paper(election, code)))
        except ValidationError as exc:
            errors.append(
                _("Ligne %(line)s (« %(code)s ») : %(error)s")
                % {"line": number, "code": raw, "error": " ".join(exc.messages)}
            )
    if errors:
        raise ValidationError(errors)
    return parsed


def _canonical(parsed: tuple[str, dict[str, Any]]) -> str:
    return json.dumps([parsed[0], parsed[1]], sort_keys=True)


def _check_batch_input(election: Election, number: int, declared_count: int, codes: list[str]) -> None:
    if election.status not in (Election.Status.OPEN, Election.Status.CLOSED):
        raise ValidationError(_("Ce scrutin est dépouillé ou annulé : on ne saisit plus de bulletins."))
    if number < 1 or declared_count < 1:
        raise ValidationError(_("Le numéro du lot et son nombre de bulletins sont des nombres positifs."))
    if len(codes) != declared_count:
        raise ValidationError(
            {
                "codes": _("Le lot compte %(declared)s bulletins, mais %(typed)s lignes sont saisies.")
                % {"declared": declared_count, "typed": len(codes)}
            }
        )


def batch_enter(
    *, actor: Any, election: Election, station: PollingStation, number: int, declared_count: int, codes: list[str]
) -> BatchOutcome:
    """Record ``actor``'s typing of batch ``number`` of ``station`` (one code per ballot); validate the batch when
    another agent's typing agrees line for line, placing its ballots in the box, shuffled."""
    require(actor, "ballots.run_station", station)
    _check_station(election, station)
    codes = [c.strip() for c in codes if c.strip()]
    _check_batch_input(election, number, declared_count, codes)
    parsed = parse_codes(election, codes)
    with transaction.atomic():
        batch, _created = PaperBatch.objects.select_for_update().get_or_create(
            election=election, station=station, number=number, defaults={"declared_count": declared_count}
        )
        if batch.status == PaperBatch.Status.VALIDATED:
            raise ValidationError(_("Ce lot est déjà validé : ses bulletins sont dans l'urne."))
        if batch.declared_count != declared_count:
            raise ValidationError(
                {
                    "declared_count": _("La première saisie de ce lot compte %(count)s bulletins : recomptez le lot.")
                    % {"count": batch.declared_count}
                }
            )
        PaperEntry.objects.update_or_create(batch=batch, agent=actor, defaults={"codes": codes})
        audit(actor=actor, action="ballot.paper_entry", target=election, after={"station": station.pk, "batch": number})
        other = batch.entries.exclude(agent=actor).order_by("-updated_at").first()
        if other is None:
            return BatchOutcome(batch=batch, waiting=True)
        mismatches = _mismatches(election, codes, parsed, other.codes)
        if mismatches:
            return BatchOutcome(batch=batch, mismatches=mismatches)
        _validate(actor, election, station, batch, parsed)
    return BatchOutcome(batch=batch, validated=True)


def _mismatches(
    election: Election, codes: list[str], parsed: list[tuple[str, dict[str, Any]]], other: list[str]
) -> list[tuple[int, str, str]]:
    theirs = parse_codes(election, other)
    return [
        (line, codes[line - 1], other[line - 1])
        for line in range(1, len(codes) + 1)
        if _canonical(parsed[line - 1]) != _canonical(theirs[line - 1])
    ]


def _validate(
    actor: Any,
    election: Election,
    station: PollingStation,
    batch: PaperBatch,
    parsed: list[tuple[str, dict[str, Any]]],
) -> None:
    signed = RollEntry.objects.filter(election=election, station=station).count()
    boxed = Ballot.objects.filter(election=election, station=station).count()
    if boxed + len(parsed) > signed:
        raise ValidationError(
            _(
                "Ce lot porterait à %(total)s les bulletins du bureau, qui ne compte que %(signed)s émargements : "
                "vérifiez le lot et la liste d'émargement."
            )
            % {"total": boxed + len(parsed), "signed": signed}
        )
    mixing.place(
        box.BALLOTS,
        election.pk,
        [
            {
                "content": content,
                "kind": kind,
                "channel": Channel.PAPER,
                "station_id": station.pk,
                "territory_id": station.territory_id if election.territory_results else None,
                "receipt": None,
            }
            for kind, content in parsed
        ],
    )
    batch.status = PaperBatch.Status.VALIDATED
    batch.validated_at = timezone.now()
    batch.save(update_fields=["status", "validated_at", "updated_at"])
    audit(
        actor=actor,
        action="ballot.paper_batch_validated",
        target=election,
        after={"station": station.pk, "batch": batch.number, "ballots": len(parsed)},
    )
