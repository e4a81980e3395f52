"""Writes of the envelopes: their settings and categories, and opening their vote (an election of the ballot
service). What gives the ballots their meaning (the ballot kind and its limits, the amount) is fixed once the vote
is opened."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from participe.activity.services import audit, snapshot
from participe.ballots import services as ballots
from participe.modules.budgets.models import Category, Envelope, Project
from participe.modules.budgets.schema import SCHEMA_KEY, ballot_projects
from participe.permissions.refusals import require

PERM = "budgets.manage_budget"
FIELDS = [
    "title",
    "description",
    "amount",
    "territory",
    "ballot_kind",
    "max_choices",
    "points",
    "max_points_per_project",
    "rank_points",
    "rule",
    "threshold",
    "tie_break_seed",
    "position",
]
FIXED_ONCE_OPEN = {"amount", "ballot_kind", "max_choices", "points", "max_points_per_project", "rank_points"}


def _check(envelope: Envelope) -> None:
    kind = envelope.ballot_kind
    if kind in (Envelope.BallotKind.MAX, Envelope.BallotKind.K) and not envelope.max_choices:
        raise ValidationError({"max_choices": _("Indiquez le nombre de projets que chacun choisit.")})
    if kind == Envelope.BallotKind.CUMULATIVE and envelope.max_points_per_project > envelope.points:
        raise ValidationError(
            {"max_points_per_project": _("Un projet ne peut pas recevoir plus de points qu'on en a à répartir.")}
        )
    if kind == Envelope.BallotKind.RANKING and not envelope.rank_points_list:
        raise ValidationError({"rank_points": _("Indiquez les points de chaque rang, par exemple 3,2,1.")})
    if envelope.rule not in Envelope.Rule.values:
        raise ValidationError({"rule": _("Cette règle de dépouillement n'existe pas.")})
    if envelope.pk:
        candidates = Project.objects.filter(envelope=envelope).exclude(feasibility=Project.Feasibility.INFEASIBLE)
        dearest = candidates.order_by("-estimated_cost").first()
        if dearest is not None and dearest.estimated_cost > envelope.amount:
            raise ValidationError(
                {
                    "amount": _("Le projet « %(title)s » coûte %(cost)s € : l'enveloppe ne peut pas être plus petite.")
                    % {"title": dearest.title, "cost": dearest.estimated_cost}
                }
            )


@transaction.atomic
def envelope_save(*, actor: Any, module: Any, envelope: Envelope | None, data: dict[str, Any]) -> Envelope:
    """Create an envelope of ``module`` (``envelope`` None) or change one; its ballot is fixed once the vote opened."""
    require(actor, PERM, module)
    creating = envelope is None
    if envelope is None:
        position = Envelope.objects.filter(module=module).aggregate(n=Max("position"))["n"] or 0
        envelope = Envelope(module=module, position=position + 1)
    else:
        envelope = Envelope.objects.select_for_update().get(pk=envelope.pk)
    before = None if creating else snapshot(envelope, FIELDS)
    changed = {n for n in FIELDS if n in data and getattr(envelope, n) != data[n]}
    if envelope.election_id and changed & FIXED_ONCE_OPEN:
        raise ValidationError(_("Le vote est ouvert : la forme du bulletin et le montant ne changent plus."))
    for name in FIELDS:
        if name in data:
            setattr(envelope, name, data[name])
    envelope.full_clean(exclude=["module", "election"])
    _check(envelope)
    envelope.save()
    audit(
        actor=actor,
        action="budgets.envelope_create" if creating else "budgets.envelope_update",
        target=module,
        before=before,
        after=snapshot(envelope, FIELDS),
    )
    return envelope


@transaction.atomic
def categories_save(*, actor: Any, envelope: Envelope, categories: list[tuple[str, int]]) -> list[Category]:
    """Set the envelope's categories (name, minimum share in %): the shares may not add up to more than 100 %."""
    require(actor, PERM, envelope.module)
    names = [name.strip() for name, _share in categories]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise ValidationError({"categories": _("Chaque catégorie a un nom, différent des autres.")})
    if sum(share for _name, share in categories) > 100:
        raise ValidationError({"categories": _("La somme des parts minimales dépasse l'enveloppe entière (100 %).")})
    if any(not 0 <= share <= 100 for _name, share in categories):
        raise ValidationError({"categories": _("Une part minimale est un pourcentage, de 0 à 100.")})
    before = sorted(Category.objects.filter(envelope=envelope).values_list("name", "min_share"))
    if envelope.published_at is not None and before != sorted((n.strip(), s) for n, s in categories):
        raise ValidationError({"categories": _("Les résultats sont publiés : les catégories ne changent plus.")})
    kept = []
    for name, share in categories:
        category, _created = Category.objects.update_or_create(
            envelope=envelope, name=name.strip(), defaults={"min_share": share}
        )
        kept.append(category)
    Category.objects.filter(envelope=envelope).exclude(pk__in=[c.pk for c in kept]).delete()
    audit(actor=actor, action="budgets.categories_save", target=envelope.module, after={"categories": categories})
    return kept


@transaction.atomic
def vote_open(*, actor: Any, envelope: Envelope, channels: str = "both") -> Envelope:
    """Put the envelope's feasible projects to the vote: its election is created in the ballot service (ballots
    with receipts published, results per quartier). Voting itself follows the module's vote phase."""
    require(actor, PERM, envelope.module)
    envelope = Envelope.objects.select_for_update().select_related("module__space").get(pk=envelope.pk)
    if envelope.election_id:
        raise ValidationError(_("Le vote de cette enveloppe est déjà ouvert."))
    if envelope.is_imported:
        raise ValidationError(
            _("Cette enveloppe est importée d'un fichier Pabulib : ses bulletins sont ceux du fichier.")
        )
    if not ballot_projects(envelope):
        raise ValidationError(
            _("Aucun projet n'est soumis au vote : publiez d'abord les réponses « faisable » des services.")
        )
    envelope.election = ballots.election_create(
        actor=actor,
        module=envelope.module,
        key=f"enveloppe-{envelope.pk}",
        title=envelope.title,
        schema=SCHEMA_KEY,
        channels=channels,
        publish_receipts=True,
        territory_results=True,
        min_group=5,
    )
    envelope.save(update_fields=["election", "updated_at"])
    audit(actor=actor, action="budgets.vote_open", target=envelope.module, after={"envelope": envelope.title})
    return envelope
