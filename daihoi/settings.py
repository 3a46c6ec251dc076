"""Settings for daihoi: one module, driven by environment variables.

DAIHOI_ENV=production switches on the secure defaults that `check --deploy` expects.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DAIHOI_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("DAIHOI_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("DAIHOI_DEBUG", "0" if PRODUCTION else "1") == "1"

_DEV_SECRET = "daihoi-development-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("DAIHOI_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("DAIHOI_SECRET_KEY must be set when DAIHOI_ENV=production")

# The audit chain's HMAC key lives outside the database, so whoever can write the database
# cannot rewrite the log unnoticed. Checkpoints of the chains go to the table and to the
# append-only anchor file (`daihoi audit verify` compares both with the chains).
_DEV_AUDIT_KEY = "daihoi-development-only-audit-key-not-for-production-use"
DAIHOI_AUDIT_KEY = os.environ.get("DAIHOI_AUDIT_KEY", "" if PRODUCTION else _DEV_AUDIT_KEY)
if PRODUCTION and len(DAIHOI_AUDIT_KEY) < 32:
    raise RuntimeError(
        "DAIHOI_AUDIT_KEY must be set (at least 32 characters) when DAIHOI_ENV=production"
    )
DAIHOI_AUDIT_ANCHOR_FILE = os.environ.get("DAIHOI_AUDIT_ANCHOR_FILE", "")
if PRODUCTION and not DAIHOI_AUDIT_ANCHOR_FILE:
    raise RuntimeError(
        "DAIHOI_AUDIT_ANCHOR_FILE must name the append-only checkpoint file when"
        " DAIHOI_ENV=production"
    )
# A checkpoint after every so many events of a chain (0: only `daihoi audit checkpoint`
# and released election results).
DAIHOI_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("DAIHOI_AUDIT_CHECKPOINT_EVERY", "1000"))

ALLOWED_HOSTS = os.environ.get(
    "DAIHOI_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DAIHOI_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "axes",
    "daihoi.core",
    "daihoi.rulebooks",
    "daihoi.organizations",
    "daihoi.accounts",
    "daihoi.congresses",
    "daihoi.conduct",
    "daihoi.elections",
    "daihoi.consultation",
    "daihoi.transitions",
    "daihoi.targets",
    "daihoi.cases",
    "daihoi.home",
    "daihoi.personnel",
    "daihoi.demo",
    "ninja",  # its Swagger UI is then served from static files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "daihoi.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "daihoi.core.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "daihoi.urls"
WSGI_APPLICATION = "daihoi.wsgi.application"
ASGI_APPLICATION = "daihoi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "daihoi.accounts.context_processors.navigation",
            ],
        },
    }
]

_SQLITE_URL = f"sqlite:///{VAR_DIR / 'daihoi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _SQLITE_URL), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if _REPLICA_URL:
    # A read-only copy of the primary (streaming replication); tests mirror it onto default.
    DATABASES["replica"] = {
        **dj_database_url.parse(_REPLICA_URL, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["daihoi.core.routers.ReplicaRouter"]
if os.environ.get("DAIHOI_PGBOUNCER") == "1":
    # Transaction pooling ends the transaction a named (server-side) cursor lives in.
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login attempts: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("DAIHOI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("de", _("German"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "daihoi" / "locale"]
# Vietnamese pages: d/m/Y dates, "." thousands, "," decimals (Django's vi formats differ).
FORMAT_MODULE_PATH = ["daihoi.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Pages name static files by their hashed names only, so the unhashed copies are neither kept
# nor compressed (half the files, and half the time collectstatic takes).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps are read by a browser's developer tools only: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

_REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DAIHOI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

EMAIL_BACKEND = os.environ.get(
    "DAIHOI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DAIHOI_FROM_EMAIL", "daihoi@localhost")

# Upload limits: a whole request, a member or unit import (CSV/XLSX), a draft (DOCX, text),
# and what a DOCX or XLSX may unpack to (a zip bomb is refused).
DAIHOI_MAX_REQUEST_BYTES = int(os.environ.get("DAIHOI_MAX_REQUEST_BYTES", str(60 * 1024**2)))
DAIHOI_MAX_IMPORT_BYTES = int(os.environ.get("DAIHOI_MAX_IMPORT_BYTES", str(50 * 1024**2)))
DAIHOI_MAX_DOCUMENT_BYTES = int(os.environ.get("DAIHOI_MAX_DOCUMENT_BYTES", str(10 * 1024**2)))

# Rate limits. Behind n reverse proxies set DAIHOI_TRUSTED_PROXIES=n: the client's address is
# then the one the outermost proxy wrote into X-Forwarded-For; a client's own entry is ignored.
DAIHOI_TRUSTED_PROXIES = int(os.environ.get("DAIHOI_TRUSTED_PROXIES", "0"))
DAIHOI_API_COMMENT_CALLS_PER_HOUR = int(os.environ.get("DAIHOI_API_COMMENT_CALLS_PER_HOUR", "600"))
# Live streams (projector screens) open at once, per account and per client address.
DAIHOI_STREAMS_PER_USER = int(os.environ.get("DAIHOI_STREAMS_PER_USER", "4"))
DAIHOI_STREAMS_PER_ADDRESS = int(os.environ.get("DAIHOI_STREAMS_PER_ADDRESS", "40"))
# The lean cast path (`elections.cast_asgi`, PostgreSQL under an ASGI server): casts arriving
# within DAIHOI_CAST_BATCH_MS are committed together, at most DAIHOI_CAST_BATCH_MAX at once,
# on a pool of DAIHOI_CAST_POOL_SIZE connections per process.
DAIHOI_LEAN_CAST = os.environ.get("DAIHOI_LEAN_CAST", "1") == "1"
DAIHOI_CAST_BATCH_MS = float(os.environ.get("DAIHOI_CAST_BATCH_MS", "1"))
DAIHOI_CAST_BATCH_MAX = int(os.environ.get("DAIHOI_CAST_BATCH_MAX", "128"))
DAIHOI_CAST_POOL_SIZE = int(os.environ.get("DAIHOI_CAST_POOL_SIZE", "4"))
# batches in flight per process: one (measured: two or three concurrent batches contend on
# the poll's row and the audit head, and PostgreSQL spends more CPU per ballot)
DAIHOI_CAST_WRITERS = int(os.environ.get("DAIHOI_CAST_WRITERS", "1"))

# /healthz fails when the oldest waiting task has waited longer than this (seconds).
DAIHOI_HEALTH_MAX_QUEUE_AGE = int(os.environ.get("DAIHOI_HEALTH_MAX_QUEUE_AGE", "300"))

# The rulebook a new cycle pins unless told otherwise.
DAIHOI_DEFAULT_RULEBOOK = os.environ.get("DAIHOI_DEFAULT_RULEBOOK", "vn-cpv-2025")
DAIHOI_PAGE_SIZE = 50
# The day the congress cycle is looked at, pinned for demonstrations (ISO date); empty = today.
DAIHOI_TODAY = os.environ.get("DAIHOI_TODAY", "").strip()
if DAIHOI_TODAY:
    try:
        datetime.date.fromisoformat(DAIHOI_TODAY)
    except ValueError:
        raise ImproperlyConfigured(
            f"DAIHOI_TODAY must be a date like 2025-07-15, not {DAIHOI_TODAY!r}"
        ) from None

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("DAIHOI_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DAIHOI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own static files (no inline
# script, no eval: HTMX runs with allowEval off), nothing from elsewhere. Inline style
# attributes stay allowed (bar widths on the dashboard, PDF layouts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DAIHOI_LOG_LEVEL", "WARNING")},
}
