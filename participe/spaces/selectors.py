"""Reads of spaces, modules and phases for the public pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Module, Phase, Space, SpaceMembership
from participe.spaces.predicates import counted_space_roles, is_org_admin

LISTED_STATUSES = (Space.Status.PUBLISHED, Space.Status.ARCHIVED)


def themes_of(space: Space) -> QuerySet[Theme]:
    """The themes a contribution to this space may carry, and that its filters offer: the organisation's themes,
    narrowed to the space's own when it names some (decision 0022). Forms, filters, imports and services agree."""
    named = space.themes.all()
    return named if named.exists() else Theme.objects.all()


def spaces_visible_to(user: Any) -> QuerySet[Space]:
    """Published and archived spaces the user may see: public ones, and private ones they are a member of.

    Archived spaces stay readable (listed under "terminées"); drafts are only seen in the back-office.
    """
    qs = Space.objects.filter(status__in=LISTED_STATUSES)
    if user is not None and user.is_authenticated:
        if is_org_admin(user):
            return qs
        member_of = SpaceMembership.objects.filter(user=user, role__in=counted_space_roles(user)).values("space_id")
        return qs.filter(Q(visibility=Space.Visibility.PUBLIC) | Q(pk__in=member_of))
    return qs.filter(visibility=Space.Visibility.PUBLIC)


def staff_of(space: Space) -> Any:
    """Someone who runs ``space`` (its creator when they administer it, else one of its administrators, else an
    organisation administrator), or None: the demo seeds write its content as them, since services check their
    actor."""
    from participe.accounts.models import User

    creator = space.created_by
    if creator is not None and creator.has_perm("spaces.change_space", space):
        return creator
    admin = space.memberships.filter(role=SpaceMembership.Role.ADMIN, user__is_active=True).order_by("pk").first()
    if admin is not None:
        return admin.user
    return User.objects.filter(is_org_admin=True, is_active=True).order_by("pk").first()


TIMINGS = ("ongoing", "upcoming", "finished")


def filter_spaces(
    qs: QuerySet[Space],
    *,
    timing: str | None = None,
    territory: Territory | None = None,
    theme_slug: str | None = None,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Space]:
    today = today or timezone.localdate()
    if timing == "ongoing":
        qs = (
            qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exclude(status=Space.Status.ARCHIVED)
        )
    elif timing == "upcoming":
        qs = qs.filter(start_date__gt=today)
    elif timing == "finished":
        qs = qs.filter(Q(end_date__lt=today) | Q(status=Space.Status.ARCHIVED))
    if territory is not None:
        # A space of the whole commune concerns each of its quartiers, and a quartier's space is in the commune.
        ids = territory.descendant_ids() | {t.pk for t in territory.ancestors()}
        qs = qs.filter(territories__in=ids)
    if theme_slug:
        qs = qs.filter(themes__slug=theme_slug)
    if kind in (Space.Kind.PROCESS, Space.Kind.ASSEMBLY):
        qs = qs.filter(kind=kind)
    return qs.exclude(kind=Space.Kind.ORGANISATION).distinct()


def with_list_data(qs: QuerySet[Space]) -> QuerySet[Space]:
    """What a card of the space list shows, in a fixed number of queries."""
    return qs.prefetch_related("territories", "themes")


def space_detail(space: Space) -> dict[str, Any]:
    """Modules with their phases, the timeline, documents and news of one space."""
    now = timezone.now()
    modules = list(
        space.modules.filter(is_published=True).prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("start"))
        )
    )
    timeline = sorted(
        ((phase, module) for module in modules for phase in module.phases.all()),
        key=lambda pair: (pair[0].start, pair[0].pk),
    )
    current_modules = [m for m in modules if m.current_phase(now) is not None]
    other_modules = [m for m in modules if m not in current_modules]
    return {
        "modules": modules,
        "current_modules": current_modules,
        "other_modules": other_modules,
        "timeline": timeline,
        "documents": list(space.documents.all()),
        "news": list(space.news.filter(published_at__lte=now)[:5]),
        "now": now,
    }


def _in_visible_space(user: Any, prefix: str) -> Q:
    """The condition "in a published or archived space ``user`` may see" on the space reached by ``prefix``, written
    on the joined space itself (as ``spaces_visible_to``): a visitor's is ``visibility = public``, which lets a
    query read its sort's index in order instead of matching a sub-select of spaces first (the home page's
    « ouvert en ce moment », issue #12)."""
    listed = Q(**{f"{prefix}status__in": LISTED_STATUSES})
    if user is not None and user.is_authenticated:
        if is_org_admin(user):
            return listed
        member_of = SpaceMembership.objects.filter(user=user, role__in=counted_space_roles(user)).values("space_id")
        return listed & (Q(**{f"{prefix}visibility": Space.Visibility.PUBLIC}) | Q(**{f"{prefix}id__in": member_of}))
    return listed & Q(**{f"{prefix}visibility": Space.Visibility.PUBLIC})


def open_phases(user: Any, limit: int = 6, *, acting_only: bool = False) -> list[Phase]:
    """Phases running now in spaces the user may see: "ce qui est ouvert en ce moment". One query, read in the order
    of the index ``(end, start)``: the phases ending soonest first, stopping after ``limit`` rows. ``acting_only``:
    only the phases whose type invites to an action (``ACTION_ORDER``), chosen in the query."""
    now = timezone.now()
    return list(
        Phase.objects.filter(
            _acting_phase_types() if acting_only else Q(),
            _in_visible_space(user, "module__space__"),
            start__lte=now,
            end__gt=now,
            module__is_published=True,
            module__space__status=Space.Status.PUBLISHED,
        )
        .exclude(module__space__kind=Space.Kind.ORGANISATION)  # permanent services are not "open until"
        .select_related("module", "module__space")
        .order_by("end")[:limit]
    )


# The action a phase invites to, most significant first; a phase granting only VIEW invites to nothing.
ACTION_ORDER = (Cap.VOTE, Cap.SUBMIT, Cap.ANSWER, Cap.SUPPORT, Cap.RATE, Cap.COMMENT)
ACTION_WORDS = {
    Cap.VOTE: gettext_lazy("Votez"),
    Cap.SUBMIT: gettext_lazy("Déposez une proposition"),
    Cap.ANSWER: gettext_lazy("Répondez au questionnaire"),
    Cap.SUPPORT: gettext_lazy("Soutenez les propositions"),
    Cap.RATE: gettext_lazy("Donnez votre évaluation"),
    Cap.COMMENT: gettext_lazy("Donnez votre avis"),
}


@dataclass(frozen=True)
class OpenAction:
    """Something one can do now in a module: its current phase's main action, until the phase ends."""

    module: Module
    phase: Phase
    capability: Cap

    @property
    def words(self) -> str:
        manifest = registry.get(self.module.module_type)
        phase_type = manifest.phase_type(self.phase.phase_type) if manifest else None
        return str(phase_type.action if phase_type and phase_type.action else ACTION_WORDS[self.capability])


def _acting_phase_types() -> Q:
    """The phase types (of each module type) that invite to an action, as a condition on phases."""
    found = Q(pk__in=[])
    for manifest in registry.all():
        keys = [p.key for p in manifest.phase_types if any(cap in p.capabilities for cap in ACTION_ORDER)]
        if keys:
            found |= Q(module__module_type=manifest.key, phase_type__in=keys)
    return found


def open_actions(user: Any, limit: int = 12) -> list[tuple[Space, list[OpenAction]]]:
    """What one can act on now, grouped by démarche (in the order of their first deadline): one row per module,
    with one deadline; information phases (VIEW only) and permanent services are left out. One query of at most
    ``limit`` rows (a module runs one phase at a time)."""
    actions: list[OpenAction] = []
    seen: set[int] = set()
    for phase in open_phases(user, limit=limit, acting_only=True):
        capability = next((cap for cap in ACTION_ORDER if cap in phase.capabilities), None)
        if capability is None or phase.module_id in seen:
            continue
        seen.add(phase.module_id)
        actions.append(OpenAction(phase.module, phase, capability))
        if len(actions) == limit:
            break
    groups: dict[int, tuple[Space, list[OpenAction]]] = {}
    for action in actions:
        groups.setdefault(action.module.space_id, (action.module.space, []))[1].append(action)
    return list(groups.values())


def next_deadlines(user: Any, limit: int = 5) -> list[Phase]:
    """Phases ending soonest (still running), then phases starting soonest."""
    now = timezone.now()
    return list(
        Phase.objects.filter(
            _in_visible_space(user, "module__space__"),
            end__gt=now,
            module__is_published=True,
            module__space__status=Space.Status.PUBLISHED,
        )
        .exclude(module__space__kind=Space.Kind.ORGANISATION)
        .select_related("module", "module__space")
        .order_by("end")[:limit]
    )


def organisation_modules() -> list[Module]:
    """The organisation-wide modules that are on (published), for the header and the home page (no query where no
    organisation-wide module type is installed)."""
    if not registry.organisation_wide():
        return []
    return list(
        Module.objects.filter(space__kind=Space.Kind.ORGANISATION, space__status=Space.Status.PUBLISHED)
        .filter(is_published=True)
        .select_related("space")
        .order_by("position", "pk")
    )


def module_by_slugs(space_slug: str, module_slug: str) -> Module:
    return (
        Module.objects.select_related("space").prefetch_related("phases").get(space__slug=space_slug, slug=module_slug)
    )


MANAGING_ROLES = (SpaceMembership.Role.ADMIN, SpaceMembership.Role.MODERATOR)


def spaces_managed_by(user: Any) -> QuerySet[Space]:
    """Spaces a user sees in the back-office: all for organisation admins, else those they administer or moderate."""
    qs = Space.objects.all()
    if is_org_admin(user):
        return qs
    roles = set(MANAGING_ROLES) & set(counted_space_roles(user))
    managed = SpaceMembership.objects.filter(user=user, role__in=roles).values("space_id")
    return qs.filter(pk__in=managed)


def spaces_administered_by(user: Any) -> QuerySet[Space]:
    """Spaces whose démarche ``user`` administers (all for organisation admins): those whose syntheses, bilan and
    commitments they run in the back-office."""
    qs = Space.objects.all()
    if is_org_admin(user):
        return qs
    if SpaceMembership.Role.ADMIN not in counted_space_roles(user):
        return qs.none()
    return qs.filter(
        pk__in=SpaceMembership.objects.filter(user=user, role=SpaceMembership.Role.ADMIN).values("space_id")
    )


def backoffice_space_list(user: Any, *, status: str | None = None, kind: str | None = None) -> QuerySet[Space]:
    """The back-office list of spaces, filtered by status and kind, with their number of modules."""
    qs = spaces_managed_by(user).annotate(module_count=Count("modules"))
    if status in Space.Status.values:
        qs = qs.filter(status=status)
    if kind in Space.Kind.values:
        qs = qs.filter(kind=kind)
    return qs


def backoffice_counts(user: Any) -> dict[str, Any]:
    """Figures for the back-office dashboard, over the spaces the user manages."""
    now = timezone.now()
    spaces = spaces_managed_by(user)
    by_status = dict(spaces.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "spaces_by_status": [(label, by_status.get(value, 0), value) for value, label in Space.Status.choices],
        "open_phases": Phase.objects.filter(start__lte=now, end__gt=now, module__space__in=spaces).count(),
    }


def space_backoffice_detail(space: Space) -> dict[str, Any]:
    """The modules of a space (with their phases) and how many members, documents and news it has."""
    modules = list(space.modules.prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("start"))))
    return {
        "modules": modules,
        "member_count": space.memberships.count(),
        "document_count": space.documents.count(),
        "news_count": space.news.count(),
    }
