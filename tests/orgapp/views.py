from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from participe.spaces.models import Module
from participe.spaces.urls import module_reverse


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    return render(request, "orgapp/module_page.html", {"module": module})


def item(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = get_object_or_404(Module.objects.select_related("space"), space__slug=slug, slug=module_slug)
    url = module_reverse(module, "item", pk=pk)
    return HttpResponse(f"{slug}/{module_slug}/{pk} {url}")
