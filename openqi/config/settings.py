"""OpenQI settings, read from environment variables (see README "Configuration").

One settings module for every environment, in the healthchecks style: production-safe defaults,
and development conveniences only when OPENQI_DEBUG is on (which `make run` sets).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
import sentry_sdk
from csp.constants import NONCE, NONE, SELF
from sentry_sdk.integrations.django import DjangoIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("OPENQI_DEBUG")
# Generic Django classes (ModelAdmin[User], QuerySet[Invitation]) become subscriptable at run time.
django_stubs_ext.monkeypatch()

# Under pytest the suite runs with test-friendly defaults (dev secret key, plain HTTP cookies).
TESTING = env_bool("OPENQI_TESTING") or "pytest" in sys.modules

# A development key is only acceptable while DEBUG or under test; production must set its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = os.environ.get("OPENQI_SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG or TESTING else "")
if not SECRET_KEY:
    raise RuntimeError("OPENQI_SECRET_KEY must be set when OPENQI_DEBUG is off.")

ALLOWED_HOSTS = env_list("OPENQI_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("OPENQI_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("OPENQI_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "openqi.core",
    "openqi.accounts",
    "openqi.organisations",
    "openqi.projects",
    "openqi.measures",
    "openqi.meetings",
    "openqi.coaching",
    "openqi.learning",
    "openqi.involvement",
    "openqi.tools",
    "openqi.portfolio",
    "openqi.api",
    "openqi.demo",
    # django-ninja's own templates and static files: the API docs page served from here, not a CDN (CSP).
    "ninja",
]

MIDDLEWARE = [
    "openqi.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openqi.core.sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openqi.core.timeouts.QueryBudgetMiddleware",
]

ROOT_URLCONF = "openqi.config.urls"
WSGI_APPLICATION = "openqi.config.wsgi.application"

TEMPLATES = [
    {
        # Our pages: Jinja2 with the NHS.UK frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "openqi.config.jinja2.environment",
            "context_processors": ["openqi.core.context_processors.nhsuk_template"],
        },
    },
    {
        # Django admin and allauth's e-mail bodies are Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite tuned for a small production service (WAL, busy timeout, IMMEDIATE write transactions so
# concurrent writers queue instead of failing with "database is locked"); PostgreSQL by DATABASE_URL.
SQLITE_PATH = Path(os.environ.get("OPENQI_SQLITE_PATH", PROJECT_DIR / "var" / "db.sqlite3"))
# How long one request's database work may take (ms); 0 turns the limit off. PostgreSQL applies it to every
# statement of every connection (a long maintenance job sets its own: `SET statement_timeout = 0`); on SQLite
# it bounds the queries of each web request (openqi/core/timeouts.py).
QUERY_TIMEOUT_MS = int(os.environ.get("OPENQI_QUERY_TIMEOUT_MS", 10_000))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    # No JIT: it is for long analytical queries, and ours are short. Above its cost threshold PostgreSQL
    # compiled the portfolio dashboard's query on every request, 33 ms for a query that runs in 65.
    server_settings = ["-c jit=off"]
    if QUERY_TIMEOUT_MS:
        server_settings.append(f"-c statement_timeout={QUERY_TIMEOUT_MS}")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(server_settings)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache is shared by every worker process, so rate limits hold across gunicorn workers.
# Charts for every measure of a trust (thousands): a table without the database cache's cull, or Redis when
# OPENQI_REDIS_URL is set (docs/adr/0013-chart-cache.md).
REDIS_URL = os.environ.get("OPENQI_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "openqi_cache",
    },
    "charts": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "openqi.core.cachetable.TableCache", "LOCATION": "openqi_cache_entry"}
    ),
    # Rendered pages per session until the data change (openqi.core.pagecache, docs/adr/0026-page-cache.md):
    # the same table (or Redis), under keys of their own.
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "page",
        }
        if REDIS_URL
        else {
            "BACKEND": "openqi.core.cachetable.TableCache",
            "LOCATION": "openqi_cache_entry",
            "KEY_PREFIX": "page",
        }
    ),
}
# How long a kept page may be served while no data change: the bound on a page that depends on the clock
# within a day ("next meeting"). 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("OPENQI_PAGE_CACHE_SECONDS", "300"))

# --- Background tasks -----------------------------------------------------------------------------
# django-tasks with its database backend: queued work is a row, run by `manage.py db_worker` (started by
# `make run`; a service of its own in production). Tests run each task at once, in the test's thread.
# docs/adr/0015-task-queue.md
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "openqi.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "openqi.accounts.adapters.SocialAccountAdapter"
ACCOUNT_TEMPLATE_EXTENSION = "jinja"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # an invitation link or a sign-in code proves the address
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = int(os.environ.get("OPENQI_LOGIN_CODE_TIMEOUT", 15 * 60))
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "OpenQI: "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = False  # never a lasting session: see "Sessions" below
# Limits per client (its own address behind a proxy: ALLAUTH_TRUSTED_PROXY_COUNT below), never per e-mail
# address alone: anyone could spend a named person's allowance and lock them out. Codes: three a minute per
# address from one client (openqi/accounts/sign_in.py), a few dozen per client, so guessing and mail-bombing
# fail.
ACCOUNT_FORMS = {"request_login_code": "openqi.accounts.sign_in.RequestLoginCodeForm"}
ACCOUNT_RATE_LIMITS = {
    "request_login_code": "20/m/ip",
    "request_login_code_per_address": "3/m/key",
    "login": "30/m/ip",
    "login_failed": "10/m/ip",
}
# No e-mail to an address without an account ("you have no account"): the page says the same either way,
# and such mail would let anyone send messages from us to any address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False

# Staff single sign-on with Microsoft Entra ID (OpenID Connect); off unless configured.
ENTRA_TENANT_ID = os.environ.get("OPENQI_ENTRA_TENANT_ID", "")
ENTRA_CLIENT_ID = os.environ.get("OPENQI_ENTRA_CLIENT_ID", "")
ENTRA_CLIENT_SECRET = os.environ.get("OPENQI_ENTRA_CLIENT_SECRET", "")
SSO_ENABLED = bool(ENTRA_TENANT_ID and ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET)
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
if SSO_ENABLED:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "entra",
                "name": os.environ.get("OPENQI_ENTRA_BUTTON_LABEL", "NHS staff sign-in (Microsoft)"),
                "client_id": ENTRA_CLIENT_ID,
                "secret": ENTRA_CLIENT_SECRET,
                "settings": {
                    "server_url": f"https://login.microsoftonline.com/{ENTRA_TENANT_ID}/v2.0",
                    "scope": ["openid", "profile", "email"],
                },
            }
        ]
    }

INVITATION_VALID_DAYS = int(os.environ.get("OPENQI_INVITATION_VALID_DAYS", 14))
# Requests one API token may make a minute (docs/api.md); 0 turns the limit off.
API_REQUESTS_PER_MINUTE = int(os.environ.get("OPENQI_API_REQUESTS_PER_MINUTE", 600))

# --- E-mail ---------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("OPENQI_FROM_EMAIL", "OpenQI <no-reply@openqi.invalid>")
if os.environ.get("OPENQI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["OPENQI_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("OPENQI_EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("OPENQI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("OPENQI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("OPENQI_EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
# In production `collectstatic` fills STATIC_ROOT; in development and tests files come from the apps.
STATIC_ROOT = None if DEBUG or TESTING else PROJECT_DIR / "var" / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# NHS.UK frontend's compiled CSS refers to /assets/...; serving the vendored release at that path
# keeps the vendored files byte-for-byte as published.
WHITENOISE_ROOT = BASE_DIR / "static_root"
# Uploaded files (story attachments) go through Django's storage API: a folder on this machine, or with
# OPENQI_S3_BUCKET an S3-compatible bucket that every web process shares, on however many machines. Either
# way they are served only by the access-checked download view: objects stay private (the bucket's own
# policy), and no link to the bucket is ever handed out.
S3_BUCKET = os.environ.get("OPENQI_S3_BUCKET", "")
S3_ENDPOINT_URL = os.environ.get("OPENQI_S3_ENDPOINT_URL", "")
UPLOADS_STORAGE: dict[str, object] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            # Empty: boto3's own chain (AWS_* variables, an instance or pod role).
            "access_key": os.environ.get("OPENQI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("OPENQI_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("OPENQI_S3_REGION") or None,
            # S3-compatible services (MinIO, Ceph, Garage) find a bucket by its path, not a host name.
            "addressing_style": "path" if S3_ENDPOINT_URL else None,
            "default_acl": None,
            # A download is read into a temporary file on its way out: in memory up to 1 MB, then on disk.
            "max_memory_size": 1024 * 1024,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": UPLOADS_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("OPENQI_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
# Where `manage.py backup` writes its archives unless given --to (docs/adr/0016).
BACKUP_DIR = Path(os.environ.get("OPENQI_BACKUP_DIR", PROJECT_DIR / "var" / "backups"))

# --- Sessions and the Django admin ----------------------------------------------------------------
# Shared NHS computers: a session ends when the browser closes and after a time without any request (kept
# alive by openqi.core.sessions at most once a minute). Messages live in the session, not in a cookie, so
# no cookie carries what a message says (an e-mail address, a name).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_MINUTES = int(os.environ.get("OPENQI_SESSION_IDLE_MINUTES", 8 * 60))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Django's own admin (/django-admin/) is for developers; OpenQI's administration is in the app.
ADMIN_ENABLED = env_bool("OPENQI_ADMIN_ENABLED", DEBUG)

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Over TLS (the production default) cookies are secure and HSTS is sent; `make run` serves plain HTTP.
USE_TLS = env_bool("OPENQI_USE_TLS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = USE_TLS
CSRF_COOKIE_SECURE = USE_TLS
SECURE_SSL_REDIRECT = USE_TLS and env_bool("OPENQI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("OPENQI_HSTS_SECONDS", 31536000)) if USE_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = USE_TLS
SECURE_HSTS_PRELOAD = USE_TLS and env_bool("OPENQI_HSTS_PRELOAD", True)
BEHIND_PROXY = env_bool("OPENQI_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's own address, for sign-in rate limits: behind proxies it is the address the last of our
# OPENQI_TRUSTED_PROXY_COUNT proxies added to X-Forwarded-For (earlier entries are whatever the client sent),
# or the header OPENQI_CLIENT_IP_HEADER names, if the proxy sets one (X-Real-IP, say). Without a proxy
# X-Forwarded-For is ignored, as anyone could write it.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("OPENQI_TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("OPENQI_CLIENT_IP_HEADER") or None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF] + (["https://login.microsoftonline.com"] if SSO_ENABLED else []),
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logs and error reporting ---------------------------------------------------------------------
# One JSON object a line with the request's id (openqi/core/logs.py); plain text in development.
LOG_FORMAT = os.environ.get("OPENQI_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "openqi.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "openqi.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("OPENQI_LOG_LEVEL", "INFO")},
}

# Errors go to Sentry or a Sentry-compatible service (GlitchTip, self-hosted Sentry) when a DSN is set.
# Without personal data: no user details, cookies or request bodies (story text, e-mail addresses).
SENTRY_DSN = os.environ.get("OPENQI_SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("OPENQI_SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=float(os.environ.get("OPENQI_SENTRY_TRACES_SAMPLE_RATE", 0)),
    )
