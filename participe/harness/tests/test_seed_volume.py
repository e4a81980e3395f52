"""seed_volume writes consistent rows (ids, foreign keys, roles) that the platform can use, the same each time."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from participe.accounts.models import User
from participe.harness.volume import BENCH_PASSWORD, discover_hooks
from participe.spaces.models import Module, Phase, Space
from participe.verifications.models import Verification

pytestmark = pytest.mark.django_db


def seed(tmp_path, **sizes):
    manifest = tmp_path / "manifest.json"
    call_command("seed_volume", no_progress=True, manifest=str(manifest), **sizes)
    return json.loads(manifest.read_text())


def test_it_seeds_accounts_spaces_modules_and_phases(tmp_path):
    data = seed(tmp_path, accounts=60, spaces=6, modules_per_space=2, territories=2)
    assert User.objects.filter(pseudonym__startswith="vol-").count() == 60
    assert Space.objects.count() == 6
    assert Module.objects.count() == 12
    assert Phase.objects.exists()
    assert Verification.objects.exists()
    assert User.objects.filter(is_org_admin=True).count() == 2
    assert data["rows"] > 60 and data["password"] == BENCH_PASSWORD
    assert data["accounts"]["admin"] and data["spaces"] and data["modules"]


def test_its_accounts_sign_in_and_its_pages_render(tmp_path):
    data = seed(tmp_path, accounts=30, spaces=4, territories=1)
    client = Client()
    assert client.login(email=data["accounts"]["verified"][0], password=BENCH_PASSWORD)
    assert client.get(f"/demarches/{data['spaces'][0]}/").status_code == 200
    assert client.get(data["modules"][0]).status_code == 200
    assert client.get("/demarches/").status_code == 200


def test_it_adds_a_second_volume_after_the_first(tmp_path):
    seed(tmp_path, accounts=20, spaces=2, territories=1)
    seed(tmp_path, accounts=20, spaces=2, territories=1)
    assert User.objects.filter(pseudonym__startswith="vol-").count() == 40
    assert Space.objects.count() == 4
    user = User.objects.create_user(email="after@example.org", password="x" * 12)  # the id sequence moved on
    assert user.pk > max(User.objects.exclude(pk=user.pk).values_list("pk", flat=True))


def test_it_is_deterministic(tmp_path):
    seed(tmp_path, accounts=20, spaces=3, territories=1, seed=7)
    first = list(Space.objects.order_by("pk").values_list("title", "start_date"))
    Space.objects.all().delete()
    seed(tmp_path, accounts=20, spaces=3, territories=1, seed=7)
    second = list(Space.objects.order_by("pk").values_list("title", "start_date"))
    assert first == second


def test_hooks_of_modules_run_before_those_of_the_platform():
    found = discover_hooks()
    assert "harness" not in [label for _order, label, _hook in found]
    assert [order for order, _label, _hook in found] == sorted(order for order, _label, _hook in found)
