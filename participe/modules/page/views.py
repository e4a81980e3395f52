from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from participe.backoffice.decorators import staff_required
from participe.modules.page.forms import PageBodyForm
from participe.modules.page.models import PageContent
from participe.modules.page.services import page_update
from participe.spaces.models import Module


def page_detail(request: HttpRequest, module: Module) -> HttpResponse:
    content = PageContent.objects.filter(module=module).first()
    return render(
        request,
        "page/page_detail.html",
        {"module": module, "space": module.space, "content": content, "phase": module.current_phase()},
    )


@staff_required
def page_edit(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_pk, module_type="page")
    if not request.user.has_perm("spaces.change_space", module.space):
        raise PermissionDenied
    content = PageContent.objects.filter(module=module).first()
    form = PageBodyForm(request.POST or None, initial={"body": content.body if content else ""})
    if request.method == "POST" and form.is_valid():
        page_update(actor=request.user, module=module, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        messages.success(request, _("La page a été enregistrée."))
        return redirect("backoffice:module_edit", pk=module.pk)
    return render(request, "page/page_edit.html", {"module": module, "space": module.space, "form": form})
