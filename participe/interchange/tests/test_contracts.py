"""The start-up checks of the interchange contracts (interchange.E001–E005)."""

from __future__ import annotations

import pytest

from participe.core.interchange import Interchange
from participe.interchange import contracts
from participe.interchange.checks import check_interchange_contracts, contract_errors, dangling_errors


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_the_project_s_contracts_pass():
    assert check_interchange_contracts() == []


def test_the_default_carries_everything_and_needs_no_list():
    assert contract_errors("proposals", Interchange()) == []


def test_an_explicit_list_must_cover_every_model():
    messages = contract_errors("proposals", Interchange(models=("proposals.Proposal",)))
    assert ids(messages) == ["interchange.E003"]
    assert "proposals.StatusChange is neither in models= nor in excluded=" in messages[0].msg
    assert (
        contract_errors(
            "proposals",
            Interchange(models=("proposals.Proposal",), excluded={"proposals.StatusChange": "a history we drop"}),
        )
        == []
    )


def test_an_unknown_model_or_credential_is_named():
    messages = contract_errors(
        "proposals", Interchange(excluded={"proposals.Nothing": "x"}, credentials=("proposals.Proposal.secret",))
    )
    assert ids(messages) == ["interchange.E001", "interchange.E001"]


def test_a_model_both_carried_and_excluded():
    contract = Interchange(
        models=("proposals.Proposal", "proposals.StatusChange"), excluded={"proposals.StatusChange": "why"}
    )
    assert ids(contract_errors("proposals", contract)) == ["interchange.E002"]


def test_an_exclusion_needs_its_reason():
    assert ids(contract_errors("proposals", Interchange(excluded={"proposals.StatusChange": " "}))) == [
        "interchange.E004"
    ]


@pytest.fixture
def fresh_entities():
    contracts.entities.cache_clear()
    yield
    contracts.entities.cache_clear()


def test_a_carried_row_must_not_point_to_a_model_left_out(monkeypatch, fresh_entities):
    platform = {**contracts.PLATFORM, "organisation": Interchange(excluded={"organisation.Territory": "not ours"})}
    monkeypatch.setattr(contracts, "PLATFORM", platform)
    contracts.entities.cache_clear()
    messages = dangling_errors()
    assert "interchange.E005" in ids(messages)
    assert any("accounts.User.territory points to organisation.Territory" in m.msg for m in messages)


def test_a_module_declares_its_contract_in_its_manifest():
    from participe.core.registry import registry

    surveys = registry.get("surveys")
    assert "surveys.ExportJob" in surveys.interchange.excluded
    assert "surveys.ExportJob" in contracts.excluded()
    assert contracts.contract_for("surveys") is surveys.interchange
