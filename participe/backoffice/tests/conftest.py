import pytest

from tests.factories import make_agent, make_org_admin


@pytest.fixture
def admin(db):
    return make_org_admin(pseudonym="admin-mairie")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def agent(db):
    return make_agent(pseudonym="agent-accueil")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client
