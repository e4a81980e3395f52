"""Journey: an agent reads the results of a questionnaire (charts and their tables), filters them by territory,
crosses two questions, searches the free-text answers, exports the responses as CSV and downloads the file; the
export's progress updates by itself with JavaScript and with a button without it; residents read the published
results on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.surveys.models import ExportJob
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import TerritoryFactory, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answered_questionnaire() -> Any:
    s = sample_questionnaire()
    module = s.questionnaire.module
    module.title = "Mobilités du quartier"
    module.save()
    north = TerritoryFactory(name="Quartier Nord")
    voiture, bus, velo = (s.choice(s.transport, x) for x in ["Voiture", "Bus", "Vélo"])
    for index in range(12):
        transport = [voiture, bus, velo][index % 3]
        submit(
            s.questionnaire,
            full_answers(s, transport=transport, satisfaction=1 + index % 5, comment=f"Avis n° {index}"),
            territory=north if index < 4 else None,
        )
    submit(s.questionnaire, full_answers(s, comment="Une piste cyclable rue Pasteur"))
    return s


def read_results(page: Any, server: str, s: Any) -> None:
    module = s.questionnaire.module
    page.goto(f"{server}/gestion/modules/{module.pk}/")
    page.get_by_role("link", name="Voir les résultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats du questionnaire « Mobilités du quartier »")
    expect(page.get_by_text("13 réponses reçues")).to_be_visible()
    question = page.get_by_role("article", name="Q1. Comment venez-vous ?")
    expect(
        question.get_by_role("img", name=re.compile("Diagramme en barres des réponses à la question 1"))
    ).to_be_visible()
    table = question.get_by_role("table", name="Réponses à la question 1")
    expect(table.get_by_role("row", name=re.compile(r"^Voiture 5 38,5\s%"))).to_be_visible()
    expect(page.get_by_role("article", name="Q5. Notez ces équipements").get_by_role("table")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Territoire des répondants").select_option(label="Quartier Nord")
    page.get_by_label("Question en lignes").select_option(label="Q1. Comment venez-vous ?")
    page.get_by_label("Question en colonnes").select_option(label="Q4. Êtes-vous satisfait du quartier ?")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.get_by_text("Résultats des 4 répondants du territoire « Quartier Nord »")).to_be_visible()
    crossing = page.get_by_role("region", name="Croisement de deux questions")
    expect(crossing.get_by_text("4 répondants ont répondu aux deux questions.")).to_be_visible()
    expect(crossing.get_by_role("row", name=re.compile(r"^Voiture"))).to_contain_text("2")
    assert_accessible(page)

    page.get_by_role("button", name="Afficher les résultats").focus()
    page.get_by_label("Question en colonnes").select_option(label="Q1. Comment venez-vous ?")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.locator("#id_par-error")).to_have_text("Choisissez deux questions différentes.")
    expect(page.get_by_label("Question en colonnes")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("link", name="Retirer les filtres").click()


def search_answers(page: Any) -> None:
    page.get_by_role("link", name="Lire et rechercher les 13 réponses — question 9").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réponses libres — Q9. Un commentaire")
    page.get_by_label("Rechercher dans les réponses").fill("piste")
    page.get_by_role("button", name="Filtrer les réponses").click()
    expect(page.locator(".survey-answer")).to_have_count(1)
    expect(page.locator(".survey-answer")).to_contain_text("Une piste cyclable rue Pasteur")
    assert_accessible(page)
    page.get_by_role("link", name="Retour aux résultats").click()


def export_csv(page: Any) -> None:
    page.get_by_role("link", name="Exporter les réponses (CSV, JSON)").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exporter les réponses")
    assert_accessible(page)
    page.get_by_label(re.compile("CSV pour tableur")).check()
    page.get_by_role("button", name="Lancer l'export").click()
    expect(page.get_by_role("status").first).to_contain_text("L'export est lancé.")
    job = page.locator(".survey-export").first
    expect(job.get_by_label("Progression")).to_have_attribute("value", "100")
    expect(job).to_contain_text("13 réponses sur 13")
    assert_accessible(page)
    with page.expect_download() as info:
        job.get_by_role("link", name=re.compile("Télécharger le fichier CSV")).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith(
        "Récépissé;Envoyée le;Territoire du répondant;Saisie par un agent;Q1. Comment venez-vous ?"
    )
    assert len([line for line in lines if line]) == 14
    assert any(";Quartier Nord;" in line for line in lines)


def test_agent_reads_filters_and_downloads_the_results(new_context: Callable[..., Any], server: str) -> None:
    s = answered_questionnaire()
    admin = make_org_admin(email="agent.resultats@example.org")
    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    read_results(page, server, s)
    search_answers(page)
    export_csv(page)


def test_export_progress_updates_with_htmx_and_with_a_button_without_javascript(
    new_context: Callable[..., Any], server: str
) -> None:
    s = answered_questionnaire()
    admin = make_org_admin(email="agent.exports@example.org")
    job = ExportJob.objects.create(
        questionnaire=s.questionnaire, requested_by=admin, format="csv", status="running", total=13, done=3
    )
    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(f"{server}/gestion/m/surveys/{s.questionnaire.module_id}/exports/")
    item = page.locator(f"#export-{job.pk}")
    expect(item).to_contain_text("3 réponses sur 13")
    ExportJob.objects.filter(pk=job.pk).update(done=9)
    expect(item).to_contain_text("9 réponses sur 13", timeout=8000)  # polled every 2 s, no reload
    ExportJob.objects.filter(pk=job.pk).update(done=13, status="failed", error="disque plein")
    expect(item).to_contain_text("L'export a échoué : disque plein", timeout=8000)

    # The same agent, signed in (a TOTP code is accepted once), in a browser that runs no JavaScript.
    nojs_page = new_context(java_script_enabled=False, storage_state=page.context.storage_state()).new_page()
    other = ExportJob.objects.create(
        questionnaire=s.questionnaire, requested_by=admin, format="json", status="running", total=13, done=5
    )
    nojs_page.goto(f"{server}/gestion/m/surveys/{s.questionnaire.module_id}/exports/")
    expect(nojs_page.locator(f"#export-{other.pk}")).to_contain_text("5 réponses sur 13")
    ExportJob.objects.filter(pk=other.pk).update(done=13, status="done", file="exports/surveys/x/reponses.json")
    nojs_page.get_by_role("link", name="Actualiser la progression").click()
    expect(nojs_page.locator(f"#export-{other.pk}")).to_contain_text("13 réponses sur 13")
    expect(nojs_page.get_by_role("link", name=re.compile("Télécharger le fichier JSON"))).to_be_visible()


def test_residents_read_published_results_on_a_phone(new_context: Callable[..., Any], server: str) -> None:
    s = answered_questionnaire()
    module = s.questionnaire.module
    module.settings = {**module.settings, "results_public": True, "results_open_data": True}
    module.save()
    page = new_context(**MOBILE).new_page()
    page.goto(f"{server}/demarches/{module.space.slug}/{module.slug}/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Résultats : Mobilités du quartier")
    expect(page.get_by_role("table", name="Réponses à la question 1")).to_be_visible()
    expect(page.get_by_text("Une piste cyclable rue Pasteur")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    page.get_by_label("Territoire des répondants").select_option(label="Quartier Nord")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Moins de 10 personnes ont répondu dans ce territoire")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Décomptes au format CSV")).click()
    assert Path(info.value.path()).read_bytes().startswith(b"\xef\xbb\xbfquestion;intitule")
