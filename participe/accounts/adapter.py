from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        pseudonym = form.cleaned_data.get("pseudonym")
        if pseudonym:
            user.pseudonym = pseudonym
        if commit:
            user.save()
        return user

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
