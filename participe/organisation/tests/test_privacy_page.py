"""The privacy page: the public part of the register of processing activities, periods read from settings, and the
built-in audience measurement named as people must be told of it (CNIL), or not at all when it is off."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_register_lists_each_activity_with_its_period_from_settings(client: Any, settings: Any) -> None:
    settings.PARTICIPE_RETENTION = {**settings.PARTICIPE_RETENTION, "audit_log": 400}
    settings.PARTICIPE_AUDIENCE_RETENTION_MONTHS = 13
    page = client.get(reverse("privacy")).content.decode()
    for name in ("Comptes et participation", "Journal des actions", "« Mes données »", "Mesure d&#x27;audience"):
        assert name in page
    assert "400 jours" in page and "13 mois" in page
    assert "sans cookie ni identifiant enregistré" in page


def test_no_audience_measurement_is_named_when_it_is_off(client: Any, settings: Any) -> None:
    settings.PARTICIPE_AUDIENCE_ENABLED = False
    page = client.get(reverse("privacy")).content.decode()
    assert "Mesure d&#x27;audience" not in page and "sans cookie ni identifiant" not in page
    assert "Comptes et participation" in page
