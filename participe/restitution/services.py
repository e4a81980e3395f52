"""Every write of the bilans: save what the agents wrote and chose, publish, withdraw; ask again for a document
whose build failed.

Each service takes the ``actor`` first and checks its permission itself (``require``: the same rule the pages and
the API ask), validates everything before writing, runs in a transaction under a lock on the bilan's row (two agents
saving at once: the last one wins whole, never half of each), records the act in the audit log, and on publication
tells the followers of the démarche (``notify``: emails sent once the transaction has committed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.activity.services import audit
from participe.core.sanitize import sanitize_html
from participe.notifications.services import notify
from participe.permissions.refusals import Reason, require
from participe.restitution.models import Bilan, BilanDocument, Section
from participe.spaces.models import Space

PUBLISHED_EVENT = "restitution.bilan_published"
NOT_STAFF = Reason(
    "not_staff", gettext_lazy("Seuls les administrateurs de la démarche rédigent et publient son bilan.")
)
FIELDS = ("state", "introduction", "decisions", "sections")


def _snapshot(bilan: Bilan) -> dict[str, Any]:
    return {name: getattr(bilan, name) for name in FIELDS}


def _locked(space: Space) -> Bilan:
    """The space's bilan row, created on the first write, locked for the rest of the transaction."""
    Bilan.objects.get_or_create(space=space)
    return Bilan.objects.select_for_update().get(space=space)


def _clean_text(value: str | None, field: str) -> str:
    value = sanitize_html(value or "").strip()
    limit = settings.PARTICIPE_RICH_TEXT_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError({field: _("Ce texte fait au plus %(n)s caractères.") % {"n": limit}})
    return value


def _clean_sections(sections: Iterable[str]) -> list[str]:
    chosen = set(sections)
    unknown = chosen - set(Section.values)
    if unknown:
        raise ValidationError({"sections": _("Partie inconnue : %(s)s.") % {"s": ", ".join(sorted(unknown))}})
    return [key for key in Section.values if key in chosen]  # in the page's order


@transaction.atomic
def bilan_save(*, actor: Any, space: Space, introduction: str, decisions: str, sections: Iterable[str]) -> Bilan:
    """Save the introduction, the decisions taken and the sections shown of ``space``'s bilan (its state is kept:
    a published bilan changes at once, a draft stays a draft)."""
    require(actor, "restitution.change_bilan", space, reason=NOT_STAFF)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, check in (
        ("introduction", lambda: _clean_text(introduction, "introduction")),
        ("decisions", lambda: _clean_text(decisions, "decisions")),
        ("sections", lambda: _clean_sections(sections)),
    ):
        try:
            cleaned[name] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    bilan = _locked(space)
    before = _snapshot(bilan)
    for name, value in cleaned.items():
        setattr(bilan, name, value)
    bilan.changed_at, bilan.changed_by = timezone.now(), actor
    bilan.save()
    audit(actor=actor, action="restitution.bilan_save", target=bilan, before=before, after=_snapshot(bilan))
    return bilan


@transaction.atomic
def bilan_publish(*, actor: Any, space: Space) -> Bilan:
    """Publish ``space``'s bilan: everyone who may see the démarche reads it, and its followers are told (once: a
    bilan published again after a withdrawal tells nobody twice)."""
    require(actor, "restitution.change_bilan", space, reason=NOT_STAFF)
    bilan = _locked(space)
    if bilan.is_published:
        return bilan
    before = _snapshot(bilan)
    first_time = bilan.published_at is None
    bilan.state = Bilan.State.PUBLISHED
    bilan.published_at, bilan.published_by = timezone.now(), actor
    bilan.changed_at, bilan.changed_by = bilan.published_at, actor
    bilan.save()
    audit(actor=actor, action="restitution.bilan_publish", target=bilan, before=before, after=_snapshot(bilan))
    if first_time:
        notify(event=PUBLISHED_EVENT, target=bilan, actor=actor, context={"subject": space.title})
    return bilan


@transaction.atomic
def bilan_unpublish(*, actor: Any, space: Space) -> Bilan:
    """Withdraw ``space``'s bilan: it is a draft again, seen by the staff of the démarche only."""
    require(actor, "restitution.change_bilan", space, reason=NOT_STAFF)
    bilan = _locked(space)
    if not bilan.is_published:
        return bilan
    before = _snapshot(bilan)
    bilan.state = Bilan.State.DRAFT
    bilan.changed_at, bilan.changed_by = timezone.now(), actor
    bilan.save()
    audit(actor=actor, action="restitution.bilan_unpublish", target=bilan, before=before, after=_snapshot(bilan))
    return bilan


def document_retry(*, actor: Any, space: Space, kind: str, reader: Any) -> None:
    """Ask again for the bilan's PDF (anyone who may read the bilan) or DOCX (its staff) as ``actor`` would be
    shown it (``reader``: ``documents.builds.Reader`` of their request): a failed build is forgotten and one build
    enqueued, unless one was enqueued less than a minute ago (asking again and again builds nothing more)."""
    from participe.restitution.documents import builds
    from participe.restitution.selectors import bilan_of, edition_of

    edition = edition_of(space)
    if kind == BilanDocument.Kind.DOCX:
        require(actor, "restitution.change_bilan", space, reason=NOT_STAFF)
    else:
        require(actor, "spaces.view_space", space)
        require(actor, "restitution.view_bilan", edition)
    rendered = builds.rendering(kind, bilan_of(space, actor, edition=edition), reader)
    with transaction.atomic():
        failed = list(
            BilanDocument.objects.select_for_update().filter(
                space=space, kind=kind, fingerprint=rendered.fingerprint, status=BilanDocument.Status.FAILED
            )
        )
        for document in failed:
            audit(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                action="restitution.document_retry",
                target=space,
                before={"kind": kind, "error": document.error[:200]},
            )
            document.delete()
    transaction.on_commit(lambda: builds.enqueue(space, rendered, reader, again=True))
