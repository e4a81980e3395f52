"""The test-only organisation-wide module is not turned on in the demo: its addresses answer 404 to everyone."""

from __future__ import annotations

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "organisation_module_testservice": {"*": {"notfound"}},
    "testservice:item": {"*": {"notfound"}},
}
PARAMS = {"testservice:item": lambda: {"pk": 1}}
