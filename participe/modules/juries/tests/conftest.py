"""The jury the services' and the pages' tests start from: nine members, a feature with bounds, one with a share."""

from __future__ import annotations

import pytest

from participe.modules.juries import services
from participe.modules.juries.tests.factories import JuryModuleFactory
from tests.factories import make_org_admin


@pytest.fixture
def jury():  # type: ignore[no-untyped-def]
    module = JuryModuleFactory()
    admin = make_org_admin()
    services.panel_configure(actor=admin, module=module, size=9, registration_open=True, presentation="")
    services.feature_save(actor=admin, module=module, label="Genre", values="Femme ; 4 ; 6\nHomme ; 3 ; 5")
    services.feature_save(
        actor=admin, module=module, label="Âge", values="Jeune ; 33,3 %\nAdulte ; 2 ; 4\nSenior ; 2 ; 4"
    )
    return module, admin
