"""Settings of the audit server: production settings over plain HTTP on the loopback (see bench/settings.py).

Loaded only by ``make audit`` (DJANGO_SETTINGS_MODULE=audit.settings); production never imports it.
"""

from participe.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ACCOUNT_RATE_LIMITS = False  # the sweeps send many requests from 127.0.0.1
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PARTICIPE_THROTTLES: dict[str, dict[str, str]] = {}  # the load comes from one address and a few accounts
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Plain copies of the static files: the sweeps do not measure compression, and compressing takes ~50 s.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
