"""Django settings for Participe, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from participe.env import Env

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("PARTICIPE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", False)
TESTING = env.bool("PARTICIPE_TESTING", False)
# The measurement tools (``manage.py seed_volume``): in the demo, the tests and the benchmarks, never in production
# unless asked for.
HARNESS = env.bool("PARTICIPE_HARNESS", DEBUG or TESTING)
# A demo or development install: only then do the commands that create accounts with a published password run
# (``load_demo``, ``demo_totp``, ``seed_volume``; participe/core/demo.py).
PARTICIPE_DEMO = env.bool("PARTICIPE_DEMO", DEBUG or TESTING)


def _secret_key() -> str:
    key = env.environ.get("SECRET_KEY")
    if key:
        if len(key) < 50 and not DEBUG:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")
        return key
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("SECRET_KEY is required when DJANGO_DEBUG is off.")
    # Demo and tests: a key generated once and kept in var/, so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")


def _site_url() -> str:
    """The public address of the site, in every email, notification, unsubscribe link and export. Required in
    production; the demo (``make demo PORT=…``) passes the address it serves on, the tests use a default."""
    value = env.environ.get("SITE_URL")
    if value is None:
        if not DEBUG and not TESTING:
            raise ImproperlyConfigured(
                "SITE_URL is required when DJANGO_DEBUG is off: the public address of the site, such as "
                "https://participer.ville.fr (used in emails, notification and unsubscribe links, exports)."
            )
        return "http://127.0.0.1:8000"
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"SITE_URL={value!r} is not a site address such as https://participer.ville.fr.")
    return value.strip().rstrip("/")


SITE_URL = _site_url()

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules",  # permissions; each app imports its own (platform: AppConfig.ready, modules: their manifest)
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Tier 1: no domain.
    "participe.core",
    # Tier 2: the platform.
    "participe.organisation",
    "participe.accounts",
    "participe.activity",
    "participe.spaces",
    "participe.verifications",
    "participe.permissions",
    "participe.comments",
    "participe.supports",
    "participe.notifications",
    "participe.moderation",
    "participe.search",
    "participe.attachments",
    "participe.links",
    "participe.assignments",
    "participe.commitments",
    "participe.synthesis",
    "participe.anonymity",
    "participe.ballots",
    "participe.restitution",
    "participe.audience",
    "participe.decidim_import",
    *(["participe.harness"] if HARNESS else []),
    "participe.backoffice",
    "participe.api",
    "participe.opendata",
    "participe.dataright",
    "participe.identity",
    "participe.interchange",
    # Tier 3: participation modules (each declares itself in its manifest.py).
    "participe.modules.page",
    "participe.modules.debate",
    "participe.modules.surveys",
    "participe.modules.proposals",
    "participe.modules.votation",
    "participe.modules.budgets",
    "participe.modules.signalements",
    "participe.modules.juries",
    "participe.modules.meetings",
]

MIDDLEWARE = [
    "participe.core.proxies.ClientAddressMiddleware",  # first: every address read below is the client's
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The audience counter (docs/statistics.md): after the static files, so they never reach it; it reads the answer
    # once every inner middleware and the view are done, and only appends to a buffer in memory.
    "participe.audience.middleware.AudienceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "participe.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Public pages of visitors without a session, kept whole (decision 0041): after CSRF (the visitor's token is put
    # in the page served, its cookie set on the way out), before authentication and everything a hit skips.
    "participe.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff roles count once the session passed the second factor: bound before anything asks a permission.
    "participe.permissions.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "participe.core.middleware.InvalidCursorMiddleware",  # a bad cursor: the first page and a notice (issue #19)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "participe.accounts.middleware.ActingForMiddleware",
    "participe.backoffice.middleware.StaffMFAMiddleware",
    # Bodies too large (413) and throttled writes (429): once the user and their roles are known, inside the
    # middlewares that set the answer's headers (CSP…), before any view reads the body.
    "participe.core.throttle.WriteLimitsMiddleware",
]

ROOT_URLCONF = "participe.urls"
WSGI_APPLICATION = "participe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "participe" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participe.organisation.context_processors.organisation",
                "participe.accounts.context_processors.acting_for",
                "participe.spaces.context_processors.organisation_services",
                "participe.backoffice.context_processors.staff_second_factor",
                "participe.identity.context_processors.identity_providers",
                # Last: a page that may be kept gets a placeholder instead of the CSRF token (decision 0041).
                "participe.core.pagecache.csrf_placeholder",
            ],
            "builtins": ["participe.core.templatetags.participe"],
        },
    }
]

# Database: DATABASE_URL, default a SQLite file in var/ in WAL mode.
DATABASE_URL = env.str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'participe.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env.int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:  # unknown scheme, malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    if not str(_db["NAME"]).startswith(":") and _db["NAME"]:
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_HEALTH_CHECKS"] = True
    # Short queries: PostgreSQL's JIT compilation costs more than it saves (20 to 70 ms on a phrase or filtered
    # search over 1,000,000 entries, docs/benchmarks.md). An ``options`` given in DATABASE_URL wins.
    if env.bool("PARTICIPE_PG_JIT_OFF", True):
        _db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: the database by default (shared by every process), Redis when REDIS_URL is set.
REDIS_URL = env.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CACHES["throttles"] = CACHES["default"]
elif REDIS_URL:
    CACHES = {"default": {"BACKEND": "participe.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    CACHES["throttles"] = CACHES["default"]
    # Sessions read from Redis, written to both (the database keeps them across a Redis restart): a signed-in
    # request reads its session without a query (issue #12, docs/deployment.md « Redis »).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # The throttles' and rate limits' counters live here: room for them all (Django's default culls a third of the
    # entries past 300, which would forget counters on a busy site).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "participe_cache",
            "OPTIONS": {"MAX_ENTRIES": env.int("PARTICIPE_CACHE_MAX_ENTRIES", 100_000)},
        },
        # The throttles' counters (participe.core.throttle), counted on every write: in each process's memory
        # without Redis — no database write per request; each gunicorn worker counts apart, so with N workers up
        # to N times a rate passes (docs/security.md). With REDIS_URL they are shared by every process.
        "throttles": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "participe-throttles",
            "OPTIONS": {"MAX_ENTRIES": env.int("PARTICIPE_CACHE_MAX_ENTRIES", 100_000)},
        },
    }


def _memory_or_redis(name: str, max_entries: int, *, prefix: str | None = None) -> dict[str, Any]:
    """A cache in each process's memory (``max_entries`` at most), or in Redis, shared by every process, when
    ``REDIS_URL`` is set (never in the tests)."""
    if REDIS_URL and not TESTING:
        return {"BACKEND": "participe.core.cache.RedisCache", "LOCATION": REDIS_URL} | (
            {"KEY_PREFIX": prefix} if prefix else {}
        )
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"participe-{name}",
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


# The audience counter's memory (docs/statistics.md): the secret of the day and the visitors already seen today,
# never in the database. Each process's memory without Redis (each gunicorn worker tells its visitors apart on its
# own: a visitor served by two workers counts as two visits); with REDIS_URL, shared by every process.
CACHES["audience"] = _memory_or_redis("audience", env.int("PARTICIPE_AUDIENCE_CACHE_MAX_ENTRIES", 200_000))

# Public pages kept whole for visitors without a session (decision 0041, docs/deployment.md « Page cache »): the
# pages themselves in each process's memory without Redis (their keys hold tokens read from the default cache, which
# every process shares, so a change seen by one process is seen by all), in Redis with REDIS_URL.
PARTICIPE_PAGE_CACHE = env.bool("PARTICIPE_PAGE_CACHE", not (DEBUG or TESTING))
PARTICIPE_PAGE_CACHE_SECONDS = env.int("PARTICIPE_PAGE_CACHE_SECONDS", 300)
if PARTICIPE_PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(f"PARTICIPE_PAGE_CACHE_SECONDS={PARTICIPE_PAGE_CACHE_SECONDS}: 0 or more seconds.")
# How long a kept page is still served after a support or a new comment on what it shows (decision 0045); 0: at once.
PARTICIPE_PAGE_CACHE_GRACE_SECONDS = env.int("PARTICIPE_PAGE_CACHE_GRACE_SECONDS", 10)
# The same for the search page and a new comment entering the index: a search page costs the most to render again.
PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS = env.int("PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS", 60)
# The same for a module's pages (its lists, maps and feeds) and a démarche's own pages, which show the counts of every
# item below them: renewed by any support or comment on any of them, they cost the most to keep fresh (issue #12).
PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS = env.int("PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS", 60)
if (
    min(
        PARTICIPE_PAGE_CACHE_GRACE_SECONDS,
        PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS,
        PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS,
    )
    < 0
):
    raise ImproperlyConfigured(
        "PARTICIPE_PAGE_CACHE_GRACE_SECONDS, PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS,"
        " PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS: 0 or more seconds."
    )
PARTICIPE_PAGE_CACHE_VERSIONS = "default"
PARTICIPE_PAGE_CACHE_STORE = "pages"
CACHES["pages"] = _memory_or_redis("pages", env.int("PARTICIPE_PAGE_CACHE_MAX_ENTRIES", 1000), prefix="pages")
# Each comment's rendered HTML kept under the hash of what it shows (decision 0044): for every visitor, signed in or
# not; keys are computed from the content, nothing is invalidated. Each process's memory (about 2 KB an entry) without
# Redis, Redis with REDIS_URL.
PARTICIPE_COMMENT_FRAGMENTS = env.bool("PARTICIPE_COMMENT_FRAGMENTS", True)
# Parts of pages kept for signed-in readers too, their personal parts rendered each time (decision 0046); on only
# with the page cache, whose tokens renew them.
PARTICIPE_SHARED_FRAGMENTS = env.bool("PARTICIPE_SHARED_FRAGMENTS", True)
PARTICIPE_COMMENT_FRAGMENTS_SECONDS = env.int("PARTICIPE_COMMENT_FRAGMENTS_SECONDS", 3600)
PARTICIPE_COMMENT_FRAGMENTS_STORE = "fragments"
CACHES["fragments"] = _memory_or_redis(
    "fragments", env.int("PARTICIPE_COMMENT_FRAGMENTS_MAX_ENTRIES", 20_000), prefix="fragments"
)

# Audience statistics without cookies (docs/statistics.md, decision 0036).
PARTICIPE_AUDIENCE_ENABLED = env.bool("PARTICIPE_AUDIENCE_ENABLED", True)
PARTICIPE_AUDIENCE_RETENTION_MONTHS = env.int("PARTICIPE_AUDIENCE_RETENTION_MONTHS", 25)
if not 1 <= PARTICIPE_AUDIENCE_RETENTION_MONTHS <= 25:
    raise ImproperlyConfigured(
        f"PARTICIPE_AUDIENCE_RETENTION_MONTHS={PARTICIPE_AUDIENCE_RETENTION_MONTHS}: between 1 and 25 (the CNIL's "
        "longest period for audience statistics without consent)."
    )
# Seconds between two flushes of the counts to the database (0: no background flush; the tests flush themselves),
# the number of waiting views that triggers one sooner, the longest a flush waits on the database, and the most views
# kept in memory while the database does not answer (the oldest are then dropped, never a page).
PARTICIPE_AUDIENCE_FLUSH_SECONDS = env.int("PARTICIPE_AUDIENCE_FLUSH_SECONDS", 0 if TESTING else 10)
PARTICIPE_AUDIENCE_FLUSH_SIZE = env.int("PARTICIPE_AUDIENCE_FLUSH_SIZE", 1000)
PARTICIPE_AUDIENCE_FLUSH_TIMEOUT = env.int("PARTICIPE_AUDIENCE_FLUSH_TIMEOUT", 5)
PARTICIPE_AUDIENCE_BUFFER = env.int("PARTICIPE_AUDIENCE_BUFFER", 100_000)
# Visitors whose browser sends "Do Not Track" or "Global Privacy Control" are not counted.
PARTICIPE_AUDIENCE_HONOUR_DNT = env.bool("PARTICIPE_AUDIENCE_HONOUR_DNT", True)
# Paths not counted, besides the back-office (/gestion/), the API (/api/), the static and media files (never counted).
PARTICIPE_AUDIENCE_EXCLUDED_PATHS = tuple(
    env.list("PARTICIPE_AUDIENCE_EXCLUDED_PATHS", ["/open311/", "/compte/", "/langue/", "/notifications/"])
)
# The visits of a démarche's pages shown on its bilan.
PARTICIPE_AUDIENCE_PUBLIC_ON_BILAN = env.bool("PARTICIPE_AUDIENCE_PUBLIC_ON_BILAN", False)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "participe.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login, verified before use; pseudonym is the public name.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "participe.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "participe.accounts.forms.LoginForm",
    "signup": "participe.accounts.forms.SignupForm",
    "reset_password": "participe.accounts.forms.ResetPasswordForm",
    "add_email": "participe.accounts.forms.AddEmailForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Rate limits of signing in and up (docs/security.md): "ip" is the client's address (behind the proxies of
# PARTICIPE_TRUSTED_PROXIES), "key" the account (the email typed), "user" the signed-in account. A failed login counts
# against both the address and the account, so neither a crowd behind one proxy nor attackers spread over many
# addresses lock out a resident typing the right password from their own.
PARTICIPE_TRUSTED_PROXIES = env.networks("PARTICIPE_TRUSTED_PROXIES")
PARTICIPE_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_email": "5/h/user",
}
ACCOUNT_RATE_LIMITS = PARTICIPE_RATE_LIMITS
if TESTING:
    ACCOUNT_RATE_LIMITS = {key: "1000/m/ip" for key in PARTICIPE_RATE_LIMITS} | {"confirm_email": "1000/m/key"}
# Throttles on writes (docs/security.md, « Content limits and throttles »; participe/core/throttle.py): each action
# is limited per account and per client address (behind the trusted proxies), with rates "count/period" separated by
# commas ("off": none). "write" counts every POST, PUT, PATCH or DELETE; "content" each new contribution (a
# proposal, a comment, a report…). A person whose back-office role counts (an agent typing paper contributions) gets
# PARTICIPE_THROTTLE_STAFF_FACTOR times more. Counters live in the cache "throttles" (above).
PARTICIPE_THROTTLES = {
    "write": {
        "account": env.rates("PARTICIPE_THROTTLE_WRITE_ACCOUNT", "60/m,1000/h"),
        "address": env.rates("PARTICIPE_THROTTLE_WRITE_ADDRESS", "300/m,6000/h"),
    },
    "content": {
        "account": env.rates("PARTICIPE_THROTTLE_CONTENT_ACCOUNT", "6/m,60/h,200/d"),
        "address": env.rates("PARTICIPE_THROTTLE_CONTENT_ADDRESS", "30/m,600/h"),
    },
}
# « Télécharger mes données » (participe.dataright): a few archives a day per account (one is prepared at a time).
PARTICIPE_THROTTLES["data_export"] = {
    "account": env.rates("PARTICIPE_THROTTLE_DATA_EXPORT_ACCOUNT", "3/d"),
    "address": env.rates("PARTICIPE_THROTTLE_DATA_EXPORT_ADDRESS", "30/d"),
}
PARTICIPE_THROTTLE_STAFF_FACTOR = env.int("PARTICIPE_THROTTLE_STAFF_FACTOR", 10)
if TESTING:  # the tests of the throttles set their own; others write freely
    PARTICIPE_THROTTLES = {}
# Length limits of what people write (docs/security.md), in characters, said beside each field: a resident's long text
# (a proposal's description; comments have PARTICIPE_COMMENT_MAX_LENGTH, reports 2,000), and the staff's rich texts
# (a space's presentation, a news post, a page). Titles, names and short texts have theirs in the models.
PARTICIPE_TEXT_MAX_LENGTH = env.int("PARTICIPE_TEXT_MAX_LENGTH", 10_000)
PARTICIPE_RICH_TEXT_MAX_LENGTH = env.int("PARTICIPE_RICH_TEXT_MAX_LENGTH", 50_000)
# The largest request body accepted (files sent with a form apart: their own limits are below): 1 MB; the back-office
# (a territory's boundary pasted as GeoJSON) 10 MB. Larger is refused with 413 before anything reads it.
PARTICIPE_MAX_BODY_BYTES = env.int("PARTICIPE_MAX_BODY_BYTES", 1024 * 1024)
PARTICIPE_MAX_BACKOFFICE_BODY_BYTES = env.int("PARTICIPE_MAX_BACKOFFICE_BODY_BYTES", 10 * 1024 * 1024)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", "Participe")
# Staff roles count only in a session that passed the second factor (participe/permissions/second_factor.py).
PARTICIPE_STAFF_MFA_REQUIRED = env.bool("PARTICIPE_STAFF_MFA_REQUIRED", True)

# Signing in with FranceConnect (residents) and ProConnect (agents), OpenID Connect (docs/identity.md, decision 0038).
# A provider is on when its issuer, client id and secret are all set; otherwise no button shows. The issuer is the
# address the discovery document lives under (ISSUER + "/.well-known/openid-configuration").
PARTICIPE_IDENTITY_PROVIDERS: dict[str, dict[str, Any]] = {
    "franceconnect": {
        "issuer": env.str("PARTICIPE_FRANCECONNECT_ISSUER", ""),
        "client_id": env.str("PARTICIPE_FRANCECONNECT_CLIENT_ID", ""),
        "client_secret": env.str("PARTICIPE_FRANCECONNECT_CLIENT_SECRET", ""),
        "scopes": env.list(
            "PARTICIPE_FRANCECONNECT_SCOPES",
            ["openid", "given_name", "family_name", "birthdate", "gender", "birthplace", "email"],
        ),
        "acr_values": env.str("PARTICIPE_FRANCECONNECT_ACR_VALUES", "eidas1"),
        "algorithms": env.list("PARTICIPE_FRANCECONNECT_ALGORITHMS", ["ES256", "RS256"]),
    },
    "proconnect": {
        "issuer": env.str("PARTICIPE_PROCONNECT_ISSUER", ""),
        "client_id": env.str("PARTICIPE_PROCONNECT_CLIENT_ID", ""),
        "client_secret": env.str("PARTICIPE_PROCONNECT_CLIENT_SECRET", ""),
        "scopes": env.list("PARTICIPE_PROCONNECT_SCOPES", ["openid", "email", "given_name", "usual_name"]),
        "acr_values": "",  # ProConnect refuses any parameter it does not know
        "algorithms": env.list("PARTICIPE_PROCONNECT_ALGORITHMS", ["ES256", "RS256"]),
    },
}
# How long a FranceConnect identity counts as a verification (days), and the seconds an identity provider has to
# answer each call before the person is told it is unavailable.
PARTICIPE_FRANCECONNECT_VERIFICATION_DAYS = env.int("PARTICIPE_FRANCECONNECT_VERIFICATION_DAYS", 365)
PARTICIPE_OIDC_TIMEOUT = env.int("PARTICIPE_OIDC_TIMEOUT", 5)
# The values of ProConnect's ``amr`` claim that mean its identity provider already asked a second factor: then the
# staff's TOTP code is not asked again (decision 0038).
PARTICIPE_PROCONNECT_MFA_AMR = env.list("PARTICIPE_PROCONNECT_MFA_AMR", ["mfa"])
for _key, _provider in PARTICIPE_IDENTITY_PROVIDERS.items():
    _parts = urlsplit(_provider["issuer"]) if _provider["issuer"] else None
    if _parts is not None and (_parts.scheme not in {"http", "https"} or not _parts.netloc):
        raise ImproperlyConfigured(f"The issuer of {_key} is not an address: {_provider['issuer']!r}.")
    if _parts is not None and _parts.scheme == "http" and not (DEBUG or TESTING):
        raise ImproperlyConfigured(f"The issuer of {_key} must be served over https in production.")

# Data rights (docs/data-rights.md, decision 0035): how long things are kept, in days; ``manage.py retention``
# applies them every night and the privacy page lists them (the public part of the registre des traitements).
PARTICIPE_RETENTION = {
    # An account nobody signed in to for this long is anonymised (the deletion of decision 0021)…
    "inactive_account": env.int("PARTICIPE_RETENTION_INACTIVE_ACCOUNT_DAYS", 3 * 365),
    # … after a warning sent this many days before.
    "inactive_warning": env.int("PARTICIPE_RETENTION_INACTIVE_WARNING_DAYS", 30),
    # The audit log (traces of who did what, the address included): one year, the CNIL's recommendation for logs.
    "audit_log": env.int("PARTICIPE_RETENTION_AUDIT_LOG_DAYS", 365),
    # Links sent to confirm an email address.
    "email_confirmation": env.int("PARTICIPE_RETENTION_EMAIL_CONFIRMATION_DAYS", 7),
    # Drafts never sent (proposals, answers to questionnaires).
    "draft": env.int("PARTICIPE_RETENTION_DRAFT_DAYS", 365),
    # « Mes données »: the archive and its link.
    "data_export": env.int("PARTICIPE_RETENTION_DATA_EXPORT_DAYS", 7),
}
for _key, _days in PARTICIPE_RETENTION.items():
    if _days < 1:
        raise ImproperlyConfigured(f"The retention period {_key!r} must be at least one day, not {_days}.")
if PARTICIPE_RETENTION["inactive_warning"] >= PARTICIPE_RETENTION["inactive_account"]:
    raise ImproperlyConfigured("PARTICIPE_RETENTION_INACTIVE_WARNING_DAYS must be shorter than the inactivity period.")

# Email.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Participe <ne-pas-repondre@participe.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: the database queue, immediate in tests.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING or env.bool("PARTICIPE_TASKS_IMMEDIATE", DEBUG)  # the demo sends its emails without a worker
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Internationalisation: French is the source language, English the second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "participe" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "participe" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/leaflet.heat", BASE_DIR / "node_modules" / "leaflet.heat" / "dist"),
]
if DEBUG or TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = PARTICIPE_MAX_BACKOFFICE_BODY_BYTES  # the fields of a form, files apart
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PARTICIPE_MAX_UPLOAD_BYTES = env.int("PARTICIPE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Shared participation services (docs/services/): moderation, comments, attachments.
PARTICIPE_REPORT_THRESHOLD = env.int("PARTICIPE_REPORT_THRESHOLD", 3)
PARTICIPE_COMMENT_EDIT_MINUTES = env.int("PARTICIPE_COMMENT_EDIT_MINUTES", 15)
PARTICIPE_COMMENT_MAX_LENGTH = env.int("PARTICIPE_COMMENT_MAX_LENGTH", 5000)
PARTICIPE_MAX_ATTACHMENTS_PER_ITEM = env.int("PARTICIPE_MAX_ATTACHMENTS_PER_ITEM", 10)
PARTICIPE_MAX_IMAGE_MB = env.int("PARTICIPE_MAX_IMAGE_MB", 10)
PARTICIPE_MAX_DOCUMENT_MB = env.int("PARTICIPE_MAX_DOCUMENT_MB", 20)

# Security headers. Content-Security-Policy: no inline script or style anywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS")

# Maps (Leaflet): the tile server and its attribution. Its origin is allowed for images by the CSP below.
# Default: the national Géoplateforme's Plan IGN (the OpenStreetMap Foundation's tile servers forbid heavy use).
PARTICIPE_MAP_TILES_URL = env.str(
    "PARTICIPE_MAP_TILES_URL",
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
)
PARTICIPE_MAP_ATTRIBUTION = env.str(
    "PARTICIPE_MAP_ATTRIBUTION", '&copy; <a href="https://www.ign.fr/">IGN</a> – Géoplateforme (Plan IGN)'
)
# A geocoder with the Base Adresse Nationale's API (/search/, /reverse/): the BAN itself, or a local addok.
# Empty: no address search (the forms take an address and a point on the map, or coordinates).
PARTICIPE_GEOCODER_URL = env.str("PARTICIPE_GEOCODER_URL", "https://api-adresse.data.gouv.fr")
_tiles = urlsplit(PARTICIPE_MAP_TILES_URL.replace("{s}", "a"))
MAP_TILES_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.scheme and _tiles.netloc else ""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


IDENTITY_PROVIDER_ORIGINS = sorted(
    {_origin(p["issuer"]) for p in PARTICIPE_IDENTITY_PROVIDERS.values() if p["issuer"] and p["client_id"]}
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else []),
            *env.list("CSP_IMG_SRC_EXTRA"),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The identity providers' origin: the button's form and the logout's are answered by a redirection there, and
        # browsers check form-action on it (docs/identity.md).
        "form-action": ["'self'", *IDENTITY_PROVIDER_ORIGINS, *env.list("CSP_FORM_ACTION_EXTRA")],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Census hashes are keyed with this pepper (defaults to one derived from SECRET_KEY).
PARTICIPE_CENSUS_PEPPER = env.str("PARTICIPE_CENSUS_PEPPER", "")

# AGPL section 13: where users of this instance can get its source code.
PARTICIPE_SOURCE_URL = env.str("PARTICIPE_SOURCE_URL", "")
