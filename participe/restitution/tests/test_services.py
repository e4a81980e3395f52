"""Writing a bilan: the staff save it, publish it (the followers of the démarche are told, once) and withdraw it;
anyone else is refused with the reason and nothing is written; bad input names its field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.activity.models import AuditEntry
from participe.notifications.models import Notification
from participe.notifications.services import follow
from participe.permissions.refusals import Refused
from participe.restitution import services
from participe.restitution.models import Bilan

pytestmark = pytest.mark.django_db


def _save(actor, space, **kwargs):
    values = {"introduction": "<p>Ce que nous avons entendu.</p>", "decisions": "", "sections": ["figures"]}
    return services.bilan_save(actor=actor, space=space, **{**values, **kwargs})


def test_the_staff_save_a_draft_bilan(space, manager):
    bilan = _save(manager, space, sections=["commitments", "figures"], decisions="<p>Planter.</p><script>x</script>")
    assert (bilan.state, bilan.introduction) == ("draft", "<p>Ce que nous avons entendu.</p>")
    assert bilan.sections == ["figures", "commitments"]  # in the page's order
    assert "script" not in bilan.decisions
    assert bilan.changed_by == manager
    assert AuditEntry.objects.filter(action="restitution.bilan_save").count() == 1


def test_a_resident_is_refused_with_the_reason_and_nothing_is_written(space, resident):
    with pytest.raises(Refused) as refused:
        _save(resident, space)
    assert "administrateurs de la démarche" in str(refused.value.reasons[0].message)
    with pytest.raises(Refused):
        services.bilan_publish(actor=resident, space=space)
    assert not Bilan.objects.exists() and not AuditEntry.objects.exists()


def test_bad_input_names_its_field_and_writes_nothing(space, manager, settings):
    settings.PARTICIPE_RICH_TEXT_MAX_LENGTH = 50
    with pytest.raises(ValidationError) as error:
        _save(manager, space, introduction="<p>" + "x" * 60 + "</p>", sections=["figures", "nothing"])
    assert set(error.value.message_dict) == {"introduction", "sections"}
    assert not Bilan.objects.exists()


def test_publishing_tells_the_followers_of_the_demarche_once(space, manager, resident):
    follow(actor=resident, target=space)
    bilan = services.bilan_publish(actor=manager, space=space)
    assert bilan.is_published and bilan.published_by == manager
    told = Notification.objects.filter(event="restitution.bilan_published")
    assert list(told.values_list("recipient", flat=True)) == [resident.pk]
    services.bilan_unpublish(actor=manager, space=space)
    assert not Bilan.objects.get(space=space).is_published
    services.bilan_publish(actor=manager, space=space)  # published again: nobody is told twice
    assert told.count() == 1
    assert AuditEntry.objects.filter(action__startswith="restitution.bilan_").count() == 3


def test_saving_a_published_bilan_keeps_it_published(space, manager):
    services.bilan_publish(actor=manager, space=space)
    assert _save(manager, space).is_published
