"""Adding, reordering and removing attachments: permissions, limits, storage, audit."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from participe.activity.models import AuditEntry
from participe.attachments import selectors, services
from participe.attachments.models import Attachment
from participe.attachments.tests.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from participe.spaces.models import SpaceMembership
from tests.factories import ItemFactory, ModuleFactory, PhaseFactory, UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return ItemFactory()


def add_photo(item, actor=None, **kwargs):
    return services.attachment_add(
        actor=actor or item.author,
        target=item,
        uploaded_file=upload("IMG_0042.jpg", jpeg_bytes(), "image/jpeg"),
        title=kwargs.pop("title", "Le banc cassé près de l'école"),
        **kwargs,
    )


def add_pdf(item, actor=None, name="Compte rendu.pdf", title=""):
    return services.attachment_add(
        actor=actor or item.author, target=item, uploaded_file=upload(name, pdf_bytes()), title=title
    )


def test_the_author_adds_a_photo_stored_without_exif_under_a_random_name_with_a_thumbnail(item):
    attachment = add_photo(item)
    assert attachment.kind == Attachment.Kind.IMAGE
    assert attachment.mime_type == "image/jpeg"
    assert attachment.module == item.module
    assert (attachment.width, attachment.height) == (600, 800)
    assert attachment.original_name == "IMG_0042.jpg"
    assert attachment.uploaded_by == item.author
    assert "IMG_0042" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/") and attachment.file.name.endswith(".jpg")
    assert default_storage.exists(attachment.file.name)
    assert default_storage.exists(attachment.thumbnail.name)
    with default_storage.open(attachment.file.name) as stored:
        content = stored.read()
    assert b"Exif" not in content
    image = Image.open(io.BytesIO(content))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}  # no GPS
    assert attachment.size == len(content)
    entry = AuditEntry.objects.get(action="attachment.add")
    assert entry.actor == item.author
    assert entry.target_repr == item.title
    assert entry.after["original_name"] == "IMG_0042.jpg"


def test_a_document_keeps_its_bytes_and_title(item):
    attachment = add_pdf(item, title="Compte rendu de la réunion")
    assert attachment.kind == Attachment.Kind.DOCUMENT
    assert attachment.mime_type == "application/pdf"
    assert not attachment.thumbnail
    with default_storage.open(attachment.file.name) as stored:
        assert stored.read() == pdf_bytes()
    assert attachment.file.name.endswith(".pdf")


def test_an_image_needs_a_text_alternative(item):
    with pytest.raises(ValidationError) as exc:
        add_photo(item, title="   ")
    assert "texte alternatif" in exc.value.message_dict["title"][0]
    assert not Attachment.objects.exists()


def test_a_refused_file_is_reported_on_the_file_field(item):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=item.author, target=item, uploaded_file=upload("rapport.pdf", png_bytes()), title="Rapport"
        )
    assert "ne correspond pas" in exc.value.message_dict["file"][0]


def stored_files(settings) -> list[str]:
    return [f for _root, _dirs, names in os.walk(settings.MEDIA_ROOT) for f in names]


def test_the_number_of_attachments_per_item_is_limited(item, settings):
    settings.PARTICIPE_MAX_ATTACHMENTS_PER_ITEM = 2
    add_pdf(item)
    add_pdf(item)
    with pytest.raises(ValidationError) as exc:
        add_pdf(item)
    assert exc.value.message_dict["file"] == ["Cet élément a déjà 2 pièces jointes : retirez-en une d'abord."]
    assert Attachment.objects.count() == 2
    assert len(stored_files(settings)) == 2  # the refused file was never written


def test_only_the_author_or_the_staff_of_the_space_may_add(item):
    with pytest.raises(PermissionDenied):
        add_pdf(item, actor=UserFactory())
    moderator = make_space_role(item.module.space, SpaceMembership.Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        add_pdf(item, actor=moderator)
    add_pdf(item, actor=make_space_role(item.module.space, SpaceMembership.Role.ADMIN))
    add_pdf(item, actor=make_org_admin())
    assert Attachment.objects.count() == 2


def test_the_author_may_not_add_once_the_phase_no_longer_allows_submitting():
    module = ModuleFactory(module_type="testmodule")
    PhaseFactory(module=module, phase_type="information")
    item = ItemFactory(module=module)
    with pytest.raises(PermissionDenied):
        add_pdf(item)


def test_a_blocked_author_may_not_add(item):
    from django.utils import timezone

    item.author.blocked_at = timezone.now()
    item.author.save()
    with pytest.raises(PermissionDenied):
        add_pdf(item)


def test_a_model_not_declared_with_attachments_is_refused():
    module = ModuleFactory()
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=make_org_admin(), target=module, uploaded_file=upload("a.pdf", pdf_bytes()))


def test_removing_deletes_the_files_after_commit(item, django_capture_on_commit_callbacks):
    attachment = add_photo(item)
    names = [attachment.file.name, attachment.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=item.author, attachment=attachment, reason="doublon")
    assert not Attachment.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    entry = AuditEntry.objects.get(action="attachment.remove")
    assert entry.reason == "doublon"
    assert entry.before["title"] == "Le banc cassé près de l'école"


def test_a_moderator_may_remove_but_a_stranger_may_not(item, django_capture_on_commit_callbacks):
    attachment = add_pdf(item)
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=UserFactory(), attachment=attachment)
    moderator = make_space_role(item.module.space, SpaceMembership.Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=moderator, attachment=attachment)
    assert not Attachment.objects.exists()


def test_moving_reorders_among_attachments_of_the_same_kind(item):
    first, second, third = add_pdf(item, title="A"), add_pdf(item, title="B"), add_pdf(item, title="C")
    services.attachment_move(actor=item.author, attachment=third, direction="up")
    assert [a.title for a in selectors.attachments_of(item)] == ["A", "C", "B"]
    services.attachment_move(actor=item.author, attachment=first, direction="down")
    assert [a.title for a in selectors.attachments_of(item)] == ["C", "A", "B"]
    services.attachment_move(actor=item.author, attachment=second, direction="down")  # already last
    assert [a.title for a in selectors.attachments_of(item)] == ["C", "A", "B"]
    with pytest.raises(ValidationError):
        services.attachment_move(actor=item.author, attachment=first, direction="sideways")
    with pytest.raises(PermissionDenied):
        services.attachment_move(actor=UserFactory(), attachment=first, direction="up")
    assert AuditEntry.objects.filter(action="attachment.move").count() == 2


def test_delete_for_removes_rows_and_files_of_one_target_only(item, django_capture_on_commit_callbacks):
    other = ItemFactory()
    photo, kept = add_photo(item), add_pdf(other)
    add_pdf(item)
    names = [photo.file.name, photo.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_for(item) == 2
    assert list(Attachment.objects.all()) == [kept]
    assert not any(default_storage.exists(name) for name in names)
    assert default_storage.exists(kept.file.name)


def test_attachments_by_target_groups_in_one_query(item, django_assert_num_queries):
    other = ItemFactory()
    add_pdf(item), add_pdf(other), add_pdf(other)
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(item)
    with django_assert_num_queries(1):
        grouped = selectors.attachments_by_target([item, other])
    assert len(grouped[(content_type.pk, item.pk)]) == 1
    assert len(grouped[(content_type.pk, other.pk)]) == 2
