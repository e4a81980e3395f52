"""The form of a department of the collectivité (the ``organisation.Service`` model; see docs/architecture.md,
"Words": the back-office calls its pages about services "departments")."""

from __future__ import annotations

from participe.backoffice.forms.base import ServiceModelForm
from participe.organisation.models import Service


class DepartmentForm(ServiceModelForm):
    class Meta:
        model = Service
        fields = ["name", "email"]
