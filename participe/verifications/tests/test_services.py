"""Granting verifications: census import and check, counter, managed accounts, acting for a resident."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from participe.accounts.services import account_delete
from participe.activity.models import AuditEntry
from participe.organisation.services import territory_delete
from participe.verifications import services
from participe.verifications.census import digest
from participe.verifications.models import CensusImport, CensusRecord, Verification
from tests.factories import TerritoryFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

BORN = datetime.date(1985, 7, 14)
CSV = (
    "nom;prenom;date_naissance;territoire\n"
    "Kerhervé;Anastasie;14/07/1985;TIL\n"
    "Quillivic;Barnabé;02/03/2001;le-port\n"
    "Zéphirin;Ombeline;29/02/1960;Les Tilleuls\n"
    "Quillivic;Barnabé;02/03/2001;le-port\n"  # duplicate line
    "Sanstitre;Gwenola;01/01/1970;\n"
    "Illisible;;01/01/1970;TIL\n"
).encode()


@pytest.fixture
def territories():
    return {
        "tilleuls": TerritoryFactory(name="Les Tilleuls", slug="les-tilleuls", code="TIL"),
        "port": TerritoryFactory(name="Le Port", slug="le-port", code="PRT"),
    }


@pytest.fixture
def census(territories):
    imported, errors = services.census_import(actor=make_agent(), filename="recensement-2026.csv", data=CSV)
    assert errors == ["Ligne 7 : nom, prénom ou date de naissance illisible."]
    return imported


def test_it_imports_a_census_as_keyed_hashes(census, territories):
    assert census.row_count == 4  # the duplicate line counts once
    assert census.rejected_count == 1
    assert census.is_active
    records = {r.digest: r.territory for r in census.records.all()}
    assert records == {
        digest("Kerhervé", "Anastasie", BORN): territories["tilleuls"],  # by code
        digest("Quillivic", "Barnabé", datetime.date(2001, 3, 2)): territories["port"],  # by slug
        digest("Zéphirin", "Ombeline", datetime.date(1960, 2, 29)): territories["tilleuls"],  # by name
        digest("Sanstitre", "Gwenola", datetime.date(1970, 1, 1)): None,
    }
    entry = AuditEntry.objects.get(action="census.import")
    assert entry.after == {"rows": 4, "rejected": 1}


def test_it_stores_no_name_of_the_census_anywhere_in_the_database(census):
    services.census_verify(user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    with pytest.raises(ValidationError):
        services.census_verify(user=UserFactory(), last_name="Quillivic", first_name="Barnabé", birth_date=BORN)
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    everything = dump.getvalue().lower()
    assert "recensement-2026.csv" in everything  # the dump does hold the census
    # (the verified resident's own verification keeps a birth date for age rules: not a census row)
    for word in (
        "kerherv",
        "anastasie",
        "quillivic",
        "barnab",
        "zéphirin",
        "zephirin",
        "ombeline",
        "gwenola",
        "1960-02-29",
        "2001-03-02",
    ):
        assert word not in everything, word


def test_it_replaces_the_census_in_force(census):
    newer, _errors = services.census_import(actor=make_agent(), filename="recensement-2027.csv", data=CSV)
    census.refresh_from_db()
    assert not census.is_active
    assert newer.is_active
    assert CensusImport.objects.filter(is_active=True).get() == newer


def test_it_refuses_a_file_without_any_usable_line():
    with pytest.raises(ValidationError) as excinfo:
        services.census_import(actor=make_agent(), filename="vide.csv", data=b"nom;prenom\nA;B\n")
    assert "Colonnes manquantes" in excinfo.value.messages[0]
    assert not CensusImport.objects.exists()


def test_it_verifies_a_resident_found_in_the_census(census, territories):
    user = UserFactory()
    verification = services.census_verify(user=user, last_name="KERHERVE", first_name=" anastasie ", birth_date=BORN)
    assert verification.handler == "census"
    assert verification.territory == territories["tilleuls"]
    assert verification.birth_date == BORN
    assert verification.expires_at is None
    assert verification.is_active()
    user.refresh_from_db()
    assert user.territory == territories["tilleuls"]  # was not set yet
    assert CensusRecord.objects.get(used_by=user).digest == digest("Kerhervé", "Anastasie", BORN)
    entry = AuditEntry.objects.get(action="verification.grant")
    assert entry.actor == user
    assert entry.after == {"handler": "census", "territory": territories["tilleuls"].pk}


def test_it_keeps_the_territory_a_resident_chose(census, territories):
    user = UserFactory(territory=territories["port"])
    services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    user.refresh_from_db()
    assert user.territory == territories["port"]


def test_it_refuses_an_identity_not_in_the_census_and_counts_the_attempt(census):
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN.replace(day=15))
    assert "ne correspondent à aucun habitant recensé" in excinfo.value.messages[0]
    assert not Verification.objects.filter(user=user).exists()


def test_it_stops_after_five_failed_attempts_even_with_the_right_identity(census):
    user = UserFactory()
    for _attempt in range(services.CENSUS_ATTEMPTS_PER_HOUR):
        with pytest.raises(ValidationError):
            services.census_verify(user=user, last_name="Personne", first_name="Inconnue", birth_date=BORN)
    with pytest.raises(PermissionDenied) as excinfo:
        services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    assert "Trop d'essais" in str(excinfo.value)
    # The limit is per account: someone else may still try.
    assert services.census_verify(user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)


def test_it_refuses_an_identity_already_used_by_another_account(census):
    services.census_verify(user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    other = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.census_verify(user=other, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    assert "déjà servi à vérifier un autre compte" in excinfo.value.messages[0]
    assert not Verification.objects.filter(user=other).exists()


def test_it_lets_the_same_account_verify_again_and_revokes_the_previous_verification(census):
    user = UserFactory()
    first = services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    second = services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(Verification.objects.active().filter(user=user)) == [second]


def test_it_refuses_an_expired_census(census):
    census.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    census.save()
    with pytest.raises(ValidationError):
        services.census_verify(user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)


def test_it_refuses_a_census_no_longer_in_force(census):
    census.is_active = False
    census.save()
    with pytest.raises(ValidationError):
        services.census_verify(user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)


def test_it_makes_a_verification_expire_with_its_census(territories):
    valid_until = timezone.localdate() + datetime.timedelta(days=30)
    services.census_import(actor=make_agent(), filename="r.csv", data=CSV, valid_until=valid_until)
    verification = services.census_verify(
        user=UserFactory(), last_name="Kerhervé", first_name="Anastasie", birth_date=BORN
    )
    assert timezone.localtime(verification.expires_at).date() == valid_until
    assert verification.is_active(now=verification.expires_at - datetime.timedelta(seconds=1))
    assert not verification.is_active(now=verification.expires_at + datetime.timedelta(seconds=1))


def test_it_verifies_a_resident_at_the_counter_and_logs_it(territories):
    agent, user = make_agent(), UserFactory()
    verification = services.counter_verify(
        agent=agent, user=user, territory=territories["port"], birth_date=BORN, note="Carte d'identité et facture"
    )
    assert verification.handler == "counter"
    assert verification.granted_by == agent
    assert verification.attributes == {"note": "Carte d'identité et facture"}
    user.refresh_from_db()
    assert user.territory == territories["port"]
    entry = AuditEntry.objects.get(action="verification.grant")
    assert entry.actor == agent
    assert entry.target_id == str(user.pk)
    assert entry.after == {"handler": "counter", "territory": territories["port"].pk}
    assert entry.reason == "Carte d'identité et facture"


def test_it_replaces_an_earlier_counter_verification(territories):
    agent, user = make_agent(), UserFactory()
    first = services.counter_verify(agent=agent, user=user, territory=territories["port"], birth_date=BORN)
    services.counter_verify(agent=agent, user=user, territory=territories["tilleuls"], birth_date=BORN)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Verification.objects.active().get(user=user).territory == territories["tilleuls"]


def test_it_refuses_to_verify_a_deleted_account():
    user = UserFactory(is_deleted=True)
    with pytest.raises(ValidationError):
        services.counter_verify(agent=make_agent(), user=user, territory=None, birth_date=None)


def test_it_creates_a_managed_account_and_logs_it(territories):
    agent = make_agent()
    resident = services.managed_account_create(
        agent=agent,
        first_name="Odette",
        last_name="Lemoine",
        territory=territories["port"],
        birth_date=BORN,
        phone="0601020304",
    )
    assert resident.email is None
    assert resident.managed_by == agent
    assert resident.is_managed
    assert not resident.has_usable_password()
    assert resident.pseudonym.startswith("participant-")
    assert resident.email_frequency == "never"
    verification = Verification.objects.get(user=resident)
    assert (verification.handler, verification.granted_by, verification.territory) == (
        "managed",
        agent,
        territories["port"],
    )
    entry = AuditEntry.objects.get(action="account.create_managed")
    assert entry.actor == agent
    assert entry.target_id == str(resident.pk)
    assert entry.after == {"pseudonym": resident.pseudonym, "territory": territories["port"].pk}
    assert "Odette" not in str(entry.after)


def test_it_revokes_a_verification_and_logs_why():
    agent = make_agent()
    verification = Verification.objects.create(user=UserFactory(), handler="counter")
    services.verification_revoke(actor=agent, verification=verification, reason="Erreur de saisie")
    verification.refresh_from_db()
    assert not verification.is_active()
    entry = AuditEntry.objects.get(action="verification.revoke")
    assert (entry.actor, entry.reason, entry.before) == (agent, "Erreur de saisie", {"handler": "counter"})


def test_it_starts_and_stops_acting_for_a_managed_resident():
    agent = make_agent()
    resident = services.managed_account_create(
        agent=agent, first_name="Odette", last_name="Lemoine", territory=None, birth_date=None
    )
    session = SessionStore()
    services.acting_for_start(agent=agent, resident=resident, session=session)
    assert session["acting_for"] == resident.pk
    services.acting_for_stop(agent=agent, session=session)
    assert "acting_for" not in session
    start, stop = AuditEntry.objects.filter(action__startswith="acting_for").order_by("pk")
    assert (start.action, start.actor, start.on_behalf_of) == ("acting_for.start", agent, resident)
    assert (stop.action, stop.actor, stop.on_behalf_of) == ("acting_for.stop", agent, resident)


def test_it_refuses_to_act_for_an_account_with_an_email():
    session = SessionStore()
    with pytest.raises(PermissionDenied):
        services.acting_for_start(agent=make_agent(), resident=UserFactory(), session=session)
    assert "acting_for" not in session
    assert not AuditEntry.objects.exists()


def test_it_logs_nothing_when_stopping_without_having_started():
    services.acting_for_stop(agent=make_agent(), session=SessionStore())
    assert not AuditEntry.objects.exists()


def test_deleting_an_account_removes_its_verifications_and_frees_its_census_rows():
    user = UserFactory()
    other = UserFactory()
    Verification.objects.create(user=user, handler="counter")
    Verification.objects.create(user=other, handler="counter")
    census = CensusImport.objects.create(filename="r.csv")
    CensusRecord.objects.create(census=census, digest="0" * 64, used_by=user)
    account_delete(user=user)
    assert not Verification.objects.filter(user=user).exists()
    assert Verification.objects.filter(user=other).exists()
    assert CensusRecord.objects.get().used_by is None


def test_the_account_page_shows_the_verifications_section(client):
    user = UserFactory()
    Verification.objects.create(user=user, handler="counter", territory=TerritoryFactory(name="Les Tilleuls"))
    client.force_login(user)
    page = client.get("/compte/profil/").content.decode()
    assert "Vérification de résidence" in page
    assert "Les Tilleuls" in page


def test_a_territory_of_a_verification_is_not_deleted():
    territory = TerritoryFactory()
    Verification.objects.create(user=UserFactory(), handler="counter", territory=territory)
    with pytest.raises(ValidationError, match="1 vérification en cours"):
        territory_delete(actor=make_org_admin(), territory=territory)
