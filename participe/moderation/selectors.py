"""Reads of moderation: the queue, the content behind a generic reference, the cases shown beside contents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Prefetch, Q, QuerySet

from participe.activity.models import AuditEntry
from participe.core.registry import Resource, registry
from participe.moderation.models import ModerationCase, Report
from participe.spaces.models import Space, SpaceMembership
from participe.spaces.predicates import counted_space_roles, is_org_admin


def resource_of(target: Model) -> Resource | None:
    """The resource declaration of ``target``'s model (None when no module or platform app declares it)."""
    return registry.resource(target._meta.label)


def _author_field(target: Model) -> str | None:
    """The field of ``target`` naming its author: its resource's ``author_field`` (None when it has none)."""
    resource = resource_of(target)
    return resource.author_field if resource else "author"


def author_of(target: Model) -> Any:
    """The participant who wrote ``target``, from its resource's ``author_field`` (None if unknown)."""
    field = _author_field(target)
    return getattr(target, field, None) if field else None


def author_id_of(target: Model) -> Any:
    """The key of the participant who wrote ``target`` (None if unknown), without reading their account."""
    field = _author_field(target)
    if not field:
        return None
    try:
        attname = getattr(target._meta.get_field(field), "attname", None)
    except FieldDoesNotExist:  # an author given by a property
        attname = None
    if attname is None:
        return getattr(getattr(target, field, None), "pk", None)
    return getattr(target, attname, None)


MODERATING_ROLES = (SpaceMembership.Role.MODERATOR, SpaceMembership.Role.ADMIN)

# Filters of the queue: the value in the address, and the cases it keeps.
QUEUE_STATUSES: dict[str, Q] = {
    "a-traiter": Q(is_open=True),
    "signales": Q(reports_count__gt=0),
    "masques": Q(content_status="hidden"),
    "en-attente": Q(content_status="pending"),
    "traites": Q(is_open=False),
    "tous": Q(),
}


def reportable_target(content_type_id: int, object_id: int) -> Model | None:
    """The content a generic reference points to, if its model is a declared ``reportable`` resource."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    if model is None:
        return None
    resource = registry.resource(model._meta.label)
    if resource is None or not resource.reportable:
        return None
    return model._default_manager.filter(pk=object_id).first()


def moderated_spaces(user: Any) -> QuerySet[Space]:
    """The spaces whose contents ``user`` moderates (every space for an organisation administrator)."""
    if is_org_admin(user):
        return Space.objects.all()
    roles = set(MODERATING_ROLES) & set(counted_space_roles(user))
    return Space.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def cases_visible_to(user: Any) -> QuerySet[ModerationCase]:
    """The cases ``user`` may see in the queue: all for organisation administrators, else their spaces' ones."""
    cases = ModerationCase.objects.all()
    if is_org_admin(user):
        return cases
    roles = set(MODERATING_ROLES) & set(counted_space_roles(user))
    spaces = SpaceMembership.objects.filter(user=user, role__in=roles).values("space_id")
    return cases.filter(space_id__in=spaces)


def queue_cases(
    *, user: Any, status: str = "a-traiter", space_id: int | None = None, reason: str = ""
) -> QuerySet[ModerationCase]:
    """The moderation queue of ``user``, filtered, with what each row shows (no N+1)."""
    cases = cases_visible_to(user).filter(QUEUE_STATUSES.get(status, QUEUE_STATUSES["a-traiter"]))
    if space_id:
        cases = cases.filter(space_id=space_id)
    if reason:
        cases = cases.filter(pk__in=Report.objects.filter(reason=reason).values("case_id"))
    open_reports = Report.objects.filter(resolved_at__isnull=True).order_by("-created_at", "-pk")
    return cases.select_related("content_type", "space", "module__space", "author").prefetch_related(
        Prefetch("reports", queryset=open_reports, to_attr="open_reports")
    )


def open_cases_count(user: Any) -> int:
    """How many contents wait for a decision of ``user`` (shown in the back-office menu)."""
    return cases_visible_to(user).filter(is_open=True).count()


def case_reports(case: ModerationCase) -> QuerySet[Report]:
    return case.reports.select_related("reporter").order_by("-created_at", "-pk")


def case_history(case: ModerationCase) -> QuerySet[AuditEntry]:
    """The moderation acts recorded about the case's content, newest first."""
    return AuditEntry.objects.filter(
        target_type_id=case.content_type_id, target_id=str(case.object_id), action__startswith="moderation."
    ).select_related("actor")


def case_for(obj: Model) -> ModerationCase | None:
    """The moderation case of a content (cached on the object; see ``attach_cases`` for lists)."""
    if "_moderation_case" not in obj.__dict__:
        content_type = ContentType.objects.get_for_model(obj)
        obj.__dict__["_moderation_case"] = ModerationCase.objects.filter(
            content_type=content_type, object_id=obj.pk
        ).first()
    return obj.__dict__["_moderation_case"]  # type: ignore[no-any-return]


def attach_cases(objects: Iterable[Model]) -> None:
    """Load in one query the cases of a list of contents of one model, for ``{% moderation_mark %}`` in a loop."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0])
    cases = ModerationCase.objects.filter(content_type=content_type, object_id__in=[o.pk for o in objects])
    by_id = {case.object_id: case for case in cases}
    for obj in objects:
        obj.__dict__["_moderation_case"] = by_id.get(obj.pk)


def user_has_reported(user: Any, obj: Model) -> bool:
    if not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(obj)
    return Report.objects.filter(reporter=user, content_type=content_type, object_id=obj.pk).exists()
