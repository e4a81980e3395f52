"""The identity provider the tests sign in at: django-oauth-toolkit's, running in a subprocess for the session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.oidc_provider.server import Provider, provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with provider(tmp_path_factory.mktemp("oidc-provider")) as running:
        yield running


@pytest.fixture
def identity_settings(settings: Any, oidc_provider: Provider) -> Provider:
    """FranceConnect and ProConnect both pointed at the local provider."""
    settings.PARTICIPE_IDENTITY_PROVIDERS = {
        "franceconnect": oidc_provider.settings("franceconnect"),
        "proconnect": oidc_provider.settings("proconnect"),
    }
    return oidc_provider
