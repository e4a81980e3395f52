"""The local geocoder: the demo territory's addresses loaded into a real addok (PyPI addok with addok-fr) over a
real Redis, started as deploy/addok/run.sh does, and searched through the platform's BAN client."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from participe.modules.signalements import geocoder
from participe.modules.signalements.seeds import CENTER

CONF = Path(django_settings.BASE_DIR) / "deploy" / "addok" / "addok.conf"
ADDOK = Path(sys.executable).parent / "addok"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="Debian's redis-server is not installed"),
    pytest.mark.skipif(not ADDOK.exists(), reason="addok is not installed (requirements/dev.in)"),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.fixture
def addok(tmp_path: Path) -> Iterator[str]:
    redis_port, http_port = _port(), _port()
    env = {
        **os.environ,
        "REDIS_PORT": str(redis_port),
        "ADDOK_CONFIG_MODULE": str(CONF),
        "ADDOK_LOG_DIR": str(tmp_path),
    }
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    server = None
    try:
        _wait(redis_port)
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
        _wait(http_port)
        yield f"http://127.0.0.1:{http_port}"
    finally:
        for process in (server, redis):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def test_the_local_addok_finds_the_demo_territory_s_addresses_and_names_a_pin(addok: str, settings: Any) -> None:
    settings.PARTICIPE_GEOCODER_URL = addok
    found = geocoder.search("12 rue des lilas lumerac")
    assert found and found[0].label == "12 Rue des Lilas 51100 Lumerac"
    assert abs(found[0].lat - CENTER[0]) < 0.02 and abs(found[0].lon - CENTER[1]) < 0.03
    assert geocoder.search("12 ru des lila")[0].label.startswith("12 Rue des Lilas")  # typos: addok-fr's phonetics
    pin = geocoder.reverse(found[0].lat + 0.00001, found[0].lon)
    assert pin is not None and "Rue des Lilas" in pin.label
