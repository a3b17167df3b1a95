"""Settings for Eurasia Atlas, configured by environment variables (see .env.example)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected an integer") from None


def env_list(name, default):
    """A comma-separated list; blanks around items are dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# pytest-django imports this module after pytest is loaded, so tests are detected without any
# environment variable being set first (gotcha 4: storage must be decided before settings load).
TESTING = env_bool("TESTING", "pytest" in sys.modules)

DEBUG = env_bool("DEBUG", True)

INSECURE_SECRET_KEY = "django-insecure-eurasia-atlas-local-development-only"
SECRET_KEY = env_str("SECRET_KEY") or INSECURE_SECRET_KEY
if not DEBUG and SECRET_KEY == INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is unset or the insecure development default while DEBUG is off: "
        "refusing to start. Set SECRET_KEY to a long random value (see .env.example)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
if TESTING and "testserver" not in ALLOWED_HOSTS:
    # Django's test client's host; a running site must not answer to it (anyone can send it).
    ALLOWED_HOSTS.append("testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def database_from_url(name: str, url: str) -> dj_database_url.DBConfig:
    try:
        return dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


# An empty DATABASE_URL counts as unset (gotcha 2): dj-database-url would return {}.
DATABASE_URL = env_str("DATABASE_URL").strip()
if DATABASE_URL:
    _database = database_from_url("DATABASE_URL", DATABASE_URL)
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "db.sqlite3"),
        # Concurrent writers wait for SQLite's lock (seconds) instead of failing at once with
        # "database is locked"; IMMEDIATE takes the lock when a transaction starts, so a
        # transaction never fails halfway for want of it.
        "OPTIONS": {
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
        },
    }
# Two test runs on one PostgreSQL server (a developer and CI, say) need their own test database.
if env_str("TEST_DATABASE_NAME"):
    _database["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DATABASES = {"default": _database}
USING_POSTGRESQL = _database["ENGINE"] == "django.db.backends.postgresql"

# A read replica (a streaming standby of the primary): anonymous reads go to it once it has
# replayed the last edit, everything else to the primary (eurasia/routers.py). Ignored unless
# the primary is PostgreSQL too.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL").strip()
if DATABASE_REPLICA_URL and USING_POSTGRESQL:
    _replica = database_from_url("DATABASE_REPLICA_URL", DATABASE_REPLICA_URL)
    if _replica["ENGINE"] != _database["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL: the replica must be PostgreSQL.")
    # A replica that does not answer is given up on quickly: the primary answers instead.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests create no database on the read-only standby: the alias reads the test database
    # the runner created on the primary (only its NAME is taken from it), as replayed there.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["eurasia.routers.ReplicaRouter"]

REDIS_URL = env_str("REDIS_URL").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, degrading to "no cache" while Redis is down (eurasia/cache.py).
            "BACKEND": "eurasia.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [
    "orgs.apps.AtlasAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "corsheaders",
    *(["django.contrib.postgres"] if USING_POSTGRESQL else []),
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    # Imports too large for one request run as background jobs (Django's tasks framework, from
    # the django-tasks backport, with its database backend; `manage.py db_worker` runs them).
    "django_tasks",
    "django_tasks_db",
    "orgs.apps.OrgsConfig",
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    # Every error under /api/ is RFC 9457 problem details, whichever layer below answered it.
    "orgs.api.middleware.ApiProblemMiddleware",
    # First, so that it sees every database error, whichever layer raised it.
    "eurasia.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous reads of the API from pages and notebooks elsewhere (CORS_* below).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language from the address (/ru/…; English without a prefix), activated before every
    # rule below that resolves or reverses an address in it: the trailing slash, the login
    # limit and the page cache see /ru/admin/login/ as they see /admin/login/. It reads no
    # session, so it need not follow SessionMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    # The API has no language prefix: its language comes from ?lang= or Accept-Language,
    # active for the page cache (whose key it is part of) and the views below.
    "orgs.api.middleware.ApiLanguageMiddleware",
    "eurasia.middleware.RequestBodyLimitMiddleware",
    "eurasia.middleware.NulByteMiddleware",
    "eurasia.middleware.TrailingSlashMiddleware",
    "eurasia.middleware.LoginRateLimitMiddleware",
    # The API's answers gzipped, cache hits included (the page cache keeps them plain, so its
    # key need not vary on the encoding), with their rate-limit and cache headers.
    "orgs.api.middleware.ApiGZipMiddleware",
    "orgs.api.middleware.ApiHeadersMiddleware",
    # Serves anonymous reads before sessions and users are loaded; what it stores has passed
    # through every middleware below it, and the ones above still add their headers to a hit.
    "eurasia.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who is signed in is known here: anonymous reads may go to the read replica.
    "eurasia.routers.ReadReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "eurasia.urls"
WSGI_APPLICATION = "eurasia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # The default hasher costs about 0.35 s per check (gotcha 8); never use MD5 outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# URL names, reversed in the request's language (/admin/login/, /ru/admin/login/).
LOGIN_URL = "admin:login"
# Where a login lands when its ``next`` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "en-gb"
# English at the addresses without a prefix, Russian under /ru/ (eurasia/urls.py). The
# English code is LANGUAGE_CODE itself, so that activating it reverses to unprefixed addresses.
LANGUAGES = [
    ("en-gb", "English"),
    ("ru", "Русский"),
]
# The project's own catalogues: templates/ and eurasia/ here, orgs/ in orgs/locale.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest storage needs collectstatic first, which tests do not run (gotcha 4).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

if TESTING:
    # Serve from the finders as in development: tests never run collectstatic.
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "orgs.api.schema.AtlasAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone may read; writes need the model permissions of the editor's groups.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    # Strict: an unknown parameter, slug, code or ordering answers 400 naming it.
    "DEFAULT_FILTER_BACKENDS": [
        "orgs.api.parameters.AtlasFilterBackend",
        "orgs.api.parameters.StrictOrderingFilter",
    ],
    # ?format=csv wins over the Accept header.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "orgs.api.renderers.FormatFirstNegotiation",
    "DEFAULT_PAGINATION_CLASS": "orgs.api.pagination.AtlasPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    # JSON nested too deeply for Python's parser is a 400, not a 500 (orgs/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "orgs.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "orgs.api.throttling.AnonThrottle",
        "orgs.api.throttling.UserThrottle",
    ],
    # The test suite (schemathesis included) makes thousands of requests a minute.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "100000/minute" if TESTING else "120/minute"),
        "user": env_str("API_THROTTLE_USER", "100000/minute" if TESTING else "1200/minute"),
    },
    "EXCEPTION_HANDLER": "orgs.api.exceptions.exception_handler",
    # The throttles key anonymous clients by the address ``eurasia.middleware.client_ip``
    # reads; DRF's own reading is set to the same rule, so nothing uses the raw header.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Anonymous API reads may be cached this many seconds by browsers and shared caches.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 300)

# A proxy or CDN in front that keeps anonymous pages is told which ones an edit made stale:
# one request (method, URL, optional bearer token) naming the raised keys (eurasia.purge).
CACHE_PURGE_URL = env_str("CACHE_PURGE_URL").strip()
CACHE_PURGE_METHOD = env_str("CACHE_PURGE_METHOD").strip().upper() or "PURGE"
CACHE_PURGE_TOKEN = env_str("CACHE_PURGE_TOKEN").strip()

# The site's public address, for the URLs written into bulk snapshots (orgs.snapshot).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Where `manage.py export_atlas` writes the snapshots /downloads/ serves, and how many dated
# ones it keeps.
SNAPSHOT_DIR = Path(env_str("SNAPSHOT_DIR", str(BASE_DIR / "snapshots")))
SNAPSHOT_KEEP = env_int("SNAPSHOT_KEEP", 30)

# CORS: any site may read the API anonymously (GET, HEAD, OPTIONS); no credentials are sent
# across origins, so a page elsewhere never acts as a signed-in editor.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
]
CORS_PREFLIGHT_MAX_AGE = 86400

SPECTACULAR_SETTINGS = {
    "TITLE": "Eurasia Atlas API",
    "DESCRIPTION": "Organizations, countries, membership spells, applications, agreements, "
    "events, quotes and the sources behind every fact. Reading needs no account. Partial dates "
    "read as {date, precision, display, latest} and are written as 2024, 2024-07, 2024-07-04 "
    "or ≤2025-06-09. Lists answer CSV with ?format=csv. An unknown parameter, slug or code "
    "answers 400 naming it; every error is an RFC 9457 problem (application/problem+json). "
    "The whole atlas is also a download: /downloads/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "orgs.models.Status",
        "PrecisionEnum": "orgs.dates.Precision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "orgs.api.schema.nullable_references",
        "orgs.api.schema.text_parameters_without_nul",
    ],
}

# --- security ------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto; gunicorn listens on loopback
    # only, so no one else can set that header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # A year, the norm once TLS works; stage it with SECURE_HSTS_SECONDS=300, then 86400, on
    # a new deployment (README, "Serving"): browsers keep the value for as long as it says.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a submission to the browsers' list, hard to undo: an operator's
        # decision (SECURE_HSTS_PRELOAD=1), not a default the deploy check should force.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp 4): no inline scripts or styles anywhere, the admin and
# the offline Swagger UI (SpectacularSwaggerSplitView) included. Swagger UI draws its icons
# from data: URIs and injects one fixed <style> element, allowed by its hash (a new sidecar
# version may change it: tests/browser/test_csp.py tells).
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", SWAGGER_UI_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Request bodies past this answer 400 (forms) or 413 (JSON); file uploads are not counted.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)

# Failed admin logins allowed per username and per client IP in the window (seconds), then 429.
LOGIN_RATE_LIMIT_PER_USERNAME = env_int("LOGIN_RATE_LIMIT_PER_USERNAME", 5)
LOGIN_RATE_LIMIT_PER_IP = env_int("LOGIN_RATE_LIMIT_PER_IP", 20)
LOGIN_RATE_LIMIT_WINDOW = env_int("LOGIN_RATE_LIMIT_WINDOW", 15 * 60)
# Anonymous page views that miss the page cache, per client address and minute, then 429 (0:
# no limit). Hits are not counted: they cost next to nothing.
PAGE_THROTTLE_PER_MINUTE = env_int("PAGE_THROTTLE_PER_MINUTE", 0 if TESTING else 240)

# Proxies in front of gunicorn that append to X-Forwarded-For (0: use the peer address). The
# one rule for a client's address, in the login limiter, the page throttle and the API's
# throttles: the address the last trusted proxy saw; what a client writes further left in
# the header is never believed.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# The admin's spreadsheet exports guard formulas themselves (orgs.admin.imports, with = + - @
# and more): django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a
# leading "=" and writes empty cells as "None". Control characters XLSX cannot hold are
# replaced instead of failing the export.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

# Errors go to stderr with their tracebacks, one record a line that starts with the time, the
# level and the logger, so `grep ERROR` finds every 500 in the service's log. DEBUG on or off:
# Django's default sends django.request to the console only under DEBUG.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "line",
        },
    },
    "loggers": {
        # Every unhandled exception (a 500) with its traceback; 4xx answers are the access
        # log's business.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "eurasia": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "orgs": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
    },
}
