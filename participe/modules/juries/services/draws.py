"""Draws: the commitment (hashes published before the seed exists), the draw from the seed, replacements with the
same publicity, and the members' answers to their invitation."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.juries import selectors
from participe.modules.juries.models import Draw, Panel, Volunteer
from participe.modules.juries.services.members import members_sync
from participe.modules.juries.services.panels import panel_of
from participe.modules.juries.sortition import (
    ALGORITHM_VERSION,
    Infeasible,
    Instance,
    Lottery,
    SeedError,
    Shortfall,
    instance_from_texts,
    leximin,
    normalize_seed,
)
from participe.modules.juries.sortition.model import Quota
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Module

NOT_STAFF_DRAW = Reason("not_space_staff", gettext_lazy("Seule l'équipe de la démarche procède au tirage."))


def software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        highs = version("highspy")
    except PackageNotFoundError:  # pragma: no cover
        highs = "?"
    return f"{ALGORITHM_VERSION}; highspy {highs}"


def explain(shortfalls: list[Shortfall], labels: dict[str, str]) -> list[str]:
    """The quotas to move, in words."""
    out = []
    for s in shortfalls:
        feature, value = labels.get(s.feature, s.feature), labels.get(f"{s.feature}={s.value}", s.value)
        if s.kind == "size":
            out.append(_("Il manque %(n)s volontaires pour former le jury.") % {"n": s.people})
        elif not s.value:
            key = "minimums" if s.kind == "min" else "maximums"
            text = (
                _("« %(feature)s » : les minimums dépassent la taille du jury de %(n)s personnes.")
                if key == "minimums"
                else _("« %(feature)s » : les maximums laissent %(n)s places vides.")
            )
            out.append(text % {"feature": feature, "n": s.people})
        elif s.kind == "min":
            out.append(
                _("« %(feature)s » = « %(value)s » : il manque %(n)s personnes pour atteindre le minimum.")
                % {"feature": feature, "value": value, "n": s.people}
            )
        else:
            out.append(
                _("« %(feature)s » = « %(value)s » : il faudrait %(n)s personnes de plus que le maximum.")
                % {"feature": feature, "value": value, "n": s.people}
            )
    return out


def _relax(quotas: list[Quota], shortfalls: list[Shortfall]) -> list[Quota]:
    moved = {(s.feature, s.value, s.kind): s.people for s in shortfalls}
    return [
        Quota(
            q.feature,
            q.value,
            max(0, q.min - moved.get((q.feature, q.value, "min"), 0)),
            q.max + moved.get((q.feature, q.value, "max"), 0),
        )
        for q in quotas
    ]


def _replacement_problem(panel: Panel) -> tuple[list[Quota], int]:
    members = list(selectors.members(panel).values_list("profile", flat=True))
    kept = Counter((k, v) for profile in members for k, v in profile.items())
    return selectors.quotas_of(panel, kept=dict(kept)), panel.size - len(members)


def _commitment_hash(draw: Draw) -> str:
    document = {
        "pool_sha256": draw.pool_sha256,
        "quotas_sha256": draw.quotas_sha256,
        "lottery_sha256": draw.lottery_sha256,
        "size": draw.size,
        "software": draw.software_version,
        "source": draw.source,
        "source_date": draw.source_date.isoformat(),
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _solve(panel: Panel, quotas: list[Quota], size: int, replacement: bool) -> tuple[Instance, Lottery, list]:
    instance = selectors.pool_instance(panel, quotas, size)
    try:
        return instance, Lottery.from_distribution(instance, leximin(instance)), []
    except Infeasible as error:
        if not replacement or any(s.kind == "size" for s in error.shortfalls):
            raise ValidationError(explain(error.shortfalls, selectors.labels(panel))) from None
        # Replacements keep the quotas as far as possible: the smallest move that lets a panel exist, published.
        instance = selectors.pool_instance(panel, _relax(quotas, error.shortfalls), size)
        relaxed = [s.as_dict() for s in error.shortfalls]
        return instance, Lottery.from_distribution(instance, leximin(instance)), relaxed


@transaction.atomic
def draw_commit(*, actor: User, module: Module, source: str, source_date: datetime.date) -> Draw:
    """Compute the leximin distribution over the pool and publish its commitment: the hashes of the pool, the
    quotas and the ticket list, the software version, and the public random source whose result will be the seed.

    The first draw selects the whole panel; later ones replace the members who declined, under the quotas less
    what the members kept already fill (moved as little as possible when they cannot be met, and said so).
    Refused to anyone but the staff of the space; a draw waiting for its seed must be run first."""
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF_DRAW)
    panel = Panel.objects.select_for_update().get(pk=panel_of(module).pk)
    source = source.strip()
    if not source or len(source) > 200:
        raise ValidationError({"source": _("Nommez la source publique de hasard (200 caractères au plus).")})
    if source_date < timezone.localdate():
        raise ValidationError({"source_date": _("La source doit être tirée après l'engagement, pas avant.")})
    if selectors.pending_draw(panel) is not None:
        raise ValidationError(_("Un tirage engagé attend sa graine : procédez-y d'abord."))
    number = panel.draws.count() + 1
    if number == 1:
        quotas, size = selectors.quotas_of(panel), panel.size
    else:
        quotas, size = _replacement_problem(panel)
        if size <= 0:
            raise ValidationError(_("Le jury est complet : aucun remplacement à tirer."))
    if not quotas:
        raise ValidationError(_("Ajoutez d'abord les caractéristiques à équilibrer et leurs quotas."))
    instance, lottery, relaxed = _solve(panel, quotas, size, replacement=number > 1)
    probabilities = lottery.probabilities(instance)
    draw = Draw(
        panel=panel,
        number=number,
        size=size,
        source=source,
        source_date=source_date,
        pool_text=instance.pool_text(),
        quotas_text=instance.quotas_text(),
        pool_sha256=instance.pool_sha256(),
        quotas_sha256=instance.quotas_sha256(),
        lottery=lottery.as_json(),
        lottery_sha256=lottery.sha256(),
        software_version=software_version(),
        committed_at=timezone.now(),
        committed_by=actor,
        relaxed=relaxed,
        min_probability=min(probabilities.values()),
        max_probability=max(probabilities.values()),
    )
    draw.commitment_sha256 = _commitment_hash(draw)
    draw.save()
    volunteers = list(panel.volunteers.filter(status=Volunteer.Status.POOL))
    for volunteer in volunteers:
        volunteer.probability = probabilities.get(volunteer.reference)
    Volunteer.objects.bulk_update(volunteers, ["probability"])
    audit(
        actor=actor,
        action="juries.commit",
        target=module,
        after={"draw": number, "commitment": draw.commitment_sha256, "source": source},
    )
    return draw


def _invite(volunteers: list[Volunteer], module: Module) -> None:
    for volunteer in volunteers:
        if volunteer.email:
            send_mail(
                _("Vous avez été tiré·e au sort : %(title)s") % {"title": module.title},
                _(
                    "Bonjour,\n\nVous avez été tiré·e au sort pour « %(title)s ». Acceptez ou déclinez l'invitation "
                    "ici : %(url)s\n"
                )
                % {"title": module.title, "url": invitation_path(volunteer)},
                None,
                [volunteer.email],
                fail_silently=True,
            )


def invitation_path(volunteer: Volunteer) -> str:
    """The address of the member's answer page (its token is their proof)."""
    from participe.spaces.urls import module_reverse  # the URL configuration imports this module's views

    return module_reverse(volunteer.panel.module, "invitation", token=volunteer.invitation_token)


@transaction.atomic
def draw_run(*, actor: User, draw: Draw, seed: str) -> list[str]:
    """Draw the panel from the seed (the public source's result) and invite the people drawn.

    The draw's row is locked: a second submission finds it done and changes nothing. Raises ``ValidationError`` for a
    malformed seed."""
    module = draw.panel.module
    require(actor, "juries.manage_panel", module, reason=NOT_STAFF_DRAW)
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if locked.drawn_at is not None:
        raise ValidationError(_("Ce tirage a déjà eu lieu."))
    try:
        normalized = normalize_seed(seed)
    except SeedError:
        raise ValidationError(
            {
                "seed": _(
                    "La graine s'écrit en nombres séparés par des espaces, les groupes par « / » : "
                    "par exemple « 4 12 23 35 47 / 8 »."
                )
            }
        ) from None
    lottery = Lottery.from_json(locked.lottery)
    instance = instance_from_texts(locked.pool_text, locked.quotas_text, locked.size)  # the pool as committed
    chosen = lottery.draw(instance, seed)
    locked.seed, locked.seed_normalized, locked.drawn_at, locked.result = (
        seed.strip(),
        normalized,
        timezone.now(),
        chosen,
    )
    locked.save()
    drawn = list(draw.panel.volunteers.filter(reference__in=chosen, status=Volunteer.Status.POOL))
    for volunteer in drawn:
        volunteer.status, volunteer.drawn_in = Volunteer.Status.INVITED, locked
    Volunteer.objects.bulk_update(drawn, ["status", "drawn_in"])
    audit(actor=actor, action="juries.draw", target=module, after={"draw": locked.number, "seed": normalized})
    transaction.on_commit(lambda: _invite(drawn, module))
    draw.refresh_from_db()
    return chosen


@transaction.atomic
def invitation_answer(*, token: str, accept: bool, name_public: bool = False) -> Volunteer:
    """A member drawn accepts or declines (the link's token is their proof); a declined seat goes to replacements.
    Answering again changes the answer until the panel's first session (an accepted member may still withdraw)."""
    volunteer = Volunteer.objects.select_for_update().filter(invitation_token=token).first()
    if volunteer is None or volunteer.status == Volunteer.Status.POOL:
        raise ValidationError(_("Cette invitation n'existe pas."))
    before = volunteer.status
    volunteer.status = Volunteer.Status.ACCEPTED if accept else Volunteer.Status.DECLINED
    volunteer.name_public = bool(accept and name_public)
    volunteer.save(update_fields=["status", "name_public", "updated_at"])
    members_sync(volunteer.panel)  # the members' private space follows the answer
    audit(
        actor=None,
        action="juries.invitation",
        target=volunteer.panel.module,
        before={"status": before},
        after={"reference": volunteer.reference, "status": volunteer.status},
    )
    return volunteer
