"""Traffic on the debate module: visitors reading the questions and their comments, residents commenting with a
stance."""

from __future__ import annotations

import random

from locust import task

from bench.locust_base import BenchUser


class DebateReader(BenchUser):
    weight = 1

    @task(1)
    def debate_page(self) -> None:
        url = self.pick("debates")
        if url:
            self.client.get(url, name="debate page")

    @task(3)
    def subject(self) -> None:
        url = self.pick("debate_subjects")
        if url:
            self.client.get(url, name="debate subject (with comments)")


class DebateParticipant(BenchUser):
    """A resident signed in reads a question and comments on it with a stance (plain form, then the redirect)."""

    weight = 1

    def on_start(self) -> None:
        self.sign_in(random.choice(["participant", "verified"]))

    @task(2)
    def subject(self) -> None:
        url = self.pick("debate_subjects")
        if url:
            self.client.get(url, name="debate subject (signed in)")

    @task(1)
    def comment(self) -> None:
        url = self.pick("debate_subjects")
        if not url:
            return
        page = self.client.get(url, name="debate subject (signed in)").text or ""
        self.comment_with_stance(url, page, name="debate comment with a stance")
