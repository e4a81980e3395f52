"""A resident downloads « Mes données » on a phone (issue #17, decision 0035): asks from their account, sees the
archive being prepared (the worker's part is played by the test, so that the progress is seen), the page follows it
without a reload, the email brings the link, and the ZIP downloaded opens with their proposal and comment in it —
and not their answer to an anonymous questionnaire."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from participe.comments.tests.factories import CommentFactory
from participe.dataright import services
from participe.dataright.models import DataExport
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_accessible, link_in, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "odette.lemoine@example.org"


@pytest.fixture
def resident(db: Any) -> Any:
    user = UserFactory(email=EMAIL, pseudonym="odette-du-13")
    module = ProposalModuleFactory(settings={"location_required": False})
    ProposalFactory(module=module, author=user, title="Des arbres dans la cour", status=Proposal.Status.PUBLISHED)
    CommentFactory(author=user, body="Et des bancs à l'ombre.")
    return user


def test_a_resident_downloads_their_data_on_a_phone(
    new_context: Any, live_server: Any, resident: Any, mailoutbox: list[Any], monkeypatch: Any
) -> None:
    server = str(live_server.url).rstrip("/")
    queued: list[str] = []
    monkeypatch.setattr(services, "_enqueue", lambda export_id: queued.append(str(export_id)))  # the worker waits

    page = new_context(**MOBILE).new_page()
    log_in(page, server, EMAIL)
    page.goto(f"{server}/compte/profil/")
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    assert_accessible(page)

    page.get_by_role("button", name="Télécharger mes données").click()
    expect(page.get_by_role("status").filter(has_text="l'archive se prépare")).to_be_visible()
    request = page.get_by_role("region", name="Votre dernière demande")
    expect(request).to_contain_text("Votre archive se prépare…")
    expect(request.get_by_role("progressbar", name="Avancement")).to_have_attribute("value", "0")
    expect(page.get_by_role("button", name="Télécharger mes données")).to_have_count(0)  # one at a time
    expect(request.get_by_role("link", name="Actualiser la page")).to_be_visible()  # without JavaScript
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    [export_id] = queued
    services.export_build(export_id)  # the worker's turn
    expect(request).to_contain_text("Votre archive est prête.", timeout=10_000)  # htmx polled the state
    expect(request.get_by_role("progressbar", name="Avancement")).to_have_attribute("value", "100")
    assert_accessible(page)

    [email] = mailoutbox
    assert email.to == [EMAIL] and email.subject == "Vos données sont prêtes"
    link = urlsplit(link_in(email.body))  # the site's address (SITE_URL), then the path on it
    assert link.path.startswith("/compte/mes-donnees/telecharger/")
    url = server + link.path
    with page.expect_download() as download_info:
        page.evaluate("url => window.location.assign(url)", url)
    download = download_info.value
    assert re.fullmatch(r"mes-donnees-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert {"LISEZ-MOI.txt", "accounts/compte.csv", "module-proposals/propositions.csv"} <= set(archive.namelist())
    data = json.loads(archive.read("mes-donnees.json"))
    assert data["accounts"]["compte"][0]["pseudonym"] == "odette-du-13"
    assert data["module-proposals"]["propositions"][0]["title"] == "Des arbres dans la cour"
    assert data["comments"]["commentaires"][0]["body"] == "Et des bancs à l'ombre."
    assert DataExport.objects.get(pk=export_id).status == DataExport.Status.READY
