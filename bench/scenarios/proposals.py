"""Traffic on the proposals module: browsing lists (filtered, next pages) and maps, reading proposals with their
comments; signed-in residents supporting (then withdrawing), commenting with a stance and depositing proposals."""

from __future__ import annotations

import html
import random
import re

from locust import task

from bench.locust_base import BenchUser, sentence

SORTS = ["recentes", "soutenues", "commentees"]
STATUSES = ["sans-reponse", "en-analyse", "retenue", "realisee"]
SEARCHED = ["piste", "arbres", "bancs", "jardin", "école"]
NEXT_PAGE = re.compile(r'href="([^"]*apres=[^"]+)"')
SUPPORT_FORM = re.compile(r'action="(/soutiens/\d+/\d+/(soutenir|retirer)/)" class="support__form"')


class ProposalReader(BenchUser):
    """A visitor of a Boîte à idées: lists (sorted, filtered, searched, the next page), the map and its feed,
    proposals with their comments."""

    weight = 2

    @task(3)
    def proposal_list(self) -> None:
        url = self.pick("proposal_lists")
        if url:
            self.client.get(url, name="proposal list")

    @task(3)
    def proposal_list_filtered(self) -> None:
        url = self.pick("proposal_lists")
        if not url:
            return
        query = random.choice(
            [
                f"?tri={random.choice(SORTS)}",
                f"?statut={random.choice(STATUSES)}",
                f"?theme={self.pick('themes', '')}",
                f"?q={random.choice(SEARCHED)}",
            ]
        )
        page = self.client.get(url + query, name="proposal list (filtered)")
        found = NEXT_PAGE.search(page.text or "")
        if found and random.random() < 0.5:
            self.client.get(html.unescape(found.group(1)), name="proposal list (next page)")

    @task(2)
    def proposal_map(self) -> None:
        url = self.pick("proposal_maps")
        if url:
            self.client.get(url, name="proposal map")
            self.client.get(url + "propositions.geojson", name="proposal map feed (GeoJSON)")

    @task(6)
    def proposal_detail(self) -> None:
        url = self.pick("proposals")
        if url:
            self.client.get(url, name="proposal detail (with comments)")


class ProposalParticipant(BenchUser):
    """A verified resident: reads proposals signed in, supports one and withdraws the support (htmx, as with
    JavaScript), comments with a stance (plain form), deposits a proposal where the phase opens deposits."""

    weight = 2

    def on_start(self) -> None:
        self.sign_in("verified")

    def _detail(self) -> tuple[str, str]:
        url = self.pick("proposals") or ""
        if not url:
            return "", ""
        return url, self.client.get(url, name="proposal detail (signed in)").text or ""

    @task(3)
    def read(self) -> None:
        self._detail()

    @task(3)
    def support_and_withdraw(self) -> None:
        url, page = self._detail()
        found = SUPPORT_FORM.search(page)
        if not found:
            return  # the phase of that module does not open supports
        token = self.csrf_of(page)
        for _round in range(2):  # support, then withdraw (or the reverse when it was already supported)
            action, verb = found.group(1), found.group(2)
            adding = verb == "soutenir"
            name = "support (htmx)" if adding else "withdraw support (htmx)"
            pressed = 'aria-pressed="true"' if adding else 'aria-pressed="false"'
            data = {"csrfmiddlewaretoken": token, "next": url}
            with self.checked_post(action, data, name=name, referer=url, htmx=True, expect=pressed) as response:
                found = SUPPORT_FORM.search(response.text or "")
            if not found:
                return

    @task(2)
    def comment(self) -> None:
        url, page = self._detail()
        self.comment_with_stance(url, page, name="comment with a stance")

    @task(1)
    def deposit(self) -> None:
        url = self.pick("proposal_deposits")
        if not url:
            return
        page = self.client.get(url, name="proposal deposit (form)").text or ""
        data = {
            "csrfmiddlewaretoken": self.csrf_of(page),
            "title": sentence(6)[:200],
            "body": f"<p>{sentence(40)}</p>",
            "theme": "",
            "territory": "",
            "address": "",
            "latitude": "",
            "longitude": "",
            "image_alt": "",
            "document_title": "",
            "action": "publish",
        }
        with self.checked_post(url, data, name="proposal deposit (post)", referer=url):
            pass
