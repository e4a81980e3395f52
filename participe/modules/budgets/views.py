from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participe.spaces.models import Module


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The module's page (the platform checked that the visitor may see the module)."""
    return render(request, "budgets/module_page.html", {"module": module, "space": module.space})
