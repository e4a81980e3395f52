"""What a person gets for a page they may not see, the same on every page of the platform and of the modules
(``participe.spaces.http``): the login page for a visitor of a private space, 403 with its reason for a signed-in
non-member, 404 for what one may not know exists (a draft space, an unpublished module, someone else's draft).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.modules.surveys.tests.factories import SurveyModuleFactory
from participe.spaces.models import Space, SpaceMembership
from tests.factories import SpaceFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "resident", "member", "staff")
LOGIN, FORBIDDEN, NOT_FOUND, OK = "login", 403, 404, 200
# What each person gets, by column.
TABLE = {
    #              public  private    draft space  unpublished module  draft item
    "anonymous": (OK, LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "resident": (OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "member": (OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "staff": (OK, OK, OK, OK, OK),
}
COLUMNS = ("public", "private", "draft_space", "unpublished_module", "draft_item")


def _case(column: str) -> tuple[Space, list[str]]:
    """A space and the addresses of the column: the space, its proposals module and a proposal (or a draft)."""
    private = column == "private"
    space = SpaceFactory(
        status=Space.Status.DRAFT if column == "draft_space" else Space.Status.PUBLISHED,
        visibility=Space.Visibility.PRIVATE if private else Space.Visibility.PUBLIC,
    )
    module = ProposalModuleFactory(space=space, is_published=column != "unpublished_module")
    draft = column == "draft_item"
    proposal = ProposalFactory(module=module, status=Proposal.Status.DRAFT if draft else Proposal.Status.PUBLISHED)
    if draft:
        return space, [proposal.get_absolute_url()]
    addresses = [module.get_absolute_url(), proposal.get_absolute_url()]
    if column != "unpublished_module":
        addresses.insert(0, reverse("spaces:detail", kwargs={"slug": space.slug}))
    if private:  # every module answers the same way
        subject = SubjectFactory(module=DebateModuleFactory(space=space))
        survey = SurveyModuleFactory(space=space)
        addresses += [subject.get_absolute_url(), survey.get_absolute_url()]
    return space, addresses


def _sign_in(client, person: str, space: Space) -> None:
    if person == "resident":
        client.force_login(UserFactory())
    elif person == "member":
        client.force_login(make_space_role(space, SpaceMembership.Role.MEMBER))
    elif person == "staff":
        client.force_login(make_space_role(space, SpaceMembership.Role.ADMIN))


@pytest.mark.parametrize(
    "person, column, expected",
    [
        pytest.param(person, column, expected, id=f"{person}-{column}")
        for person, row in TABLE.items()
        for column, expected in zip(COLUMNS, row, strict=True)
    ],
)
def test_each_person_gets_the_same_answer_on_every_page(client, person, column, expected):
    space, addresses = _case(column)
    _sign_in(client, person, space)
    for address in addresses:
        response = client.get(address)
        if expected == LOGIN:
            assert response.status_code == 302, address
            assert response["Location"] == f"{reverse('account_login')}?next={address.replace('#', '%23')}"
        else:
            assert response.status_code == expected, address
        if expected == FORBIDDEN:  # the 403 page says why
            assert "Cette démarche est réservée à ses membres." in response.content.decode(), address


def test_an_address_that_matches_nothing_is_not_found(client):
    assert client.get(reverse("spaces:detail", kwargs={"slug": "nulle-part"})).status_code == 404
