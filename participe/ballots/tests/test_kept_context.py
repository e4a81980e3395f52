"""What a cast keeps between requests (``participe.ballots.context``, the votation's fixed question) is never stale:
after a first cast has filled the process's copies, a change by any path — a service, a bulk ``update()``, a direct
change of the rule's territories — is seen by the next cast, on the API as in the service."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from participe.ballots import context, services
from participe.ballots.models import Election, RollEntry
from participe.ballots.tests.factories import ElectionFactory, voter
from participe.core.capabilities import Cap
from participe.organisation.models import Territory
from participe.permissions.refusals import Refused
from participe.spaces.models import Module, Phase, Space
from participe.verifications import services as verifications
from participe.verifications.models import EligibilityRule, Verification
from tests.factories import TerritoryFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

TILLEUL = {"choices": ["1"]}


@pytest.fixture
def town():
    """An election for the residents of the commune (quartiers Centre and Gare under it), and a first ballot cast
    by a resident of Centre: the process keeps the election, its phases, its rule and the tree from now on."""
    context.forget()
    commune = TerritoryFactory(name="Lumerac", kind="commune")
    centre = TerritoryFactory(name="Centre", parent=commune)
    gare = TerritoryFactory(name="Gare", parent=commune)
    elsewhere = TerritoryFactory(name="Ailleurs", kind="commune")
    election = ElectionFactory()
    rule = EligibilityRule.objects.create(module=election.module, action=Cap.VOTE, require_verification=True)
    rule.territories.set([commune])
    services.ballot_cast(actor=resident(centre), election=election, content=TILLEUL)
    return election, rule, {"commune": commune, "centre": centre, "gare": gare, "elsewhere": elsewhere}


def resident(territory: Territory) -> object:
    person = voter()
    Verification.objects.filter(user=person).update(territory=territory)
    return person


def cast(person: object, election: Election) -> object:
    return services.ballot_cast(actor=person, election=Election.objects.get(pk=election.pk), content=TILLEUL)


def refused_with(person: object, election: Election) -> list[str]:
    with pytest.raises(Refused) as refused:
        cast(person, election)
    return refused.value.codes


def test_the_first_cast_fills_the_copies_and_the_next_ones_use_them(town, django_assert_max_num_queries):
    election, _rule, places = town
    assert election.module_id in context._kept
    bob = resident(places["gare"])
    fresh = Election.objects.get(pk=election.pk)
    with django_assert_max_num_queries(12):
        services.ballot_cast(actor=bob, election=fresh, content=TILLEUL)
    assert RollEntry.objects.filter(election=election).count() == 2


def test_a_revoked_verification_is_seen_by_the_next_cast(town):
    election, _rule, places = town
    bob = resident(places["gare"])
    verifications.verification_revoke(actor=make_agent(), verification=Verification.objects.get(user=bob))
    assert refused_with(bob, election) == ["not_eligible"]


def test_an_eligibility_rule_edited_by_its_service_is_seen_by_the_next_cast(town):
    election, rule, places = town
    verifications.eligibility_rule_save(actor=make_org_admin(), rule=rule, data={"territories": [places["gare"]]})
    assert refused_with(resident(places["centre"]), election) == ["not_eligible"]
    cast(resident(places["gare"]), election)


def test_a_rule_changed_behind_the_services_is_seen_too(town):
    election, rule, places = town
    rule.territories.set([places["elsewhere"]])  # the rule's row itself is unchanged
    assert refused_with(resident(places["centre"]), election) == ["not_eligible"]
    rule.territories.set([places["commune"]])
    EligibilityRule.objects.filter(pk=rule.pk).update(min_age=90)  # no ``updated_at`` change
    assert refused_with(resident(places["centre"]), election) == ["not_eligible"]
    EligibilityRule.objects.filter(pk=rule.pk).delete()
    cast(resident(places["elsewhere"]), election)


def test_a_rule_created_after_the_first_cast_is_seen(town):
    election, rule, places = town
    rule.delete()
    cast(resident(places["elsewhere"]), election)
    EligibilityRule.objects.create(module=election.module, action=Cap.VOTE, require_verification=True)
    nobody = voter()
    Verification.objects.filter(user=nobody).delete()
    assert refused_with(nobody, election) == ["not_eligible"]


def test_a_change_of_the_territory_tree_is_seen_by_the_next_cast(town):
    election, _rule, places = town
    Territory.objects.filter(pk=places["gare"].pk).update(parent=places["elsewhere"])
    assert refused_with(resident(places["gare"]), election) == ["not_eligible"]
    Territory.objects.filter(pk=places["elsewhere"].pk).update(parent=places["commune"])
    cast(resident(places["gare"]), election)


def test_a_phase_changed_is_seen_by_the_next_cast(town):
    election, _rule, places = town
    Phase.objects.filter(module=election.module).update(end=timezone.now() - datetime.timedelta(minutes=1))
    assert refused_with(resident(places["centre"]), election) == ["not_open"]
    phase = Phase.objects.get(module=election.module)
    phase.end = timezone.now() + datetime.timedelta(days=1)
    phase.save()
    cast(resident(places["centre"]), election)
    phase.phase_type = "collect"  # a phase type that grants no vote
    phase.save()
    assert refused_with(resident(places["centre"]), election) == ["not_open"]


def post(client, election, person):
    client.force_login(person)
    return client.post(
        f"/api/v1/ballots/elections/{election.pk}/ballots",
        {"content": TILLEUL},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def test_the_api_sees_a_change_of_the_election_its_module_and_its_space(client, town):
    election, _rule, places = town
    assert post(client, election, resident(places["centre"])).status_code == 201
    Election.objects.filter(pk=election.pk).update(channels=Election.Channels.PAPER)
    assert "bureau de vote" in post(client, election, resident(places["centre"])).json()["detail"]
    Election.objects.filter(pk=election.pk).update(channels=Election.Channels.BOTH)
    assert post(client, election, resident(places["centre"])).status_code == 201
    Space.objects.filter(pk=election.module.space_id).update(status=Space.Status.ARCHIVED)
    assert "archivée" in post(client, election, resident(places["centre"])).json()["detail"]
    Space.objects.filter(pk=election.module.space_id).update(status=Space.Status.PUBLISHED)
    Module.objects.filter(pk=election.module_id).update(is_published=False)
    assert post(client, election, resident(places["centre"])).status_code == 404


def test_closing_is_seen_by_the_next_cast(town):
    election, _rule, places = town
    services.election_close(actor=make_org_admin(), election=Election.objects.get(pk=election.pk))
    assert refused_with(resident(places["centre"]), election) == ["closed"]


def test_after_a_cast_the_same_objects_read_the_phases_and_rules_again(town):
    election, _rule, places = town
    bob = resident(places["centre"])
    services.ballot_cast(actor=bob, election=election, content=TILLEUL)
    assert "phases" not in getattr(election.module, "_prefetched_objects_cache", {})
    assert "_eligibility_rules" not in election.module.__dict__
