"""Journey: a resident answers an anonymous questionnaire (decision 0016). The module page says the answers are
anonymous and that the quartier is kept; she saves half-way and resumes; on sending, the receipt is the answer to the
submission itself — reloading its address is not possible, nothing can be read back — and the response waits for
its batch; when the answering phase ends, it is counted in the results by quartier only if ten answered there."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.surveys import hooks
from participe.modules.surveys.models import AnonymousDraft, Participation, Question, Response, StagedResponse
from participe.modules.surveys.tests.factories import QuestionnaireFactory, SurveyModuleFactory, make_choice_question
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def square(transactional_db: Any) -> dict[str, Any]:
    space = SpaceFactory(title="Le square", slug="le-square")
    module = SurveyModuleFactory(space=space, title="Votre square", slug="votre-square")
    module.settings = {**module.settings, "anonymous": True, "territory_results": True, "access": "signed_in"}
    module.save()
    questionnaire = QuestionnaireFactory(module=module, closing_message="<p>Merci pour le square.</p>")
    make_choice_question(questionnaire, ["Des bancs", "Des jeux"], title="Que voulez-vous ?", required=True, position=1)
    remarks = Question.objects.create(
        questionnaire=questionnaire, position=5, kind=Question.Kind.SECTION, title="Vos idées"
    )
    Question.objects.create(questionnaire=questionnaire, position=6, kind=Question.Kind.LONG_TEXT, title="Une idée ?")
    return {"module": module, "questionnaire": questionnaire, "section": remarks}


@pytest.mark.parametrize("page", ["desktop"], indirect=True)
def test_a_resident_answers_anonymously_and_keeps_only_her_receipt(page: Any, server: str, square: dict) -> None:
    module = square["module"]
    resident = UserFactory(email="nadia@example.org", pseudonym="nadia", territory=TerritoryFactory(name="Gare"))
    log_in(page, server, resident.email)
    page.goto(server + module.get_absolute_url())
    expect(page.get_by_text(re.compile("Réponses anonymes : aucun lien n'est gardé"))).to_be_visible()
    expect(page.get_by_text(re.compile("Le quartier de votre compte est gardé avec vos réponses"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Commencer").click()
    page.get_by_role("radio", name="Des bancs").check()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("textbox", name=re.compile("Une idée")).fill("Une fontaine à eau")
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    draft = AnonymousDraft.objects.get()  # kept apart from the responses while she drafts
    assert draft.participant == resident and not Response.objects.exists()

    page.goto(server + module.get_absolute_url())
    page.get_by_role("link", name=re.compile("Reprendre")).click()
    expect(page.get_by_role("textbox", name=re.compile("Une idée"))).to_have_value("Une fontaine à eau")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont enregistrées")
    staged = StagedResponse.objects.get()
    expect(page.get_by_text(staged.receipt.hex[:8].upper())).to_be_visible()
    expect(page.get_by_text("Merci pour le square.")).to_be_visible()
    expect(page.get_by_role("link", name="Relire mes réponses")).to_have_count(0)
    assert_accessible(page)
    assert not AnonymousDraft.objects.exists()
    assert Participation.objects.filter(user=resident).exists()

    # When the answering phase ends, the response is mixed: no person, the day only, the quartier kept as declared.
    hooks.phase_changed(module, "reponses", "resultats")
    response = Response.objects.get()
    assert (response.participant_id, response.territory_id) == (None, resident.territory_id)
    assert response.receipt == staged.receipt
