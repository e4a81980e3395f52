from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from participe.accounts import hooks
from participe.core.proxies import client_address


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

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address behind the trusted proxies: allauth's rate limits count per person, not per proxy
        (its own reading of X-Forwarded-For trusts a number of hops, not the proxies this install names)."""
        return client_address(request) or super().get_client_ip(request)

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Asked before the session ends: a person signed in through an identity provider is sent to sign out
        there too (``hooks.register_logout_redirect``)."""
        return hooks.logout_redirect(request) or super().get_logout_redirect_url(request)
