"""Answering a questionnaire: a resident signs in, opens the questionnaire, answers it page by page (each page a
form with its CSRF token, as without JavaScript) and reaches the receipt. Every respondent is a different account
that has not answered yet (the one-answer rule is enforced): ``bench/run.py`` lists them at each run."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from locust import task

from bench.locust_base import FORM_ERROR, BenchUser, fill_form, manifest, read_form

_taken = count()


def _next_respondent() -> str | None:
    accounts = manifest().get("respondents") or []
    n = next(_taken)
    return accounts[n] if n < len(accounts) else None


class Respondent(BenchUser):
    weight = 1

    @task(1)
    def questionnaire_page(self) -> None:
        url = self.pick("questionnaires")
        if url:
            self.client.get(url, name="questionnaire page")

    @task(2)
    def answer(self) -> None:
        url = self.pick("questionnaires")
        email = _next_respondent()
        if not url or not email:
            return  # no questionnaire open, or every fresh account has answered
        self.client.cookies.clear()
        if not self.sign_in_as(email):
            return
        self.client.get(url, name="questionnaire page (signed in)")
        page_url = f"{url}repondre/1/"
        text = self.client.get(page_url, name="questionnaire: a page").text or ""
        for _step in self._pages():
            location = self._post_page(page_url, text)
            if location is None:
                return
            if "/recu/" in location:
                self.client.get(location, name="questionnaire: receipt")
                return
            page_url = location
            text = self.client.get(page_url, name="questionnaire: a page").text or ""

    @staticmethod
    def _pages() -> Iterator[int]:
        yield from range(20)  # far more than any questionnaire has: a loop that cannot run away

    def _post_page(self, page_url: str, text: str) -> str | None:
        """Post one page (twice when the answers reveal a conditional question, as without JavaScript); return
        where the server sends us next, or None (a failure was counted)."""
        for _attempt in range(2):
            form = read_form(text, "/repondre/")
            data = [(k, v) for k, v in fill_form(form) if k != "action"] + [("action", "next")]
            with self.checked_post(
                form.action or page_url, data, name="questionnaire: answer a page", referer=page_url
            ) as response:
                if response.status_code in (302, 303):
                    return str(response.headers.get("Location", ""))
                if response.status_code == 200 and not FORM_ERROR.search(response.text or ""):
                    response.success()  # the page came back once for the questions just revealed
                    text = response.text
                    continue
            return None
        return None
