"""The commitments' services: who may write, what is checked, what is notified."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from participe.attachments.models import Attachment
from participe.commitments import services
from participe.commitments.models import Commitment, CommitmentSource, CommitmentUpdate
from participe.commitments.tests.factories import CommitmentFactory
from participe.core.registry import registry
from participe.notifications.models import Notification
from participe.notifications.services import follow
from participe.permissions.refusals import Refused

pytestmark = pytest.mark.django_db


def _png(name: str = "chantier.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_creates_a_commitment_answering_an_item(manager, space, item, service):
    commitment = services.commitment_create(
        manager,
        space=space,
        source=item,
        title="Planter vingt arbres",
        service=service,
        planned_date=datetime.date(2027, 3, 1),
        budget="45 000,50",
    )
    assert commitment.budget == 45000.50 and commitment.service == service
    assert CommitmentSource.objects.filter(commitment=commitment, object_id=item.pk).exists()
    assert commitment.followers_count == 1  # its author follows it


def test_a_resident_may_not_create_one(resident, space):
    with pytest.raises(Refused):
        services.commitment_create(resident, space=space, title="Rien")
    assert not Commitment.objects.exists()


def test_bad_input_names_every_field_and_writes_nothing(manager, space):
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(manager, space=space, title=" ", budget="beaucoup", progress=120)
    assert {"title", "budget"} <= set(exc.value.message_dict)
    assert not Commitment.objects.exists()


def test_abandoning_needs_a_reason(manager, space):
    commitment = CommitmentFactory(space=space)
    with pytest.raises(ValidationError) as exc:
        services.commitment_set_status(manager, commitment, status="abandoned")
    assert "status_reason" in exc.value.message_dict
    services.commitment_set_status(manager, commitment, status="abandoned", reason="Le sol ne s'y prête pas.")
    commitment.refresh_from_db()
    assert commitment.status == "abandoned" and commitment.status_reason == "Le sol ne s'y prête pas."
    assert commitment.updates.get().text == "Le sol ne s'y prête pas."


def test_done_means_full_progress(manager, space):
    commitment = CommitmentFactory(space=space, progress=40)
    services.commitment_set_status(manager, commitment, status="done")
    assert commitment.progress == 100 and commitment.done_on == timezone.localdate()


def test_the_agent_of_the_service_in_charge_adds_a_step_and_followers_hear_of_it(agent, service, space, resident):
    commitment = CommitmentFactory(space=space, service=service)
    follow(actor=resident, target=commitment)
    update = services.commitment_update_add(
        agent, commitment, text="Les fosses sont creusées.", progress=50, photos=[(_png(), "Les fosses")]
    )
    commitment.refresh_from_db()
    assert commitment.progress == 50 and commitment.updates_count == 1
    assert Attachment.objects.filter(object_id=update.pk).count() == 1
    notification = Notification.objects.get(recipient=resident)
    assert notification.event == "commitments.update" and notification.object_id == commitment.pk


def test_followers_of_the_space_hear_of_status_changes(manager, space, resident):
    commitment = CommitmentFactory(space=space)
    follow(actor=resident, target=space)
    services.commitment_set_status(manager, commitment, status="works", progress=60)
    assert Notification.objects.get(recipient=resident).event == "commitments.status"


def test_an_agent_of_another_service_may_not_add_a_step(agent, space):
    commitment = CommitmentFactory(space=space)
    with pytest.raises(Refused) as exc:
        services.commitment_update_add(agent, commitment, text="Rien")
    assert "not_carrier" in exc.value.codes
    assert not CommitmentUpdate.objects.exists()


def test_a_refused_photo_writes_nothing(manager, space):
    commitment = CommitmentFactory(space=space)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.commitment_update_add(manager, commitment, text="Photo", photos=[(bad, "x")])
    assert "photo" in exc.value.message_dict
    assert not CommitmentUpdate.objects.exists()
    commitment.refresh_from_db()
    assert commitment.updates_count == 0


def test_a_step_in_the_future_is_refused(manager, space):
    commitment = CommitmentFactory(space=space)
    with pytest.raises(ValidationError):
        services.commitment_update_add(
            manager, commitment, text="Demain", date=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_deleting_an_item_forgets_it_as_a_source(manager, space, item):
    commitment = services.commitment_create(manager, space=space, source=item, title="Planter")
    registry.delete_shared(item)
    assert not commitment.sources.exists()


def test_the_reference_is_unique(manager, space):
    services.commitment_create(manager, space=space, title="A", reference="PPI-12")
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(manager, space=space, title="B", reference="PPI-12")
    assert "reference" in exc.value.message_dict


def test_overdue(space):
    past = timezone.localdate() - datetime.timedelta(days=1)
    assert CommitmentFactory(space=space, planned_date=past).is_overdue
    assert not CommitmentFactory(space=space, planned_date=past, status="done").is_overdue
