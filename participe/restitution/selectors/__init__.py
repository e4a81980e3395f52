"""Reads of the bilans (nothing here writes): ``report`` assembles a bilan, ``figures`` counts, ``contributions``
lists each contribution with its answer, ``sources`` finds the contributions through the modules' manifests."""

from participe.restitution.selectors.report import Report, bilan_of, edition_of, published_syntheses

__all__ = ["Report", "bilan_of", "edition_of", "published_syntheses"]
