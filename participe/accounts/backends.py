"""Django's model permissions (``comments.post_as_elected``, granted to an élu directly or through a group), read in
one query instead of two (issue #12).

The platform's permissions are rules (django-rules, listed first); the few it grants in the database are read by
Django's ``ModelBackend``, which asks for the account's own permissions and for its groups' in two queries — on every
signed-in page where a rule says no (the header asks whether the back-office is open to the reader). This backend
reads both at once, into the same per-request memo as Django's (``_perm_cache``, which the allauth backend after it
reuses), and is otherwise Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            found = (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                .values_list("content_type__app_label", "codename")
                .order_by()
                .distinct()
            )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in found}
        return user_obj._perm_cache  # type: ignore[no-any-return]
