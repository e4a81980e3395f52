"""Services of the debate module: subjects, their order, publication, deletion and synthesis."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from participe.activity.models import AuditEntry
from participe.modules.debate import services
from participe.modules.debate.models import Subject
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from tests.factories import ModuleFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    """An agent who administers the organisation: the staff write the subjects (``debate.manage_subject``)."""
    return make_agent(pseudonym="agent-participation", is_org_admin=True)


@pytest.fixture
def notify():
    with mock.patch("participe.modules.debate.services.notify") as patched:
        yield patched


@pytest.fixture
def search():
    with (
        mock.patch("participe.modules.debate.services.index_object") as index,
        mock.patch("participe.modules.debate.services.unindex_object") as unindex,
    ):
        yield index, unindex


def png(name: str = "place.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_creates_subjects_as_drafts_one_after_the_other(agent):
    module = DebateModuleFactory()
    first = services.subject_create(
        actor=agent, module=module, data={"title": "Piétonniser la place ?", "body": "<p>Oui</p>"}
    )
    second = services.subject_create(actor=agent, module=module, data={"title": "Planter des arbres ?"})
    assert first.status == Subject.Status.DRAFT and first.author == agent
    assert (first.position, second.position) == (0, 1)
    entry = AuditEntry.objects.get(action="debate.subject_create", target_id=str(first.pk))
    assert entry.actor == agent and entry.after["title"] == "Piétonniser la place ?"


def test_it_refuses_a_subject_in_a_module_that_is_not_a_debate(agent):
    with pytest.raises(ValidationError, match="pas un débat"):
        services.subject_create(actor=agent, module=ModuleFactory(module_type="page"), data={"title": "Une question ?"})


def test_it_refuses_a_subject_without_a_question(agent):
    with pytest.raises(ValidationError) as exc:
        services.subject_create(actor=agent, module=DebateModuleFactory(), data={"title": ""})
    assert "title" in exc.value.error_dict


def test_it_sanitises_the_presentation(agent):
    subject = services.subject_create(
        actor=agent,
        module=DebateModuleFactory(),
        data={"title": "Q ?", "body": '<p onclick="x()">Texte</p><script>x()</script>'},
    )
    subject.refresh_from_db()
    assert "onclick" not in subject.body and "<script" not in subject.body and "Texte" in subject.body


def test_editing_keeps_the_counters_written_meanwhile_by_the_shared_apps(agent, search):
    subject = SubjectFactory()
    # A comment arrives (the comments app updates the counters) while the agent has the form open.
    Subject.objects.filter(pk=subject.pk).update(comments_count=3, comments_favorable_count=2)
    services.subject_edit(actor=agent, subject=subject, data={"title": "Nouvelle formulation ?", "summary": "Résumé"})
    subject.refresh_from_db()
    assert subject.title == "Nouvelle formulation ?"
    assert (subject.comments_count, subject.comments_favorable_count) == (3, 2)
    entry = AuditEntry.objects.get(action="debate.subject_edit")
    assert entry.before["title"] != entry.after["title"]
    search[0].assert_called_once()  # a published subject is re-indexed


def test_replacing_the_image_deletes_the_old_file_after_commit(agent, django_capture_on_commit_callbacks):
    subject = SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        subject = services.subject_edit(
            actor=agent, subject=subject, data={"image": png("avant.png"), "image_alt": "La place"}
        )
    old = subject.image.name
    storage = subject.image.storage
    assert storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        subject = services.subject_edit(actor=agent, subject=subject, data={"image": png("apres.png")})
    assert storage.exists(subject.image.name) and not storage.exists(old)


def test_publishing_indexes_and_tells_the_followers_once(agent, notify, search, django_capture_on_commit_callbacks):
    subject = SubjectFactory(status=Subject.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.subject_publish(actor=agent, subject=subject)
    assert len(callbacks) == 1
    subject.refresh_from_db()
    assert subject.is_published and subject.published_at is not None
    search[0].assert_called_once_with(mock.ANY)
    notify.assert_called_once_with(event="debate.subject_published", target=mock.ANY, actor=agent)
    with pytest.raises(ValidationError, match="déjà publié"):
        services.subject_publish(actor=agent, subject=subject)
    services.subject_unpublish(actor=agent, subject=subject)
    search[1].assert_called()  # a draft leaves the index
    with django_capture_on_commit_callbacks(execute=True):
        services.subject_publish(actor=agent, subject=subject)
    assert notify.call_count == 1  # the second publication tells nobody again
    assert AuditEntry.objects.filter(action__startswith="debate.subject_").count() == 3


def test_it_moves_subjects_up_and_down(agent):
    module = DebateModuleFactory()
    a, _b, c = (SubjectFactory(module=module, position=p, title=t) for p, t in ((0, "A"), (5, "B"), (9, "C")))
    services.subject_move(actor=agent, subject=c, offset=-1)
    assert list(Subject.objects.filter(module=module).values_list("title", flat=True)) == ["A", "C", "B"]
    assert list(Subject.objects.filter(module=module).values_list("position", flat=True)) == [0, 1, 2]
    with pytest.raises(ValidationError, match="première ou en dernière"):
        services.subject_move(actor=agent, subject=a, offset=-1)
    with pytest.raises(ValidationError):
        services.subject_move(actor=agent, subject=a, offset=3)
    assert AuditEntry.objects.filter(action="debate.subject_move").count() == 1


def test_deleting_a_subject_clears_what_the_shared_apps_hold(agent):
    from participe.comments.models import Comment
    from participe.comments.services import comment_create
    from participe.notifications.models import Follow
    from participe.search.models import SearchEntry
    from tests.factories import UserFactory

    subject = SubjectFactory()
    SubjectFactory(module=subject.module)  # a neighbour, which keeps its rows
    resident = UserFactory()
    comment_create(actor=resident, target=subject, body="Plutôt pour.", stance="favorable")
    assert Comment.objects.count() == 1 and Follow.objects.filter(user=resident).exists()

    services.subject_delete(actor=agent, subject=subject)
    assert not Subject.objects.filter(pk=subject.pk).exists()
    assert not Comment.objects.exists()
    assert not Follow.objects.filter(user=resident).exists()
    assert not SearchEntry.objects.filter(object_id=subject.pk, module=subject.module).exists()
    entry = AuditEntry.objects.get(action="debate.subject_delete")
    assert entry.before["title"] == subject.title


def test_the_synthesis_is_written_then_published_to_the_followers(
    agent, notify, search, django_capture_on_commit_callbacks
):
    subject = SubjectFactory()
    services.synthesis_edit(actor=agent, subject=subject, synthesis="<p>Brouillon</p>")
    subject.refresh_from_db()
    assert subject.synthesis == "<p>Brouillon</p>" and not subject.synthesis_is_published
    assert subject.published_synthesis == ""  # search does not see a draft synthesis
    with django_capture_on_commit_callbacks(execute=True):
        services.synthesis_publish(actor=agent, subject=subject, synthesis="<p>Une majorité est favorable.</p>")
    subject.refresh_from_db()
    assert subject.synthesis_is_published and subject.published_synthesis == "<p>Une majorité est favorable.</p>"
    notify.assert_called_once_with(event="debate.synthesis_published", target=mock.ANY, actor=agent)
    assert notify.call_args.kwargs["target"].pk == subject.pk
    with pytest.raises(ValidationError, match="déjà publiée"):
        services.synthesis_publish(actor=agent, subject=subject)
    with pytest.raises(ValidationError) as exc:
        services.synthesis_edit(actor=agent, subject=subject, synthesis="<p> </p>")
    assert "synthesis" in exc.value.error_dict
    services.synthesis_unpublish(actor=agent, subject=subject)
    subject.refresh_from_db()
    assert not subject.synthesis_is_published and subject.synthesis  # the text is kept
    actions = set(AuditEntry.objects.filter(target_id=str(subject.pk)).values_list("action", flat=True))
    assert {"debate.synthesis_edit", "debate.synthesis_publish", "debate.synthesis_unpublish"} <= actions


def test_a_synthesis_needs_a_published_subject_and_a_text(agent, notify, django_capture_on_commit_callbacks):
    draft = SubjectFactory(status=Subject.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError, match="Publiez d'abord le sujet"):
        services.synthesis_publish(actor=agent, subject=draft, synthesis="<p>Texte</p>")
    draft.refresh_from_db()
    assert draft.synthesis == ""  # nothing half-done
    with pytest.raises(ValidationError) as exc, django_capture_on_commit_callbacks(execute=True):
        services.synthesis_publish(actor=agent, subject=SubjectFactory(), synthesis="<p></p>")
    assert "synthesis" in exc.value.error_dict
    notify.assert_not_called()
    with pytest.raises(ValidationError, match="n'est pas publiée"):
        services.synthesis_unpublish(actor=agent, subject=SubjectFactory())
