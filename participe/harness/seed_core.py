"""The platform's own volume: territories, themes, services, accounts (with roles), spaces, modules, phases."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from participe.accounts.models import User
from participe.core.registry import registry
from participe.harness.volume import BENCH_PASSWORD, EMAIL_DOMAIN, VolumeContext
from participe.organisation.models import Service, Territory, Theme
from participe.spaces.models import Module, NewsPost, Phase, Space, SpaceMembership
from participe.verifications.models import Verification

QUARTIERS_PER_COMMUNE = 8
THEMES = ["Mobilités", "Environnement", "Éducation", "Culture", "Solidarités", "Cadre de vie", "Sport", "Santé"]
WORDS = [
    "place",
    "parc",
    "école",
    "piste",
    "cyclable",
    "arbre",
    "jardin",
    "marché",
    "quartier",
    "bibliothèque",
    "gymnase",
    "rue",
    "fontaine",
    "banc",
    "éclairage",
    "trottoir",
    "tramway",
    "compost",
    "musée",
    "aire",
    "de",
    "jeux",
]
ROLE_COUNTS = {"admin": 2, "agent": 5, "moderator": 5}
VERIFIED_SHARE = 0.3
DAY = datetime.timedelta(days=1)


def sentence(ctx: VolumeContext, words: int = 8) -> str:
    return " ".join(ctx.rng.choice(WORDS) for _ in range(words)).capitalize()


def seed_territories(ctx: VolumeContext) -> list[int]:
    """A métropole, ``sizes.territories`` communes, and quartiers in each; returns the quartier ids."""
    start = ctx.next_id(Territory)
    ctx.bulk(Territory, [{"name": "Métropole (volume)", "slug": f"vol-territoire-{start}", "kind": "métropole"}])
    communes = ctx.bulk(
        Territory,
        (
            {"name": f"Commune {i}", "slug": f"vol-territoire-{start + 1 + i}", "kind": "commune", "parent_id": start}
            for i in range(ctx.sizes.territories)
        ),
    )
    first = ctx.next_id(Territory)
    rows = [
        {"name": f"Quartier {n}", "kind": "quartier", "parent_id": commune}
        for commune in communes
        for n in range(QUARTIERS_PER_COMMUNE)
    ]
    for i, row in enumerate(rows):
        row["slug"] = f"vol-territoire-{first + i}"
    return list(ctx.bulk(Territory, rows))


def seed_accounts(ctx: VolumeContext, quartiers: list[int]) -> None:
    """Accounts share one precomputed password hash (hashing each would take hours at 500,000)."""
    password = make_password(BENCH_PASSWORD)
    n = ctx.sizes.accounts
    start = ctx.next_id(User)
    roles: dict[str, list[int]] = {role: [] for role in (*ROLE_COUNTS, "verified", "participant")}
    cursor = start
    for role, count in ROLE_COUNTS.items():
        roles[role] = list(range(cursor, min(cursor + count, start + n)))
        cursor += count
    rest = range(min(cursor, start + n), start + n)
    roles["verified"] = [i for i in rest if (i * 2654435761) % 1000 < VERIFIED_SHARE * 1000]
    verified = set(roles["verified"])
    roles["participant"] = [i for i in rest if i not in verified]
    rng = ctx.rng
    frequencies = [c for c, _ in User.EmailFrequency.choices]

    def users() -> Any:
        for i in range(start, start + n):
            yield {
                "email": f"vol-{i}@{EMAIL_DOMAIN}",
                "pseudonym": f"vol-{i}",
                "password": password,
                "territory_id": rng.choice(quartiers) if quartiers and i % 5 else None,
                "email_frequency": frequencies[i % len(frequencies)],
                "is_org_admin": i in roles["admin"],
                "date_joined": ctx.now - rng.randrange(730) * DAY,
            }

    ctx.user_ids = ctx.bulk(User, users(), "accounts")
    ctx.bulk(
        EmailAddress,
        ({"user_id": i, "email": f"vol-{i}@{EMAIL_DOMAIN}", "verified": True, "primary": True} for i in ctx.user_ids),
        "email addresses",
    )
    ctx.users = roles
    ctx.manifest["password"] = BENCH_PASSWORD
    ctx.manifest["accounts"] = {role: [f"vol-{i}@{EMAIL_DOMAIN}" for i in ids[:20]] for role, ids in roles.items()}


def seed_services_and_verifications(ctx: VolumeContext, quartiers: list[int]) -> None:
    services = ctx.bulk(Service, ({"name": f"Service {ctx.next_id(Service) + k} (volume)"} for k in range(3)))
    agents = ctx.users.get("agent", [])
    ctx.bulk(
        Service.members.through,
        ({"service_id": services[k % len(services)], "user_id": user} for k, user in enumerate(agents)),
    )
    granted_by = agents[0] if agents else None
    ctx.bulk(
        Verification,
        (
            {
                "user_id": user,
                "handler": "counter",
                "territory_id": ctx.rng.choice(quartiers) if quartiers else None,
                "birth_date": datetime.date(1940 + user % 60, 1 + user % 12, 1 + user % 28),
                "granted_by_id": granted_by,
            }
            for user in ctx.users.get("verified", [])
        ),
        "verifications",
    )


def _space_row(ctx: VolumeContext, pk: int, today: datetime.date, creator: int | None) -> dict[str, Any]:
    rng = ctx.rng
    status = Space.Status.ARCHIVED if pk % 10 == 0 else Space.Status.DRAFT if pk % 17 == 0 else Space.Status.PUBLISHED
    start = today + rng.randrange(-400, 60) * DAY
    return {
        "kind": Space.Kind.ASSEMBLY if pk % 5 == 0 else Space.Kind.PROCESS,
        "title": f"{sentence(ctx, 4)} ({pk})",
        "slug": f"vol-espace-{pk}",
        "summary": sentence(ctx, 14),
        "description": f"<p>{sentence(ctx, 40)}</p>",
        "status": status,
        "visibility": Space.Visibility.PRIVATE if pk % 13 == 0 else Space.Visibility.PUBLIC,
        "start_date": start,
        "end_date": start + rng.randrange(30, 400) * DAY,
        "published_at": ctx.now if status != Space.Status.DRAFT else None,
        "created_by_id": creator,
    }


def seed_spaces(ctx: VolumeContext, quartiers: list[int], themes: list[int]) -> None:
    today = ctx.now.date()
    start = ctx.next_id(Space)
    agents = ctx.users.get("agent", [])
    creator = agents[0] if agents else None
    ctx.space_ids = ctx.bulk(
        Space, (_space_row(ctx, start + i, today, creator) for i in range(ctx.sizes.spaces)), "spaces"
    )
    rng = ctx.rng
    if quartiers:
        ctx.bulk(
            Space.territories.through, ({"space_id": s, "territory_id": rng.choice(quartiers)} for s in ctx.space_ids)
        )
    ctx.bulk(
        Space.themes.through,
        ({"space_id": s, "theme_id": t} for s in ctx.space_ids for t in rng.sample(themes, min(2, len(themes)))),
    )
    ctx.bulk(
        NewsPost,
        (
            {
                "space_id": s,
                "title": sentence(ctx, 5),
                "body": f"<p>{sentence(ctx, 30)}</p>",
                "published_at": ctx.now - k * DAY,
            }
            for s in ctx.space_ids
            for k in range(2)
        ),
        "news",
    )
    moderators = ctx.users.get("moderator", [])
    memberships = [
        {"space_id": s, "user_id": moderators[k % len(moderators)], "role": SpaceMembership.Role.MODERATOR}
        for k, s in enumerate(ctx.space_ids)
        if moderators
    ]
    members = ctx.users.get("participant", [])[:200]
    memberships += [
        {"space_id": s, "user_id": m, "role": SpaceMembership.Role.MEMBER}
        for s in ctx.space_ids
        if s % 13 == 0
        for m in members[:10]
    ]
    ctx.bulk(SpaceMembership, memberships, "memberships")


def seed_modules(ctx: VolumeContext) -> None:
    """``modules_per_space`` modules in every space, cycling through the installed module types;
    each gets up to three phases of its manifest's phase types, the middle one running now."""
    manifests = registry.all()
    if not manifests:
        return
    rows, types = [], []
    for s in ctx.space_ids:
        for j in range(ctx.sizes.modules_per_space):
            manifest = manifests[(s + j) % len(manifests)]
            rows.append(
                {
                    "space_id": s,
                    "module_type": manifest.key,
                    "title": sentence(ctx, 3),
                    "slug": f"module-{j + 1}",
                    "position": j,
                }
            )
            types.append(manifest)
    ids = ctx.bulk(Module, rows, "modules")
    phases = []
    for module_id, manifest in zip(ids, types, strict=True):
        ctx.modules.setdefault(manifest.key, []).append(module_id)
        for k, phase_type in enumerate(manifest.phase_types[:3]):
            start = ctx.now + (k - 1) * 30 * DAY - 15 * DAY
            phases.append(
                {
                    "module_id": module_id,
                    "phase_type": phase_type.key,
                    "name": str(phase_type.name),
                    "start": start,
                    "end": start + 30 * DAY,
                }
            )
    ctx.bulk(Phase, phases, "phases")


def seed_platform(ctx: VolumeContext) -> int:
    before = ctx.writer.rows_written
    sizes = ctx.sizes
    planned = sizes.accounts * 2.3 + sizes.spaces * (6 + 2 * sizes.modules_per_space)
    ctx.progress.add_total(int(planned))
    quartiers = seed_territories(ctx)
    themes = list(
        ctx.bulk(
            Theme,
            (
                {"name": name, "slug": f"vol-theme-{ctx.next_id(Theme) + i}", "position": i}
                for i, name in enumerate(THEMES)
            ),
        )
    )
    seed_accounts(ctx, quartiers)
    seed_services_and_verifications(ctx, quartiers)
    seed_spaces(ctx, quartiers, themes)
    seed_modules(ctx)
    ctx.reindex += ["spaces.Space", "spaces.NewsPost"]
    public = Space.objects.filter(
        pk__in=list(ctx.space_ids[:50]), status=Space.Status.PUBLISHED, visibility=Space.Visibility.PUBLIC
    )
    ctx.manifest["spaces"] = list(public.values_list("slug", flat=True)[:20])
    ctx.manifest["modules"] = [
        m.get_absolute_url() for m in Module.objects.filter(space__in=public).select_related("space")[:40]
    ]
    return ctx.writer.rows_written - before
