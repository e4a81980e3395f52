"""Every write of comments: create, reply, edit, delete, and the counters they keep on the commented resource.

Each write checks its actor itself (``require``): a ``Refused`` carries the reasons ``explain`` gives."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Model, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.comments import tasks
from participe.comments.models import STANCE_COUNTERS, Comment, OfficialRole, Stance
from participe.core import pagecache, resources
from participe.core.models import ModerationStatus
from participe.core.registry import registry
from participe.core.throttle import throttle
from participe.moderation.services import content_submit, initial_status
from participe.notifications.services import follow_author, notify
from participe.permissions.refusals import Reason, Refused, require
from participe.search.services import index_object, unindex_object
from participe.spaces.predicates import agent_services, request_memo

COUNTER_FIELDS = ("comments_count", *STANCE_COUNTERS.values())


def max_length() -> int:
    return int(getattr(settings, "PARTICIPE_COMMENT_MAX_LENGTH", 5000))


MIN_LENGTH = 2


def clean_body(body: str) -> str:
    """Plain text: trimmed, Windows line ends unified, at most one empty line in a row; errors name the field."""
    text = re.sub(r"\n{3,}", "\n\n", (body or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) < MIN_LENGTH:
        raise ValidationError({"body": _("Écrivez votre commentaire (au moins %(n)s caractères).") % {"n": MIN_LENGTH}})
    if len(text) > max_length():
        raise ValidationError(
            {
                "body": _("Votre commentaire compte %(length)s caractères ; le maximum est %(max)s.")
                % {"length": len(text), "max": max_length()}
            }
        )
    return text


def is_commentable(target: Model) -> bool:
    resource = registry.resource(target._meta.label)
    return resource is not None and resource.commentable


def official_role_for(user: Any) -> tuple[str, str] | None:
    """The official capacity ``user`` may comment in: (role, label), or None for a participant.

    An élu holds the permission ``comments.post_as_elected`` (granted by an organisation administrator);
    an agent (member of a service of the collectivité) posts in the name of their service.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    memo = request_memo(user)  # asked by the form sent and by the form shown again: once per request
    if "_official_role" not in memo:
        memo["_official_role"] = _official_role(user)
    return memo["_official_role"]  # type: ignore[no-any-return]


def _official_role(user: Any) -> tuple[str, str] | None:
    if user.has_perm("comments.post_as_elected"):
        return OfficialRole.ELECTED, ""
    services = agent_services(user) if hasattr(user, "services") else []
    if services:
        return OfficialRole.SERVICE, services[0]
    return None


def _locked(target: Model) -> Model:
    return type(target)._default_manager.select_for_update().get(pk=target.pk)  # type: ignore[no-any-return]


def _counts(comment: Comment) -> bool:
    """Does this comment count in the resource's counters?"""
    return comment.moderation_status == ModerationStatus.PUBLISHED and comment.deleted_at is None


def _shift(target: Model, comment: Comment, delta: int, stance: str | None = None) -> None:
    """Add ``delta`` to the counters of the (locked) target for ``comment``, with F() expressions."""
    stance = comment.stance if stance is None else stance
    changes: dict[str, Any] = {"comments_count": F("comments_count") + delta}
    if comment.parent_id is None and stance in STANCE_COUNTERS:
        field = STANCE_COUNTERS[Stance(stance)]
        changes[field] = F(field) + delta
    type(target)._default_manager.filter(pk=target.pk).update(**changes)
    for name in changes:  # the locked row, as the transaction will commit it (read back without a query)
        setattr(target, name, getattr(target, name) + delta)
    if comment.parent_id is not None:
        Comment.objects.filter(pk=comment.parent_id).update(replies_count=F("replies_count") + delta)


def _refresh(target: Model) -> None:
    target.refresh_from_db(fields=list(COUNTER_FIELDS))


def _counters_from(target: Model, locked: Model) -> None:
    """``target``'s counters as the act left them: those of its row read under the lock and changed by ``_shift``
    (nobody else changes them while the lock is held) — no query to read them again (issue #12)."""
    for name in COUNTER_FIELDS:
        setattr(target, name, getattr(locked, name))


def _index(comment: Comment, *, added: bool = False) -> None:
    if _counts(comment):
        index_object(comment, added=added)
    else:
        unindex_object(comment)


def index_published(comment_id: int) -> None:
    """Write a comment just published into the search index, as it is now (the background task of
    :func:`comment_create`). Under the comment's lock, so that a moderator hiding it, or its author withdrawing it,
    meanwhile comes before or after as a whole: what is written is what the comment is when the lock is held."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
        if comment is not None:
            _index(comment, added=True)


def _audit_if_notable(*, action: str, comment: Comment, actor: Any, entered_by: Any = None, **extra: Any) -> None:
    """Acts an agent does for a resident, and comments of officials, are written in the audit log."""
    if entered_by is None and not comment.official_role:
        return
    audit(
        actor=entered_by or actor,
        on_behalf_of=actor if entered_by is not None else None,
        action=action,
        target=comment,
        **extra,
    )


def _check_parent(parent: Comment, target: Model) -> Comment:
    if parent.parent_id is not None:  # one reply level: a reply to a reply joins its top-level comment
        parent = parent.parent  # type: ignore[assignment]
    same_target = (
        parent.content_type_id == ContentType.objects.get_for_model(target).pk and parent.object_id == target.pk
    )
    if not same_target:
        raise ValidationError(_("Ce commentaire ne concerne pas cette page."))
    if parent.deleted_at is not None or parent.moderation_status != ModerationStatus.PUBLISHED:
        raise ValidationError(_("On ne peut pas répondre à ce commentaire : il a été supprimé ou masqué."))
    return parent


def comment_create(
    *,
    actor: Any,
    target: Model,
    body: str,
    stance: str = "",
    parent: Comment | None = None,
    as_official: bool = False,
    entered_by: Any = None,
) -> Comment:
    """Publish a comment (or a reply) on ``target`` as ``actor``.

    ``entered_by`` is the agent typing it for a resident without email (the comment is marked "saisi par un
    agent"); ``as_official`` posts as élu or service, when ``actor`` holds such a role. In a module moderated
    a priori (setting ``moderation_a_priori``) the comment waits for a moderator and is not counted yet.
    """
    if not is_commentable(target):
        raise Refused(Reason("not_commentable", _("On ne peut pas commenter cet élément.")))
    if parent is not None:
        parent = _check_parent(parent, target)
    require(actor, "comments.add_comment", parent if parent is not None else target)
    throttle(actor, "content")
    text = clean_body(body)
    if parent is None and stance not in Stance.values:
        raise ValidationError({"stance": _("Choisissez votre position : favorable, neutre ou défavorable.")})
    role = ("", "")
    if as_official:
        found = official_role_for(actor) if entered_by is None else None
        if found is None:
            raise Refused(
                Reason("not_official", _("Vous n'avez pas de fonction officielle pour commenter en son nom."))
            )
        role = found
    module = resources.item(target).module
    with transaction.atomic():
        locked = _locked(target)
        if parent is not None:
            parent = Comment.objects.select_for_update().get(pk=parent.pk)
        comment = Comment.objects.create(
            target=target,  # its generic key knows the target already: the index and the page cache ask for it
            module=module,
            parent=parent,
            author=actor,
            stance=stance if parent is None else "",
            body=text,
            entered_by=entered_by,
            official_role=role[0],
            official_label=role[1],
            moderation_status=initial_status(module),
        )
        content_submit(target=comment)  # a priori: the comment waits in the moderators' queue
        if _counts(comment):
            _shift(locked, comment, +1)
            tasks.index_new_comment.enqueue(comment.pk)  # by the worker (issue #12): the act stays short
            transaction.on_commit(lambda: comment_notify(comment=comment))
        _follow_discussion(actor, target)
        _audit_if_notable(action="comment.create", comment=comment, actor=actor, entered_by=entered_by)
        pagecache.interacted(comment)  # its page shows it (or its count), after the grace (decision 0045)
    _counters_from(target, locked)
    return comment


def _follow_discussion(actor: Any, target: Model) -> None:
    """Whoever takes part in a discussion follows it (they may stop following it), if the resource is followable."""
    resource = registry.resource(target._meta.label)
    if resource is not None and resource.followable:
        follow_author(user=actor, target=target)


def comment_notify(*, comment: Comment) -> None:
    """Tell the author of the parent comment about a reply, and the followers about a new comment.

    Called once the comment is published: right after it is posted, or by moderation when a moderator
    approves a comment that was waiting (a priori moderation).
    """
    target: Any = comment.target
    context = {
        "resource": target._meta.label if target is not None else "",
        "resource_id": comment.object_id,
        "resource_title": str(target) if target is not None else "",
    }
    actor = comment.author
    if comment.parent_id is not None and comment.parent is not None:
        parent_author = comment.parent.author
        if parent_author is not None and parent_author.pk != getattr(actor, "pk", None):
            notify(event="comments.reply", target=comment, actor=actor, recipients=[parent_author], context=context)
    notify(event="comments.new", target=comment, actor=actor, context=context)


def comment_edit(
    *, actor: Any, comment: Comment, body: str, stance: str | None = None, entered_by: Any = None
) -> Comment:
    """Change the text (and the stance of a top-level comment) within the edit window; the comment shows "modifié"."""
    require(actor, "comments.change_comment", comment)
    text = clean_body(body)
    new_stance = comment.stance if stance is None or comment.parent_id is not None else stance
    if comment.parent_id is None and new_stance not in Stance.values:
        raise ValidationError({"stance": _("Choisissez votre position : favorable, neutre ou défavorable.")})
    with transaction.atomic():
        target = comment.target
        locked = _locked(target) if target is not None else None
        fresh = Comment.objects.select_for_update().get(pk=comment.pk)
        before = {"body": fresh.body, "stance": fresh.stance}
        if locked is not None and _counts(fresh) and new_stance != fresh.stance:
            _shift(locked, fresh, -1)
            _shift(locked, fresh, +1, stance=new_stance)
        comment.body, comment.stance, comment.edited_at = text, new_stance, timezone.now()
        comment.save(update_fields=["body", "stance", "edited_at", "updated_at"])
        if _counts(comment):
            _index(comment)
        _audit_if_notable(
            action="comment.edit",
            comment=comment,
            actor=actor,
            entered_by=entered_by,
            before=before,
            after={"body": text, "stance": new_stance},
        )
        pagecache.interacted(comment, at_once=True)  # the old text gone at once
    if target is not None and locked is not None:
        _counters_from(target, locked)
    return comment


def comment_delete(*, actor: Any, comment: Comment, entered_by: Any = None) -> Comment:
    """The author withdraws a comment: its text goes, a placeholder stays so that its replies still make sense."""
    require(actor, "comments.delete_comment", comment)
    with transaction.atomic():
        target = comment.target
        locked = _locked(target) if target is not None else None
        fresh = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked is not None and _counts(fresh):
            _shift(locked, fresh, -1)
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.save(update_fields=["deleted_at", "body", "updated_at"])
        _index(comment)
        _audit_if_notable(action="comment.delete", comment=comment, actor=actor, entered_by=entered_by)
        pagecache.interacted(comment, at_once=True)
    if target is not None and locked is not None:
        _counters_from(target, locked)
    return comment


def _thread_of(target: Model) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


def recount_for(target: Model) -> None:
    """Recompute, from the rows and under a lock, the comment counters of ``target`` and the replies of its comments.

    Moderation calls it after hiding, unhiding or approving a comment; it is also safe to run at any time.
    """
    # The replies to a hidden comment are hidden with it (a deleted comment keeps its replies, under a placeholder).
    counted = Comment.objects.filter(
        Q(parent__isnull=True) | Q(parent__moderation_status=ModerationStatus.PUBLISHED),
        _thread_of(target),
        moderation_status=ModerationStatus.PUBLISHED,
        deleted_at__isnull=True,
    )
    with transaction.atomic():
        _locked(target)
        totals = counted.aggregate(
            comments_count=Count("pk"),
            **{
                field: Count("pk", filter=Q(parent__isnull=True, stance=stance))
                for stance, field in STANCE_COUNTERS.items()
            },
        )
        type(target)._default_manager.filter(pk=target.pk).update(**totals)
        replies = counted.filter(parent=OuterRef("pk")).order_by().values("parent").annotate(n=Count("pk")).values("n")
        Comment.objects.filter(_thread_of(target), parent__isnull=True).update(
            replies_count=Coalesce(Subquery(replies), 0)
        )
    _refresh(target)


def after_visibility_change(comment: Comment, previous: str) -> None:
    """Moderation hid, showed again or approved ``comment`` (``Resource.on_visibility_changed``): its thread is
    recounted and, for a comment approved after waiting (a priori moderation), the followers are told after commit."""
    commented = comment.target
    if commented is not None:
        recount_for(commented)
    if previous == ModerationStatus.PENDING and comment.moderation_status == ModerationStatus.PUBLISHED:
        transaction.on_commit(lambda: comment_notify(comment=comment), robust=True)


def delete_for(target: Model) -> int:
    """Remove every comment about ``target`` (a module deleting one of its items calls this). Returns how many."""
    comments = Comment.objects.filter(_thread_of(target))
    for comment in comments.filter(moderation_status=ModerationStatus.PUBLISHED, deleted_at__isnull=True).iterator():
        unindex_object(comment)
    deleted, _detail = comments.delete()
    return deleted


@transaction.atomic
def comments_import(*, actor: Any, target: Model, comments: list[dict[str, Any]]) -> list[Comment]:
    """Comments brought from another platform onto ``target`` (a Decidim archive, decision 0040), as they were.

    Each dict: ``author`` (an account or None), ``body`` (plain text), ``stance`` (a ``Stance`` value or "" for a
    reply), ``created_at``, ``parent`` (the index in ``comments`` of the comment it answers, earlier in the list, or
    None). They are published at once, nobody is told and nobody starts following; the counters of ``target`` are
    recounted. Refused unless ``actor`` runs the space of ``target`` (``spaces.change_space``)."""
    module = resources.item(target).module
    require(actor, "spaces.change_space", module.space)
    content_type = ContentType.objects.get_for_model(target)
    made: list[Comment] = []
    for data in comments:
        parent = made[data["parent"]] if data.get("parent") is not None else None
        if parent is not None and parent.parent_id is not None:
            parent = parent.parent  # one level of replies: a reply to a reply answers its thread
        comment = Comment.objects.create(
            content_type=content_type,
            object_id=target.pk,
            module=module,
            parent=parent,
            author=data.get("author"),
            stance="" if parent is not None else (data.get("stance") or Stance.NEUTRAL),
            body=clean_body(str(data.get("body") or "")),
            moderation_status=ModerationStatus.PUBLISHED,
        )
        if data.get("created_at"):
            Comment.objects.filter(pk=comment.pk).update(created_at=data["created_at"])
        made.append(comment)
        index_object(comment)
    recount_for(target)
    return made
