"""« Mes données »: what the archive holds, source by source (decision 0035), and what it must never hold — the
census's keyed hashes, answers to an anonymous questionnaire."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.activity.services import audit
from participe.ballots.models import RollEntry
from participe.ballots.tests.factories import ElectionFactory
from participe.comments.tests.factories import CommentFactory
from participe.core.registry import ModuleManifest, PhaseType, registry
from participe.dataright import archive
from participe.modules.debate.tests.factories import SubjectFactory
from participe.modules.meetings.models import Registration
from participe.modules.meetings.tests.factories import MeetingFactory
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory
from participe.modules.surveys.tests.answering_data import build_survey
from participe.modules.surveys.tests.test_anonymity import answer, set_settings
from participe.notifications.models import NotificationPreference
from participe.notifications.tests.factories import follow_of
from participe.supports.tests.factories import SupportFactory
from tests.factories import UserFactory, VerificationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def zip_of(user) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    archive.write_zip(buffer, archive.collect(user), site="https://participer.example.org")
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def table(zf: zipfile.ZipFile, name: str) -> list[dict]:
    return json.loads(zf.read(f"{name}.json"))


@pytest.fixture
def resident():
    user = UserFactory(email="odette@example.org", pseudonym="odette-du-13", phone="06 71 42 98 13")
    VerificationFactory(user=user, handler="census", attributes={"census": 4242, "note": "au guichet"})
    proposal = ProposalFactory(author=user, title="Des arbres dans la cour", status=Proposal.Status.PUBLISHED)
    ProposalFactory(author=user, title="Un banc (brouillon)", status=Proposal.Status.DRAFT)
    CommentFactory(author=user, body="Je soutiens les arbres.")
    SupportFactory(user=user)
    follow_of(user, proposal)
    NotificationPreference.objects.create(user=user, event="comments.reply", in_app=True, email=False)
    SubjectFactory(author=user, title="Faut-il piétonniser la rue ?")
    Registration.objects.create(meeting=MeetingFactory(title="Réunion du quartier nord"), user=user, name="Odette")
    RollEntry.objects.create(election=ElectionFactory(title="Quel arbre ?"), voter=user, channel="online")
    audit(actor=user, action="account.update_profile", target=user, after={"phone": "06 71 42 98 13"})
    return user


def test_the_archive_holds_every_source_as_json_and_csv(resident):
    zf = zip_of(resident)
    names = set(zf.namelist())
    assert {"LISEZ-MOI.txt", "mes-donnees.json"} <= names
    for name in names - {"LISEZ-MOI.txt", "mes-donnees.json"}:
        stem = name.rsplit(".", 1)[0]
        assert {f"{stem}.json", f"{stem}.csv"} <= names  # each table in both formats

    account = table(zf, "accounts/compte")[0]
    assert account["pseudonym"] == "odette-du-13" and account["phone"] == "06 71 42 98 13"
    assert table(zf, "accounts/adresses_electroniques")[0]["email"] == "odette@example.org"
    assert any(e["action"] == "account.update_profile" and e["par"] == "vous" for e in table(zf, "accounts/journal"))

    titles = [p["title"] for p in table(zf, "module-proposals/propositions")]
    assert titles == ["Des arbres dans la cour", "Un banc (brouillon)"]  # the drafts too: they are the person's
    assert table(zf, "comments/commentaires")[0]["body"] == "Je soutiens les arbres."
    assert len(table(zf, "supports/soutiens")) == 1
    assert table(zf, "notifications/abonnements")[0]["target"] == "Des arbres dans la cour"
    assert table(zf, "notifications/preferences") == [{"event": "comments.reply", "in_app": True, "email": False}]
    assert table(zf, "module-debate/sujets")[0]["title"] == "Faut-il piétonniser la rue ?"
    assert table(zf, "module-meetings/inscriptions")[0]["meeting"] == "Réunion du quartier nord"
    assert table(zf, "ballots/emargements")[0]["scrutin"] == "Quel arbre ?"

    csv_rows = list(
        csv.DictReader(io.StringIO(zf.read("comments/commentaires.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert csv_rows[0]["body"] == "Je soutiens les arbres."


def test_verifications_come_without_the_census_record(resident):
    zf = zip_of(resident)
    verification = table(zf, "verifications/verifications")[0]
    assert verification["moyen"] == "census"
    assert verification["attributs"] == {"note": "au guichet"}  # the matched record's id is left out
    assert "4242" not in zf.read("mes-donnees.json").decode()


def test_answers_to_an_anonymous_questionnaire_are_not_in_it_and_named_answers_are(resident):
    named = build_survey()
    anonymous = build_survey()
    set_settings(anonymous, anonymous=True)
    answer(named, resident, "REMARQUE-NOMINATIVE")
    answer(anonymous, resident, "REMARQUE-ANONYME")
    everything = zip_of(resident).read("mes-donnees.json").decode()
    assert "REMARQUE-NOMINATIVE" in everything
    assert "REMARQUE-ANONYME" not in everything
    participations = json.loads(everything)["module-surveys"]["participations"]
    assert len(participations) == 2  # that the person answered stays theirs (the day, no content)
    assert all(len(p["premier_jour"]) == 10 for p in participations)


def test_a_cell_that_looks_like_a_formula_is_neutralised():
    text = "".join(archive.csv_lines([{"a": "=HYPERLINK(1)", "b": None, "c": True}]))
    assert "'=HYPERLINK(1)" in text and ";;oui" in text


def test_a_new_module_plugs_in_through_its_manifest_alone(resident):
    """No exporter change: a module type that declares ``personal_data`` is read like the others."""
    manifest = ModuleManifest(
        key="nouveau",
        name="Nouveau",
        description="",
        icon="box",
        app_label="testapp",
        phase_types=(PhaseType("p", "P", frozenset()),),
        personal_data="tests.test_my_data_archive.new_module_data",
    )
    registry.register(manifest)
    try:
        assert table(zip_of(resident), "module-nouveau/petitions") == [{"texte": "Signée"}]
    finally:
        registry.unregister("nouveau")


def new_module_data(user):
    return {"petitions": [{"texte": "Signée"}]}


def test_every_source_answers_for_a_person_without_data():
    user = UserFactory()
    data = archive.collect(user)
    json.dumps(data)  # JSON values only
    assert set(data) == {"accounts"}  # only the account itself


def test_every_platform_app_holding_accounts_gives_their_data_or_says_why_not():
    """Like the start-up check of modules (participe.E023): a platform app whose models point to accounts registers
    a provider, unless what it holds is the staff's work, whose acts the audit log already gives."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from participe.accounts.hooks import personal_data_providers

    # decidim_import: who imported an archive (an administrator's act, audited).
    staff_work = {
        "links",
        "assignments",
        "commitments",
        "synthesis",
        "restitution",
        "activity",
        "dataright",
        "decidim_import",
    }
    user_model = get_user_model()
    holding = {
        model._meta.app_label
        for model in apps.get_models()
        if model.__module__.startswith("participe.") and not model.__module__.startswith("participe.modules.")
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is user_model
    }
    missing = holding - set(personal_data_providers()) - staff_work
    assert not missing, f"Apps holding personal data without a provider: {sorted(missing)}"
    assert ContentType.objects.get_for_model(user_model)  # the audit entries about the account are read through it
