"""The services (departments) the person is an agent of, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables
from participe.organisation.models import Service


def personal_data(user: Any) -> Tables:
    return {"services": [{"service": str(service)} for service in Service.objects.filter(members=user).order_by("pk")]}
