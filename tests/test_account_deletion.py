"""Deleting an account leaves nothing of the person's text or identifiers in the database (issue #19, finding 6).

A resident with data in every module and shared service deletes their account through the page; then every table of
the database is read whole and searched for what they typed (the phone number and the address in a draft, their
email, their names): none remains. What must stay is kept anonymously (their support still counted, their
participation in a questionnaire, their published contributions under « participant supprimé »). Crosses every
layer, so it lives at the top level (decision 0012).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from participe.accounts.models import User
from participe.accounts.services import profile_update
from participe.activity.models import AuditEntry
from participe.comments.models import Comment
from participe.comments.services import comment_create
from participe.moderation.models import Report
from participe.moderation.services import report_create
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services.proposals import proposal_create
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.modules.surveys.models import Participation
from participe.modules.surveys.models import Response as SurveyResponse
from participe.modules.surveys.tests.answering_data import build_survey, posted, valid_values
from participe.modules.surveys.tests.test_views_answering import page_url
from participe.notifications.models import Follow, Notification
from participe.notifications.services import follow
from participe.supports.models import Support
from participe.supports.services import support_add
from tests.factories import PASSWORD, TerritoryFactory, UserFactory, VerificationFactory, with_totp

pytestmark = pytest.mark.django_db

PHONE = "06 71 42 98 13"
ADDRESS = "17 impasse des Glycines"
EMAIL = "odette.lemoine@example.org"
NEEDLES = [PHONE, ADDRESS, EMAIL, "Lemoine", "OdetteL-du-13"]


def database_text() -> str:
    """Every value of every row of every table, as one text (what a backup of the database holds)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    chunks.append(str(value))
    return "\n".join(chunks)


@pytest.fixture
def resident() -> User:
    user = UserFactory(email=EMAIL, pseudonym="OdetteL-du-13", first_name="Odette", last_name="Lemoine")
    profile_update(user=user, data={"phone": PHONE, "territory": TerritoryFactory()})  # audited: a copy to redact
    VerificationFactory(user=user)
    return user


def give_data_everywhere(resident: User) -> dict[str, object]:
    module = ProposalModuleFactory(settings={"location_required": False})
    neighbour = UserFactory()
    theirs = ProposalFactory(module=module, author=neighbour)
    draft = proposal_create(
        actor=resident,
        module=module,
        publish=False,
        data={"title": f"Un banc au {ADDRESS}", "body": f"<p>Appelez-moi au {PHONE}, j'habite {ADDRESS}.</p>"},
    )
    follow(actor=resident, target=draft)
    published = proposal_create(
        actor=resident,
        module=module,
        data={
            "title": "Des arbres dans la cour de l'école",
            "body": "<p>Pour l'ombre, les jours de grande chaleur.</p>",
        },
    )
    support_add(actor=resident, target=theirs)
    follow(actor=resident, target=theirs)
    comment_create(actor=resident, target=theirs, body="Je suis pour, et je soutiens.", stance="favorable")
    comment_create(actor=neighbour, target=published, body="Bonne idée !", stance="favorable")  # notifies her
    report_create(actor=resident, target=theirs, reason="other", details=f"Voyez avec moi : {PHONE}")

    survey = build_survey()
    answered = build_survey()
    return {"draft": draft, "published": published, "theirs": theirs, "survey": survey, "answered": answered}


def answer_surveys(client: Client, data: dict[str, object]) -> None:
    survey, answered = data["survey"], data["answered"]
    values = valid_values(survey) | {str(survey.why.pk): f"Joignable au {PHONE}, {ADDRESS}"}
    keys = [str(survey.come.pk), str(survey.why.pk), str(survey.transport.pk)]
    page_one = {**posted({k: values[k] for k in keys}), "shown": [str(survey.why.pk)]}
    assert client.post(page_url(survey, 1), page_one).status_code == 302  # a draft, kept for later
    values = valid_values(answered)
    first = [str(answered.come.pk), str(answered.why.pk), str(answered.transport.pk)]
    assert (
        client.post(page_url(answered, 1), {**posted({k: values[k] for k in first}), "shown": first[1:2]}).status_code
        == 302
    )
    rest = posted({k: v for k, v in values.items() if k not in first})
    assert client.post(page_url(answered, 2), rest).status_code == 302  # sent


def test_deleting_an_account_leaves_none_of_the_persons_text_or_identifiers(resident):
    client = Client()
    client.force_login(resident)
    data = give_data_everywhere(resident)
    answer_surveys(client, data)
    before = database_text()
    assert all(needle in before for needle in NEEDLES), "the test must put every needle in the database"

    response = client.post("/compte/supprimer/", {"password": PASSWORD, "confirm": "SUPPRIMER"})

    assert response.status_code == 302
    after = database_text()
    assert [needle for needle in NEEDLES if needle in after] == []
    user = User.objects.get(pk=resident.pk)
    assert user.is_deleted
    # Drafts are gone, with the follow of the draft; published contributions stay, under « participant supprimé ».
    assert not Proposal.objects.filter(pk=data["draft"].pk).exists()
    assert Proposal.objects.get(pk=data["published"].pk).author.display_name == "participant supprimé"
    assert Comment.objects.filter(author=user).count() == 1
    # Follows and notifications go; the support stays counted, the report too, without its details.
    assert not Follow.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    theirs = Proposal.objects.get(pk=data["theirs"].pk)
    assert theirs.supports_count == 1 and Support.objects.filter(user=user).count() == 1
    assert theirs.followers_count == 0
    assert Report.objects.get(reporter=user).details == ""
    # The questionnaire's draft goes; the answer sent stays, detached; that she took part stays counted.
    assert not SurveyResponse.objects.filter(questionnaire=data["survey"].questionnaire).exists()
    sent = SurveyResponse.objects.get(questionnaire=data["answered"].questionnaire)
    assert sent.is_submitted and sent.participant_id is None
    assert Participation.objects.filter(questionnaire=data["answered"].questionnaire).count() == 1
    # The audit log keeps the facts: her profile's change and her draft's creation, without their values.
    update = AuditEntry.objects.get(action="account.update_profile")
    assert update.actor == user and set(update.after) >= {"phone", "last_name"}
    assert AuditEntry.objects.filter(action="proposals.draft_erased").count() == 1


def test_deleting_asks_for_the_password(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/compte/supprimer/").content.decode()
    assert 'name="password"' in page and 'name="code"' not in page

    response = client.post("/compte/supprimer/", {"password": "pas-le-bon", "confirm": "SUPPRIMER"})

    assert response.status_code == 200
    assert "Ce mot de passe n&#x27;est pas le bon." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_deleted
    response = client.post("/compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert "Ce champ est obligatoire." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_deleted


def test_deleting_asks_a_fresh_second_factor_of_an_account_that_has_one(client):
    from tests.browser.helpers import totp_code

    user = with_totp(UserFactory(is_org_admin=True))
    client.force_login(user)
    assert 'name="code"' in client.get("/compte/supprimer/").content.decode()

    wrong = client.post("/compte/supprimer/", {"password": PASSWORD, "code": "000000", "confirm": "SUPPRIMER"})
    assert wrong.status_code == 200 and "Ce code n&#x27;est pas valide" in wrong.content.decode()
    user.refresh_from_db()
    assert not user.is_deleted

    code = totp_code()
    response = client.post("/compte/supprimer/", {"password": PASSWORD, "code": code, "confirm": "SUPPRIMER"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_deleted
