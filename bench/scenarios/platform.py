"""Traffic on the platform core: visitors browsing, participants signed in, staff in the back-office."""

from __future__ import annotations

import random

from locust import task

from bench.locust_base import BenchUser


class Visitor(BenchUser):
    """Anonymous browsing: lists (filtered), spaces, module pages, the API, and the floor view."""

    weight = 3

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(4)
    def space_list(self) -> None:
        self.client.get("/demarches/", name="space list")

    @task(2)
    def space_list_filtered(self) -> None:
        query = random.choice(["?type=process", "?type=assembly", "?quand=ongoing", "?quand=finished"])
        self.client.get(f"/demarches/{query}", name="space list (filtered)")

    @task(4)
    def floor(self) -> None:
        self.client.get("/__bench__/floor/", name="floor (space list SQL, no template)")

    @task(4)
    def space_detail(self) -> None:
        slug = self.pick("spaces")
        if slug:
            self.client.get(f"/demarches/{slug}/", name="space detail")

    @task(4)
    def module_page(self) -> None:
        url = self.pick("modules")
        if url:
            self.client.get(url, name="module page")

    @task(2)
    def api_spaces(self) -> None:
        self.client.get("/api/v1/spaces", name="API spaces")

    @task(1)
    def api_space(self) -> None:
        slug = self.pick("spaces")
        if slug:
            self.client.get(f"/api/v1/spaces/{slug}", name="API space detail")
            self.client.get(f"/api/v1/spaces/{slug}/modules", name="API space modules")

    @task(1)
    def api_lists(self) -> None:
        self.client.get("/api/v1/territories", name="API territories")
        self.client.get("/api/v1/themes", name="API themes")


class Participant(BenchUser):
    """A resident who signs in (verified or not), then reads spaces and their profile."""

    weight = 1

    def on_start(self) -> None:
        self.sign_in(random.choice(["participant", "verified"]))

    @task(3)
    def space_list(self) -> None:
        self.client.get("/demarches/", name="space list (signed in)")

    @task(3)
    def space_detail(self) -> None:
        slug = self.pick("spaces")
        if slug:
            self.client.get(f"/demarches/{slug}/", name="space detail (signed in)")

    @task(3)
    def module_page(self) -> None:
        url = self.pick("modules")
        if url:
            self.client.get(url, name="module page (signed in)")

    @task(1)
    def profile(self) -> None:
        self.client.get("/compte/profil/", name="profile")

    @task(1)
    def sign_in_again(self) -> None:
        self.client.cookies.clear()
        self.sign_in(random.choice(["participant", "verified"]))


class Staff(BenchUser):
    """An organisation admin in the back-office: always exactly one, whatever the number of users."""

    fixed_count = 1

    def on_start(self) -> None:
        self.sign_in("admin")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/gestion/", name="back-office dashboard")

    @task(2)
    def spaces(self) -> None:
        self.client.get("/gestion/espaces/", name="back-office spaces")

    @task(1)
    def users(self) -> None:
        self.client.get("/gestion/utilisateurs/", name="back-office users")

    @task(1)
    def audit(self) -> None:
        self.client.get("/gestion/journal/", name="back-office audit log")
