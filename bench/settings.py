"""Settings of the benchmark server: production settings, served over plain HTTP on the loopback.

Loaded only by ``make bench`` (DJANGO_SETTINGS_MODULE=bench.settings); production never imports it.
"""

import os

# The benchmark seeds its volume with the harness's ``seed_volume``, over these production settings.
os.environ.setdefault("PARTICIPE_HARNESS", "1")
# ... and loads the demo (``load_demo``), which runs only on an install that says it is a demo.
os.environ.setdefault("PARTICIPE_DEMO", "1")

from participe.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Plain HTTP on 127.0.0.1: no HTTPS redirect, cookies without the Secure flag (Locust would drop them).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Every simulated user comes from 127.0.0.1: per-IP rate limits would measure the limiter, not the platform.
ACCOUNT_RATE_LIMITS = False
# Seeded staff have no TOTP device; the back-office scenarios measure pages, not the second factor.
PARTICIPE_STAFF_MFA_REQUIRED = False
PARTICIPE_THROTTLES: dict[str, dict[str, str]] = {}  # the load comes from one address and a few accounts
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The task worker started with the server renders the emails a write asks for (their cost counts) and sends none.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
