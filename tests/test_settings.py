"""Settings read from the environment: strict parsing, production start-up, ``check --deploy``."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from participe.env import Env

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTICIPE_", "DJANGO_", "DATABASE_URL"))}
    env.pop("SECRET_KEY", None)
    env.pop("ALLOWED_HOSTS", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "participe.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "ALLOWED_HOSTS": "participe.example.org",
        "PARTICIPE_VAR_DIR": str(tmp_path / "var"),
        "SITE_URL": "https://participe.example.org",
        "PYTHONWARNINGS": "ignore",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path):
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 60
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DJANGO_DEBUG is off." in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()  # no key made up behind the operator's back


def test_it_refuses_a_short_secret_key_in_production(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY="trop-court"), "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long in production." in result.stderr


def test_it_refuses_to_start_in_production_without_the_site_address(tmp_path):
    result = manage(production_env(tmp_path, SITE_URL=None), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL is required when DJANGO_DEBUG is off" in result.stderr, result.stderr


def test_it_refuses_a_site_address_that_is_not_one(tmp_path):
    result = manage(production_env(tmp_path, SITE_URL="participer.ville.fr"), "check")
    assert result.returncode != 0
    assert "SITE_URL='participer.ville.fr' is not a site address" in result.stderr, result.stderr


def test_the_site_address_is_used_as_given_and_the_demo_has_a_default(tmp_path):
    code = "from django.conf import settings as s; print(s.SITE_URL)"
    given = manage(production_env(tmp_path, SITE_URL="https://participer.ville.fr/"), "shell", "-c", code)
    assert given.stdout.strip().splitlines()[-1] == "https://participer.ville.fr", given.stderr
    demo = manage(production_env(tmp_path, DJANGO_DEBUG="1", SITE_URL=None), "shell", "-c", code)
    assert demo.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000", demo.stderr


def test_make_demo_serves_and_links_to_the_same_address():
    """`make demo PORT=8020`: the server's emails and links point to :8020, not to a dead :8000."""
    result = subprocess.run(
        ["make", "-n", "-W", "requirements/base.in", "demo", "PORT=8020"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    commands = [line for line in result.stdout.splitlines() if "load_demo" in line or "runserver" in line]
    assert len(commands) == 2, result.stdout + result.stderr
    assert all("SITE_URL=http://127.0.0.1:8020" in line for line in commands), commands


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DJANGO_DEBUG", "peut-être", "DJANGO_DEBUG='peut-être' is not a boolean"),
        ("EMAIL_PORT", "vingt-cinq", "EMAIL_PORT='vingt-cinq' is not an integer."),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL is not a valid database URL"),
        ("PARTICIPE_TRUSTED_PROXIES", "10.0.0.1,nginx", "PARTICIPE_TRUSTED_PROXIES: 'nginx' is not an IP address"),
        (
            "PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS",
            "-1",
            "PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS: 0 or more seconds.",
        ),
    ],
)
def test_it_stops_start_up_on_a_bad_value_naming_the_variable(tmp_path, name, value, message):
    result = manage(production_env(tmp_path, **{name: value}), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_it_secures_cookies_and_https_in_production(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.DEBUG, s.ALLOWED_HOSTS)"
    )
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True True True True False ['participe.example.org']"


def test_production_does_not_install_the_measurement_harness(tmp_path):
    code = "from django.conf import settings as s; print('participe.harness' in s.INSTALLED_APPS, s.HARNESS)"
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"
    refused = manage(production_env(tmp_path), "seed_volume", "--accounts", "20")
    assert refused.returncode != 0
    assert "Unknown command: 'seed_volume'" in refused.stderr


def test_production_refuses_to_load_the_demo_and_says_how(tmp_path):
    refused = manage(production_env(tmp_path), "load_demo")
    assert refused.returncode != 0
    assert "PARTICIPE_DEMO=1" in refused.stderr, refused.stderr
    code = "from django.conf import settings as s; print(s.PARTICIPE_DEMO)"
    asked = manage(production_env(tmp_path, PARTICIPE_DEMO="1"), "shell", "-c", code)
    assert asked.stdout.strip().splitlines()[-1] == "True", asked.stderr
    debug = manage(production_env(tmp_path, DJANGO_DEBUG="1"), "shell", "-c", code)
    assert debug.stdout.strip().splitlines()[-1] == "True", debug.stderr


def test_the_harness_is_installed_when_asked_for_and_in_the_benchmarks(tmp_path):
    code = "from django.conf import settings as s; print('participe.harness' in s.INSTALLED_APPS)"
    asked = manage(production_env(tmp_path, PARTICIPE_HARNESS="1"), "shell", "-c", code)
    assert asked.stdout.strip().splitlines()[-1] == "True", asked.stderr
    bench = manage(production_env(tmp_path, DJANGO_SETTINGS_MODULE="bench.settings"), "shell", "-c", code)
    assert bench.stdout.strip().splitlines()[-1] == "True", bench.stderr
    demo = manage(production_env(tmp_path, DJANGO_DEBUG="1"), "shell", "-c", code)
    assert demo.stdout.strip().splitlines()[-1] == "True", demo.stderr


def test_the_tests_install_the_harness(settings):
    assert "participe.harness" in settings.INSTALLED_APPS


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
        ("", False),
    ],
)
def test_it_parses_booleans(raw, expected):
    assert Env({"FLAG": raw}).bool("FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["2", "vrai", "oui", "enabled", "tru"])
def test_it_refuses_a_bad_boolean_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"PARTICIPE_FLAG": raw}).bool("PARTICIPE_FLAG", False)
    assert "PARTICIPE_FLAG" in str(excinfo.value)
    assert repr(raw) in str(excinfo.value)


@pytest.mark.parametrize("raw", ["dix", "1.5", "", "10 Mo"])
def test_it_refuses_a_bad_integer_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"EMAIL_PORT": raw}).int("EMAIL_PORT", 25)
    assert str(excinfo.value) == f"EMAIL_PORT={raw!r} is not an integer."


def test_it_parses_networks_and_refuses_a_bad_one_naming_the_variable():
    parsed = Env({"P": "10.0.0.1, 192.168.1.7/16,::1,unix"}).networks("P")
    assert parsed == ["10.0.0.1/32", "192.168.0.0/16", "::1/128", "unix"]
    assert Env({}).networks("P") == []
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300' is not an IP address"):
        Env({"P": "10.0.0.300"}).networks("P")


def test_it_uses_defaults_only_when_a_variable_is_absent():
    env = Env({})
    assert env.bool("X", True) is True
    assert env.int("X", 7) == 7
    assert env.str("X", "défaut") == "défaut"
    assert env.list("X", ["a"]) == ["a"]
    assert env.list("X") == []
    assert Env({"X": "42"}).int("X", 7) == 42
    assert Env({"X": ""}).str("X", "défaut") == ""


def test_it_requires_a_variable_without_default():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({}).str("SITE_URL")
    assert str(excinfo.value) == "The environment variable SITE_URL is required."


def test_it_parses_lists():
    assert Env({"HOSTS": " a.example.org, b.example.org ,,"}).list("HOSTS") == ["a.example.org", "b.example.org"]


def test_it_checks_choices():
    assert Env({"MODE": "s3"}).choice("MODE", ("local", "s3"), "local") == "s3"
    assert Env({}).choice("MODE", ("local", "s3"), "local") == "local"
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"MODE": "ftp"}).choice("MODE", ("local", "s3"), "local")
    assert str(excinfo.value) == "MODE='ftp' must be one of: local, s3."


def test_with_redis_the_caches_use_one_client_and_sessions_are_read_from_redis(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(sorted({c['BACKEND'] for c in s.CACHES.values()}), s.SESSION_ENGINE)"
    )
    with_redis = manage(production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0"), "shell", "-c", code)
    assert with_redis.stdout.strip().splitlines()[-1] == (
        "['participe.core.cache.RedisCache'] django.contrib.sessions.backends.cached_db"
    ), with_redis.stderr
    without = manage(production_env(tmp_path), "shell", "-c", code)
    assert without.stdout.strip().splitlines()[-1].endswith(" django.contrib.sessions.backends.db"), without.stderr
