"""Searching the whole platform (/recherche/): common and rare words, a phrase, filters, the next page."""

from __future__ import annotations

import html
import random
import re

from locust import task

from bench.locust_base import BenchUser

COMMON = ["quartier", "place", "piste cyclable", "arbres", "école"]
RARE = ["skatepark", "nichoirs", "fontaine à boire", "toilettes publiques"]
NEXT_PAGE = re.compile(r'href="([^"]*apres=[^"]+)"')


class Searcher(BenchUser):
    weight = 1

    @task(3)
    def common_word(self) -> None:
        page = self.client.get("/recherche/", params={"q": random.choice(COMMON)}, name="search (common word)")
        found = NEXT_PAGE.search(page.text or "")
        if found and random.random() < 0.3:
            self.client.get(html.unescape(found.group(1)), name="search (next page)")

    @task(2)
    def rare_word(self) -> None:
        self.client.get("/recherche/", params={"q": random.choice(RARE)}, name="search (rare word)")

    @task(1)
    def phrase(self) -> None:
        self.client.get("/recherche/", params={"q": '"piste cyclable"'}, name="search (phrase)")

    @task(2)
    def filtered(self) -> None:
        params = {"q": random.choice(COMMON), "sort": random.choice(["relevance", "date"])}
        if random.random() < 0.5:
            params["type"] = "proposals.proposal"
        else:
            params["theme"] = self.pick("themes", "")
        self.client.get("/recherche/", params=params, name="search (filtered)")
