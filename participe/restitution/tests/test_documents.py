"""The bilan's PDF and DOCX built by the worker (decision 0042): the first request enqueues one build for all the
requests that find it missing and says it is being prepared; once built, the same file is served to everyone who
would be shown the same; a change builds it again; a members-only démarche's document is built and served only for
its members, as they see it, from a private file; a failed build says so and may be asked again."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse
from django_tasks import default_task_backend

from participe.core.media import public_media
from participe.restitution import services
from participe.restitution.documents import builds
from participe.restitution.models import Bilan, BilanDocument
from participe.restitution.selectors import bilan_of
from participe.restitution.tests.test_views import pdf_metadata
from participe.spaces.models import Space, SpaceMembership
from tests.factories import ItemFactory, UserFactory
from tests.tasks import run_queued

pytestmark = pytest.mark.django_db


def _publish(space: Space, manager: Any, introduction: str = "<p>Ce que nous avons entendu.</p>") -> None:
    services.bilan_save(
        actor=manager, space=space, introduction=introduction, decisions="", sections=Bilan.Section.values
    )
    services.bilan_publish(actor=manager, space=space)
    results = getattr(default_task_backend, "results", None)
    if results is not None:  # queued: the followers told of the publication are not what these tests follow
        results[:] = [r for r in results if not r.task.module_path.endswith(".notify_followers")]


def _pdf_url(space: Space) -> str:
    return reverse("restitution:bilan_pdf", args=[space.slug])


def _text(response: Any) -> str:
    return response.content.decode()


def _ask(client: Any, url: str) -> Any:
    """The POST that asks for the document (a GET never writes); the build is enqueued once it commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url)


def test_a_visitor_waits_for_the_build_then_gets_the_file(client, space, item, manager, queued):
    _publish(space, manager)
    page = client.get(_pdf_url(space))  # a GET writes nothing: its form asks for the document (htmx: on load)
    assert page.status_code == 200 and "Préparer le document" in _text(page) and queued == []
    assert 'hx-trigger="load, submit"' in _text(page) and "hx-get" not in _text(page)
    asked = _ask(client, _pdf_url(space))
    assert (asked.status_code, asked["Location"]) == (302, _pdf_url(space))
    waiting = client.get(_pdf_url(space))
    assert waiting.status_code == 202 and "Le document se prépare" in _text(waiting)
    assert 'hx-trigger="every 2s"' in _text(waiting) and "Actualiser" in _text(waiting)  # htmx, or a link
    # Several requests (a double click, other visitors) before the worker runs: one build for them all.
    assert _ask(client, _pdf_url(space)).status_code == 302
    assert _ask(Client(), _pdf_url(space)).status_code == 302
    assert Client().get(_pdf_url(space)).status_code == 202
    assert len(queued) == 1
    assert run_queued(queued) == ["ready"]
    response = client.get(_pdf_url(space))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    assert content.startswith(b"%PDF") and f"Bilan : {space.title}" in pdf_metadata(content)
    assert response["Content-Disposition"].startswith('attachment; filename="bilan-place-')


def test_htmx_polls_the_state_until_the_document_is_ready(client, space, item, manager, queued):
    _publish(space, manager)
    first = client.get(_pdf_url(space), headers={"HX-Request": "true"})
    assert first.status_code == 200 and "hx-post" in _text(first) and queued == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        polled = client.post(_pdf_url(space), headers={"HX-Request": "true"})  # htmx: the fragment, no redirect
    assert polled.status_code == 202 and _text(polled).startswith('<section id="bilan-document"')
    assert "hx-get" in _text(polled) and "HX-Request" in polled["Vary"]
    run_queued(queued)
    ready = client.get(_pdf_url(space), headers={"HX-Request": "true"})
    assert ready.status_code == 200 and "Le document est prêt." in _text(ready)
    assert "hx-get" not in _text(ready) and f'href="{_pdf_url(space)}"' in _text(ready)


def test_the_same_file_is_served_to_several_requests_without_building_it_again(client, space, item, manager, queued):
    _publish(space, manager)
    _ask(client, _pdf_url(space))
    run_queued(queued)
    first = client.get(_pdf_url(space)).getvalue()
    for other in (client, Client(), Client()):
        assert other.get(_pdf_url(space)).getvalue() == first
    assert queued == [] and BilanDocument.objects.count() == 1


def test_a_change_of_the_bilan_builds_it_again(client, space, module, item, manager, queued):
    _publish(space, manager)
    _ask(client, _pdf_url(space))
    run_queued(queued)
    before = BilanDocument.objects.get()
    # An edit of the agents: the next request waits for a new build (the old file is never served for it).
    services.bilan_save(actor=manager, space=space, introduction="<p>Une autre introduction.</p>", decisions="",
                        sections=Bilan.Section.values)  # fmt: skip
    assert client.get(_pdf_url(space)).status_code == 200 and queued == []  # asked for again, not the old file
    _ask(client, _pdf_url(space))
    assert client.get(_pdf_url(space)).status_code == 202
    assert run_queued(queued) == ["ready"]
    assert client.get(_pdf_url(space)).status_code == 200
    # A new contribution too.
    ItemFactory(module=module, title="Une fontaine à boire", author=UserFactory())
    _ask(client, _pdf_url(space))
    assert client.get(_pdf_url(space)).status_code == 202
    run_queued(queued)
    assert client.get(_pdf_url(space)).status_code == 200
    assert BilanDocument.objects.count() == 3 and BilanDocument.objects.filter(pk=before.pk).exists()


def test_old_documents_go_with_their_files(space, item, manager, settings):
    _publish(space, manager)
    reader = builds.Reader(None, True, "fr", "http://testserver/")
    for n in range(builds.KEEP + 2):
        services.bilan_save(actor=manager, space=space, introduction=f"<p>Version {n}.</p>", decisions="",
                            sections=["figures"])  # fmt: skip
        rendered = builds.rendering("pdf", bilan_of(space, reader.user()), reader)
        builds._keep(space, rendered, b"%PDF-" + str(n).encode())
    kept = BilanDocument.objects.filter(space=space)
    assert kept.count() == builds.KEEP
    files = list((settings.MEDIA_ROOT / "exports" / "bilans").iterdir())
    assert sorted(f.name for f in files) == sorted(f"{d.pk}.pdf" for d in kept)


def test_a_members_only_demarche_s_document_is_its_members_only(client, space, module, manager, queued):
    Space.objects.filter(pk=space.pk).update(visibility=Space.Visibility.PRIVATE)
    space.refresh_from_db()
    ItemFactory(module=module, title="Une idée entre membres", author=UserFactory())
    _publish(space, manager)
    member = UserFactory()
    SpaceMembership.objects.create(space=space, user=member, role=SpaceMembership.Role.MEMBER)

    # A visitor is asked to sign in, a resident who is not a member is told why; neither starts a build.
    visitor = client.get(_pdf_url(space))
    assert visitor.status_code == 302 and reverse("account_login") in visitor["Location"]
    outsider = Client()
    outsider.force_login(UserFactory())
    refused = outsider.get(_pdf_url(space))
    assert refused.status_code == 403 and "Cette démarche est réservée à ses membres" in _text(refused)
    assert outsider.post(_pdf_url(space)).status_code == 403
    assert queued == []

    # The member waits for the build, which renders what they see, then gets it.
    insider = Client()
    insider.force_login(member)
    assert insider.get(_pdf_url(space)).status_code == 200 and queued == []
    _ask(insider, _pdf_url(space))
    assert insider.get(_pdf_url(space)).status_code == 202
    assert run_queued(queued) == ["ready"]
    response = insider.get(_pdf_url(space))
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-cache"

    # The file is private: under exports/, which the media server refuses; the visitor still gets nothing.
    document = BilanDocument.objects.get()
    assert document.file.name.startswith("exports/bilans/")
    with pytest.raises(Http404):
        public_media(RequestFactory().get("/"), document.file.name)
    assert client.get(_pdf_url(space)).status_code == 302
    assert outsider.get(_pdf_url(space)).status_code == 403


def test_the_worker_renders_with_the_roles_the_reader_s_session_had(space, item, manager):
    # A draft bilan: its administrator sees it once their session passed the second factor; the worker building for
    # a session that had not (``roles=False``) renders as a resident, who may not see it: nothing is built.
    reader = builds.Reader(manager.pk, True, "fr", "http://testserver/")
    rendered = builds.rendering("pdf", bilan_of(space, manager), reader)
    assert builds.build(space.pk, "pdf", rendered.fingerprint, reader) == "ready"
    without = builds.Reader(manager.pk, False, "fr", "http://testserver/")
    assert builds.build(space.pk, "pdf", "0" * 64, without) == "refused"
    assert BilanDocument.objects.filter(status=BilanDocument.Status.READY).count() == 1


def test_a_staff_session_without_the_second_factor_gets_the_residents_view(client, space, item, manager, queued):
    from tests.sessions import sign_in_without_second_factor

    sign_in_without_second_factor(client, manager)
    assert client.get(_pdf_url(space)).status_code == 404  # a draft: not theirs without the second factor
    _publish(space, manager)
    _ask(client, _pdf_url(space))
    assert client.get(_pdf_url(space)).status_code == 202
    assert run_queued(queued) == ["ready"]  # the worker rendered what the request saw (not « changed »)
    assert client.get(_pdf_url(space)).status_code == 200


def test_a_failed_build_says_so_and_may_be_asked_again(
    client, space, item, manager, queued, monkeypatch, django_capture_on_commit_callbacks
):
    _publish(space, manager)
    _ask(client, _pdf_url(space))

    def broken(html: str, *, base_url: str) -> bytes:
        raise RuntimeError("WeasyPrint is out of memory")

    monkeypatch.setattr(builds.pdf, "pdf_of", broken)
    assert run_queued(queued) == ["failed"]
    failed = client.get(_pdf_url(space))
    assert failed.status_code == 200 and "La préparation du document a échoué." in _text(failed)
    assert "WeasyPrint is out of memory" not in _text(failed)  # the detail is the staff's
    assert "Relancer la préparation" in _text(failed) and queued == []  # no build again by itself
    staff = Client()
    staff.force_login(manager)
    assert "WeasyPrint is out of memory" in _text(staff.get(_pdf_url(space)))

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(_pdf_url(space))
    assert (asked.status_code, asked["Location"]) == (302, _pdf_url(space))
    assert len(queued) == 1 and not BilanDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_pdf_url(space)).status_code == 302
    assert len(queued) == 1  # asked again at once: the build enqueued is awaited
    assert run_queued(queued) == ["ready"]
    assert client.get(_pdf_url(space)).getvalue().startswith(b"%PDF")


def test_the_docx_is_built_by_the_worker_for_the_staff(client, space, item, manager, resident, queued):
    from docx import Document

    client.force_login(manager)
    url = reverse("restitution_backoffice:docx", args=[space.slug])
    assert client.get(url).status_code == 200 and queued == []
    _ask(client, url)
    assert client.get(url).status_code == 202
    assert run_queued(queued) == ["ready"]
    response = client.get(url)
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.getvalue()))
    assert document.core_properties.title == f"Bilan : {space.title}"
    other = Client()
    other.force_login(resident)
    assert other.get(url).status_code == 403
    assert other.post(url).status_code == 403
