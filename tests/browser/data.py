"""A small fictional commune for the browser tests: spaces in every timing, a page module with two phases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from participe.modules.page.models import PageContent
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Module, NewsPost, Space
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, TerritoryFactory, ThemeFactory


@dataclass
class Town:
    centre: Territory
    gare: Territory
    mobility: Theme
    market: Space  # ongoing démarche with a page module in two phases
    budget: Space  # upcoming démarche
    bike_plan: Space  # finished démarche
    council: Space  # an instance
    page_module: Module
    news: NewsPost


def make_town() -> Town:
    today = timezone.localdate()
    now = timezone.now()
    days = datetime.timedelta(days=1)
    centre = TerritoryFactory(name="Centre-ville", slug="centre-ville")
    gare = TerritoryFactory(name="Quartier de la Gare", slug="quartier-gare")
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    environment = ThemeFactory(name="Environnement", slug="environnement")

    market = SpaceFactory(
        title="Réaménager la place du Marché",
        slug="place-du-marche",
        summary="Imaginons ensemble la future place du Marché.",
        description="<p>La place sera rénovée en 2027.</p>",
        start_date=today - 10 * days,
        end_date=today + 80 * days,
    )
    market.territories.add(centre)
    market.themes.add(mobility)
    page_module = ModuleFactory(space=market, title="Présentation du projet", slug="presentation")
    PhaseFactory(
        module=page_module, phase_type="information", name="Information", start=now - 10 * days, end=now + 20 * days
    )
    PhaseFactory(
        module=page_module, phase_type="restitution", name="Restitution", start=now + 20 * days, end=now + 80 * days
    )
    PageContent.objects.create(
        module=page_module, body="<h2>Le projet</h2><p>Des arbres, des bancs et un marché couvert.</p>"
    )
    news = NewsPost.objects.create(
        space=market,
        title="Réunion publique le 12 mars",
        body="<p>Venez nombreux à la salle des fêtes.</p>",
        published_at=now - days,
    )

    budget = SpaceFactory(
        title="Budget participatif 2027",
        slug="budget-2027",
        summary="Proposez des projets pour votre quartier.",
        start_date=today + 20 * days,
        end_date=today + 200 * days,
    )
    budget.territories.add(gare)
    budget.themes.add(environment)
    bike_plan = SpaceFactory(
        title="Plan vélo",
        slug="plan-velo",
        summary="Le plan vélo est adopté.",
        start_date=today - 300 * days,
        end_date=today - 30 * days,
    )
    bike_plan.themes.add(mobility)
    council = SpaceFactory(
        kind=Space.Kind.ASSEMBLY,
        title="Conseil de quartier de la Gare",
        slug="conseil-gare",
        summary="Les habitants du quartier se réunissent chaque trimestre.",
        start_date=None,
        end_date=None,
    )
    council.territories.add(gare)
    return Town(centre, gare, mobility, market, budget, bike_plan, council, page_module, news)
