"""Steps of a sign-in, as the browser takes them: start on the site, sign in at the provider, come back."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.urls import reverse

from tests.oidc_provider.server import sign_in_at_provider


def start(client: Any, provider: str = "franceconnect", **data: str) -> str:
    """Press the button: the address of the provider's authorization endpoint the site sends the browser to."""
    response = client.post(reverse("identity:start", kwargs={"provider": provider}), data)
    assert response.status_code == 302, response
    return str(response["Location"])


def come_back(client: Any, callback_url: str) -> Any:
    """The browser back on the site's callback (``code`` and ``state`` in the query)."""
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client: Any, person: dict[str, Any], provider: str = "franceconnect", **data: str) -> Any:
    """The whole round trip; returns the site's answer to the callback."""
    return come_back(
        client, sign_in_at_provider(start(client, provider, **data), person["username"], person["password"])
    )


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    params = query(url) | changes
    return urlunsplit(parts._replace(query=urlencode(params)))
