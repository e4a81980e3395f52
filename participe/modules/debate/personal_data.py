"""The subjects of debate the person wrote, for « Mes données » (decision 0035); their contributions to a debate are
comments (participe.comments gives them)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.debate.models import Subject


def personal_data(user: Any) -> Tables:
    subjects = Subject.objects.filter(author=user).select_related("module").order_by("pk")
    return {"sujets": rows(subjects, ("created_at", "module", "title", "summary", "body", "status", "published_at"))}
