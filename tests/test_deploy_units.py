"""The systemd units of a supervised deployment (deploy/systemd/, docs/deployment.md) say what they must: gunicorn's
master stops its workers and no orphan survives it (KillMode=mixed), the long-running units come back after a crash,
every scheduled command of the deployment guide has its timer, and each ExecStart runs a command this project has,
with arguments it accepts. Where ``systemd-analyze`` exists, it verifies the units too (issue #19, finding 10)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALL = "/srv/participe"
ENVIRONMENT_FILE = "/etc/participe/participe.env"
LONG_RUNNING = ("participe-web.service", "participe-worker.service")


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and their keys (a key may repeat, as systemd allows); a line outside a section, or
    without "=", fails the test."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], defaultdict(list))
            continue
        assert current is not None, f"{path.name}:{number}: a key outside any section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}:{number}: not a key=value line: {raw!r}"
        current[key.strip()].append(value.strip())
    return sections


def units(suffix: str) -> dict[str, dict[str, dict[str, list[str]]]]:
    return {path.name: parse(path) for path in sorted(UNITS.glob(f"*.{suffix}"))}


def one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    values = unit.get(section, {}).get(key, [])
    assert len(values) == 1, f"[{section}] {key}: expected one value, found {values}"
    return values[0]


def test_the_units_are_there():
    assert set(units("service")) >= {*LONG_RUNNING, "participe-phases.service"}
    assert "participe-web.socket" in units("socket")
    assert (UNITS / "participe.env.example").exists()


@pytest.mark.parametrize("name", sorted(p.name for p in UNITS.glob("*.service")))
def test_every_service_runs_as_the_application_with_its_environment(name):
    unit = units("service")[name]
    assert one(unit, "Unit", "Description").startswith("Participe: ")
    assert one(unit, "Service", "User") == "participe"
    assert one(unit, "Service", "WorkingDirectory") == INSTALL
    assert one(unit, "Service", "EnvironmentFile") == ENVIRONMENT_FILE
    assert one(unit, "Service", "ProtectSystem") == "strict"
    assert one(unit, "Service", "ReadWritePaths") == f"{INSTALL}/var"
    command = shlex.split(one(unit, "Service", "ExecStart"))
    assert command[0].startswith(f"{INSTALL}/.venv/bin/"), command


@pytest.mark.parametrize("name", sorted(p.name for p in UNITS.glob("*.service")))
def test_every_management_command_exists_and_accepts_its_arguments(name, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's queue (db_worker's)
    command = shlex.split(one(units("service")[name], "Service", "ExecStart"))
    if Path(command[0]).name != "python":
        return
    assert command[1] == "manage.py", command
    known = get_commands()
    assert command[2] in known, f"{name}: no management command {command[2]!r}"
    parser = load_command_class(known[command[2]], command[2]).create_parser("manage.py", command[2])
    parser.parse_args(command[3:])  # exits (SystemExit) on an argument the command does not take


def test_gunicorn_stops_its_workers_and_leaves_no_orphan():
    web = units("service")["participe-web.service"]
    assert one(web, "Service", "Type") == "notify"  # gunicorn tells systemd when it is ready
    assert one(web, "Service", "KillMode") == "mixed"
    assert one(web, "Service", "Restart") == "on-failure"
    assert one(web, "Service", "ExecReload") == "/bin/kill -s HUP $MAINPID"
    command = shlex.split(one(web, "Service", "ExecStart"))
    assert command[:2] == [f"{INSTALL}/.venv/bin/gunicorn", "participe.wsgi"]
    assert (ROOT / "participe" / "wsgi.py").exists()
    assert not any(arg.startswith(("--bind", "-b")) for arg in command)  # the socket unit hands it the socket
    assert one(web, "Unit", "Requires") == "participe-web.socket"
    graceful = int(command[command.index("--graceful-timeout") + 1])
    assert graceful < int(one(web, "Service", "TimeoutStopSec"))  # the master finishes before systemd kills it
    socket = units("socket")["participe-web.socket"]
    assert one(socket, "Socket", "ListenStream").startswith("/run/participe/")
    assert one(socket, "Install", "WantedBy") == "sockets.target"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_the_long_running_units_come_back_after_a_crash(name):
    unit = units("service")[name]
    assert one(unit, "Service", "KillMode") == "mixed"
    assert one(unit, "Service", "Restart") == "on-failure"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_the_task_worker_runs_db_worker():
    worker = units("service")["participe-worker.service"]
    assert shlex.split(one(worker, "Service", "ExecStart"))[1:] == ["manage.py", "db_worker"]


def test_every_timer_starts_a_one_shot_service_and_every_one_shot_has_its_timer():
    services, timers = units("service"), units("timer")
    started = set()
    for name, timer in timers.items():
        target = one(timer, "Timer", "Unit")
        assert target == name.replace(".timer", ".service"), name
        assert one(services[target], "Service", "Type") == "oneshot"
        assert one(timer, "Timer", "OnCalendar")
        assert one(timer, "Install", "WantedBy") == "timers.target"
        started.add(target)
    one_shots = {name for name, unit in services.items() if one(unit, "Service", "Type") == "oneshot"}
    assert one_shots == started


def scheduled_commands() -> set[str]:
    """``manage.py …`` of the deployment guide's table of scheduled commands ("(and `weekly`)" spelled out)."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    table = text.split("Scheduled commands", 1)[1].split("\n\n", 2)[1]
    found = set()
    for command, extra in re.findall(r"^\| `manage\.py ([^`]+)`(?: \(and `(\w+)`\))?", table, re.M):
        found.add(command)
        if extra:
            found.add(re.sub(r"\w+$", extra, command))
    return found


def test_every_scheduled_command_of_the_guide_has_its_timer():
    run = set()
    for name in units("timer"):
        command = shlex.split(one(units("service")[name.replace(".timer", ".service")], "Service", "ExecStart"))
        run.add(" ".join(command[2:]))
    wanted = scheduled_commands()
    assert {"phases_advance", "send_notification_digests --frequency daily"} <= wanted
    assert wanted <= run
    assert one(units("timer")["participe-phases.timer"], "Timer", "OnCalendar") == "*-*-* *:*:00"  # every minute


def test_the_guide_names_every_unit():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for path in UNITS.iterdir():
        assert path.name in guide, f"docs/deployment.md does not mention {path.name}"


def test_systemd_verifies_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip(
            "systemd-analyze is not installed (make test installs Debian's systemd package, so CI runs this check); "
            "the units' keys are still checked by the tests above"
        )
    environment = tmp_path / "participe.env"
    environment.write_text("DJANGO_DEBUG=0\n")
    # This checkout stands for the installation, so that the programs the units run exist.
    for path in [*UNITS.glob("*.service"), *UNITS.glob("*.socket"), *UNITS.glob("*.timer")]:
        text = path.read_text().replace(ENVIRONMENT_FILE, str(environment)).replace(INSTALL, str(ROOT))
        (tmp_path / path.name).write_text(text)
    names = sorted(str(p) for p in tmp_path.iterdir() if p.suffix in (".service", ".socket", ".timer"))
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names], capture_output=True, text=True, timeout=120, check=False
    )
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 0 and not complaints, "\n".join(complaints)
