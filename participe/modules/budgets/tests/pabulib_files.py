"""The real Pabulib files of shared/data beside the repository (Łódź 2022, Warszawa, Kraków…), when they are there:
the tests that read them are marked ``needs_data`` and skipped otherwise."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb")) if DATA.is_dir() else []
needs_data = pytest.mark.skipif(not FILES, reason="the Pabulib files of shared/data are not here")
