"""Back-office page of a page module: writing its text."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor
from participe.modules.page import services
from participe.modules.page.forms import PageBodyForm
from participe.modules.page.models import PageContent
from participe.spaces.models import Module


@staff_required
@require_http_methods(["GET", "POST"])
def page_edit(request: HttpRequest, module_pk: int) -> HttpResponse:
    """The text of the page in a form; saved by ``services.page_update``, back to the module's back-office page.

    The permission is checked before the form is shown (a GET never reveals what one may not change); the service
    checks it again when saving.
    """
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="page")
    require_perm(request, "page.change_page", module)
    content = PageContent.objects.filter(module=module).first()
    form = PageBodyForm(request.POST or None, initial={"body": content.body if content else ""})
    if request.method == "POST" and form.is_valid():
        services.page_update(actor=actor(request), module=module, body=form.cleaned_data["body"])
        messages.success(request, _("La page a été enregistrée."))
        return redirect("backoffice:module_edit", pk=module.pk)
    return render(request, "page/page_edit.html", {"module": module, "space": module.space, "form": form})
