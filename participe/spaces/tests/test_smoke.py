import pytest

from tests.factories import PhaseFactory


@pytest.mark.django_db
def test_it_shows_a_published_space_with_its_current_module(client):
    phase = PhaseFactory()
    response = client.get(phase.module.space.get_absolute_url())
    assert response.status_code == 200
    assert phase.module.title in response.content.decode()
