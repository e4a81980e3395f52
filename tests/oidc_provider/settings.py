"""Settings of the test identity provider (``tests.oidc_provider``), read from its spec (env OIDC_PROVIDER_SPEC)."""

import json
import os
from pathlib import Path

SPEC = json.loads(Path(os.environ["OIDC_PROVIDER_SPEC"]).read_text())
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = "test-identity-provider-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SPEC["database"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LANGUAGE_CODE = "fr"
LOGIN_URL = "/connexion/"
SESSION_COOKIE_NAME = "provider_session"  # the provider and the site share 127.0.0.1: their cookies must not mix
CSRF_COOKIE_NAME = "provider_csrftoken"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(SPEC["key"]).read_text(),
    "OIDC_ISS_ENDPOINT": SPEC["issuer"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.Validator",
    "SCOPES": {
        scope: scope
        for scope in (
            "openid",
            "given_name",
            "family_name",
            "birthdate",
            "gender",
            "birthplace",
            "email",
            "usual_name",
        )
    },
    "PKCE_REQUIRED": False,
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60,
    "ID_TOKEN_EXPIRE_SECONDS": 60,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
