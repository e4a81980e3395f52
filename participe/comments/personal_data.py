"""The person's comments, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.comments.models import Comment
from participe.core.personal_data import Tables, rows


def personal_data(user: Any) -> Tables:
    comments = Comment.objects.filter(author=user).select_related("content_type", "module").order_by("created_at", "pk")
    return {
        "commentaires": rows(
            comments.prefetch_related("target"),
            (
                "id",
                "created_at",
                "content_type",
                "object_id",
                "target",
                "module",
                "parent_id",
                "stance",
                "body",
                "edited_at",
                "deleted_at",
                "moderation_status",
            ),
        )
    }
