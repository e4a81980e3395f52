import pytest

from participe.attachments.models import Attachment
from participe.modules.signalements.models import Forward, Forwarding, Report
from participe.modules.signalements.seeds import seed
from participe.spaces.services import organisation_module_enable
from tests.factories import make_org_admin

pytestmark = pytest.mark.django_db


def test_the_demo_shows_one_off_reports_with_photos_and_a_forwarded_category(mailoutbox):
    module = organisation_module_enable(actor=make_org_admin(), module_type="signalements")
    seed(module)
    assert Report.objects.filter(module=module).count() == 60
    one_off = Report.objects.filter(module=module, author=None).values_list("pk", flat=True)
    assert Attachment.objects.filter(object_id__in=list(one_off), uploaded_by=None).exists()
    assert Forwarding.objects.get().category.code == "signalisation"
    assert set(Forward.objects.values_list("state", flat=True)) == {Forward.State.SENT, Forward.State.FAILED}
