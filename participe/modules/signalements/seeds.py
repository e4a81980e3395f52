"""Demo data: filled below."""

from participe.spaces.models import Module


def seed(module: Module) -> None:
    return None
