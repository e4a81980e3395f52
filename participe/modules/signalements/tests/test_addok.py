"""The local geocoder: the demo territory's addresses loaded into a real addok (PyPI addok with addok-fr) over a
real Redis, started as deploy/addok/run.sh does, and searched through the platform's BAN client."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from participe.modules.signalements import geocoder
from participe.modules.signalements.seeds import CENTER
from tests.ports import free_port, wait_for

CONF = Path(django_settings.BASE_DIR) / "deploy" / "addok" / "addok.conf"
ADDOK = Path(sys.executable).parent / "addok"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ADDOK.exists(), reason="addok is not installed (requirements/dev.in)"),
]


@pytest.fixture
def addok(tmp_path: Path, redis_server: int) -> Iterator[str]:
    http_port = free_port()
    env = {
        **os.environ,
        "REDIS_PORT": str(redis_server),
        "ADDOK_CONFIG_MODULE": str(CONF),
        "ADDOK_LOG_DIR": str(tmp_path),
    }
    sample = tmp_path / "adresses.ndjson"
    call_command("signalements_addresses", str(sample), stdout=open(os.devnull, "w"))  # noqa: SIM115
    for command in (["batch", str(sample)], ["ngrams"]):
        subprocess.run([str(ADDOK), *command], cwd=tmp_path, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(ADDOK), "serve", "--host", "127.0.0.1", "--port", str(http_port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(http_port)
        yield f"http://127.0.0.1:{http_port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_local_addok_finds_the_demo_territory_s_addresses_and_names_a_pin(addok: str, settings: Any) -> None:
    settings.PARTICIPE_GEOCODER_URL = addok
    found = geocoder.search("12 rue des lilas lumerac")
    assert found and found[0].label == "12 Rue des Lilas 51100 Lumerac"
    assert abs(found[0].lat - CENTER[0]) < 0.02 and abs(found[0].lon - CENTER[1]) < 0.03
    assert geocoder.search("12 ru des lila")[0].label.startswith("12 Rue des Lilas")  # typos: addok-fr's phonetics
    pin = geocoder.reverse(found[0].lat + 0.00001, found[0].lon)
    assert pin is not None and "Rue des Lilas" in pin.label
