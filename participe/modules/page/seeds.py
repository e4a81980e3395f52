from participe.modules.page.models import PageContent
from participe.spaces.models import Module


def seed(module: Module, body: str = "") -> None:
    PageContent.objects.update_or_create(
        module=module,
        defaults={"body": body or f"<h2>{module.title}</h2><p>{module.space.summary}</p>"},
    )
