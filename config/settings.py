"""One settings module for every environment.

Everything that differs between a developer's machine, CI and production is read from the
environment. The embedded default (no variables set) is SQLite and eager Celery, so that
`make run` needs nothing but Python. A bad value fails at start-up, not on the first request.

Over 400 lines as one module on purpose: every setting an environment can change is read here
with its default and its check, in one place (docs/operations.md lists them).
"""

import json
import os
from pathlib import Path

import csp.constants
import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.logs import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "django-insecure-embedded-default-only-for-local-use"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_KEY)
# Production = DEBUG off and a real SECRET_KEY. Then the HTTPS hardening below switches on.
PRODUCTION = not DEBUG and SECRET_KEY != _INSECURE_KEY
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "captcha",
    "config.apps.PortalConfig",
    "villages",
    "cadres",
    "branches",
    "projects",
    "ratings",
    "reports",
]

MIDDLEWARE = [
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "cadres.views_password.ForcePasswordChangeMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "ratings" / "campaign" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cadres.navigation.navigation",
            ],
            # `person` (a user by name, never by login; "—" when empty) and `star_name` (a star's
            # name as its village reads it: communities have their own) in every template.
            "builtins": ["cadres.templatetags.people", "ratings.templatetags.stars"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A persistent connection is checked before a request or a task reuses it, so web and
        # worker reconnect on their own after a database restart.
        conn_health_checks=True,
    )
}
# The embedded default serves a township's staff at once: WAL lets readers go on while one
# writes; a writer waits up to 20 s for another (busy timeout) instead of failing; and every
# transaction takes the write lock when it starts (IMMEDIATE), because a transaction that read
# first and then wants to write cannot wait for a lock another writer holds — SQLite answers
# "database is locked" at once. (select_for_update is a no-op on SQLite.)
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a request or a task in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cadres.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first, with parameters sized for the machine (cadres/hashers.py: OWASP's minimum,
# about 20 ms of one core here). Hashes of the other hashers, and Argon2 hashes made with other
# parameters, still verify and are rewritten with these at the next sign-in.
PASSWORD_HASHERS = [
    "cadres.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Only verifies one-time passwords handed out in batches (see cadres/hashers.py).
    "cadres.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Front servers whose X-Forwarded-For is believed (docker-compose: nginx = 1); 0 = REMOTE_ADDR.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXIES or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXIES else ["REMOTE_ADDR"]
# config/throttles.py: failures, never successes, are limited. An address that failed with this
# many different usernames within AXES_COOLOFF_TIME, or a username that failed this many times
# from any addresses, must answer an image captcha (django-simple-captcha) before signing in;
# nobody is locked out by sharing an address with a training hall or an attacker.
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20)
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 10)
# config/throttles.py: a form open to the public (a villager's QR pages) takes this many
# submissions per client address and form within the window, then refuses with a message.
PUBLIC_FORM_LIMIT = env_int("PUBLIC_FORM_LIMIT", 30)
PUBLIC_FORM_WINDOW_MINUTES = env_int("PUBLIC_FORM_WINDOW_MINUTES", 60)
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5  # minutes; each captcha answers one attempt only, right or wrong
CAPTCHA_FONT_SIZE = 30

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from npm (package.json + lock); they are served straight from
# node_modules under a stable prefix, never copied into the repo.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files elsewhere.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The CJK font every PDF embeds (npm: @embedpdf/fonts-sc, Noto Sans SC, SIL OFL): a PDF never
# depends on the fonts the host happens to have.
PDF_FONT_DIR = Path(os.environ.get("PDF_FONT_DIR", _NODE / "@embedpdf" / "fonts-sc" / "fonts"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files are served only by the records' download views (config/files.py). Empty: Django streams
# them; behind nginx set the internal location (docker-compose: /protected-media/) and the
# view answers with X-Accel-Redirect.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not MEDIA_ACCEL_REDIRECT.startswith("/"):
    raise ImproperlyConfigured("MEDIA_ACCEL_REDIRECT must be a path such as /protected-media/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Security: sensible in production, harmless for the embedded default.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The orchestrator probes /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy for every page: scripts only from our own origin (npm libraries are
# served by us) or inline blocks carrying this request's nonce (`nonce="{{ request.csp_nonce }}"`);
# no inline event handlers (static/js/app.js handles data- attributes instead). Styles allow
# inline because ECharts' tooltips and Bootstrap's components write style attributes; scripts
# are what the policy is for. Files served from the media view replace this with a sandbox.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF, csp.constants.NONCE],
        "style-src": [csp.constants.SELF, csp.constants.UNSAFE_INLINE],
        "img-src": [csp.constants.SELF, "data:", "blob:"],
        "font-src": [csp.constants.SELF, "data:"],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's own, refusing an account still on a one-time password (cadres/authentication.py).
        "cadres.authentication.SessionAuthentication",
        "cadres.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "五星支部创建管理平台 API",
    "DESCRIPTION": "Five-star branch portal API. Every endpoint is scoped to the caller's regions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files are served by us (drf-spectacular-sidecar), not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StarCodeEnum": "cadres.models.StarCode",
        "ChecklistItemStatusEnum": "ratings.campaign.models.checklist.ItemStatus",
        "ApplicationStatusEnum": "ratings.campaign.models.awards.ApplicationStatus",
        "RectificationStatusEnum": "branches.models.RectificationStatus",
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "NeedCategoryEnum": "branches.models_community.NeedCategory",
        # A region's kind and a lead post's star variant share their choices (行政村 / 城市社区).
        "RegionKindEnum": "villages.models.Kind",
    },
}

# Celery: without a broker the tasks run eagerly in-process (embedded default and most tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_ACKS_LATE = True
# A worker process that dies (SIGKILL, out of memory) hands its task back to the broker instead
# of acknowledging it as failed; every task is idempotent, so running it again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after the visibility timeout (a whole worker gone):
# it must outlast the longest task, or a slow county would run twice at once.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 30 * 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT")
# A request never waits on the broker: a short connect timeout and no retry loop when
# publishing; the work is kept in the database (PendingRecompute, JobRun) and drained later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# A Redis that hangs (process stopped, port open) accepts the connection and never answers:
# every command has a one-second read timeout too (the worker's own BRPOP polling runs in
# its event loop with its own health check, not under this timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT, "socket_connect_timeout": 1, "socket_timeout": 1,
    "max_retries": 0,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A province recompute or a month close not finished in every county by this many minutes has
# its missing counties run again once; still missing, they are failed and the county told.
JOB_RUN_DEADLINE_MINUTES = env_int("JOB_RUN_DEADLINE_MINUTES", 60)
# A task delivered this many times without finishing (it kills its worker) is given up.
JOB_RUN_MAX_DELIVERIES = env_int("JOB_RUN_MAX_DELIVERIES", 3)
# A task that lost its database connection retries with backoff for this long before it
# fails (config.task_base.TrackedTask): a database restart or failover of a few minutes
# costs no county.
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 10 * 60)
# Each worker writes its own heartbeat this often (config/heartbeat.py); one silent for
# WORKER_LOST_AFTER_SECONDS is gone, and the watchdog (every JOB_WATCHDOG_SECONDS) sends its
# county runs again: a whole worker's death costs at most lost-after + watchdog period
# (3 minutes by default) before its counties run again elsewhere.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
WORKER_LOST_AFTER_SECONDS = env_int("WORKER_LOST_AFTER_SECONDS", 120)
JOB_WATCHDOG_SECONDS = env_int("JOB_WATCHDOG_SECONDS", 60)
if WORKER_LOST_AFTER_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_LOST_AFTER_SECONDS must be at least three heartbeats (WORKER_HEARTBEAT_SECONDS)")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Synced into django-celery-beat's tables by the DatabaseScheduler; editable in the admin.
CELERY_BEAT_SCHEDULE = {
    "close-month": {"task": "ratings.close_month_all", "schedule": 3600.0 * 6},
    "drain-pending-recomputes": {"task": "ratings.drain_stale_pending_recomputes", "schedule": 120.0},
    "check-job-runs": {"task": "ratings.job_runs_check", "schedule": 300.0},
    "job-runs-watchdog": {"task": "ratings.job_runs_watchdog", "schedule": float(JOB_WATCHDOG_SECONDS)},
    "expire-first-secretary-terms": {"task": "cadres.expire_first_secretary_terms", "schedule": 3600.0 * 24},
    # A safety net: the running month's live view of every county recomputed each night.
    "recompute-running-month": {"task": "ratings.recompute_running_month", "schedule": crontab(hour=1, minute=0)},
    # Early warnings: refreshed each night (and after each recompute), told once a day.
    "refresh-warnings": {"task": "ratings.warnings_refresh_all", "schedule": crontab(hour=1, minute=30)},
    "warning-notices": {"task": "ratings.warning_notices_send", "schedule": crontab(hour=7, minute=30)},
    # /healthz reads the heartbeat this writes (config/health.py).
    "worker-heartbeat": {"task": "portal.worker_heartbeat", "schedule": 60.0},
}
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"

# A shared cache (Redis) in production lets web processes coalesce recompute jobs together.
# It is never on a request's critical path (config/cache.py): an error or a one-second timeout
# is a miss, and the process leaves the cache alone for a few seconds before trying again.
CACHES = {
    "default": (
        {"BACKEND": "config.cache.SafeRedisCache", "LOCATION": os.environ["CACHE_URL"],
         "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions live in the database only: a signed-in page never depends on Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# JSON lines on stderr with request id, user id and duration (config/logs.py); LOG_FORMAT=text
# for a terminal. LOG_REQUESTS writes one access record per request at INFO.
LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "WARNING"), fmt=os.environ.get("LOG_FORMAT", "json"),
                         access=env_bool("LOG_REQUESTS", True))
# Error reporting, off unless SENTRY_DSN is set.
SENTRY_ENABLED = init_sentry(os.environ.get("SENTRY_DSN", ""), environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
                             traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0))

# Campaign defaults that a county may change (the campaign's documents leave them to each county).
PORTAL = {
    "LEDGER_DEADLINE_DAY": env_int("LEDGER_DEADLINE_DAY", 5),
    "MONTH_CLOSE_DAY": env_int("MONTH_CLOSE_DAY", 6),
    "FIRST_SECRETARY_MIN_DAYS": env_int("FIRST_SECRETARY_MIN_DAYS", 20),
    "SIGN_IN_GRACE_DAYS": env_int("SIGN_IN_GRACE_DAYS", 1),
    "ALLOWANCE_PER_DAY": env_int("ALLOWANCE_PER_DAY", 100),  # yuan per day a first secretary is present
    "EVIDENCE_MAX_BYTES": env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024),
    "PUBLIC_NOTICE_DAYS": env_int("PUBLIC_NOTICE_DAYS", 7),
    # Early warnings (预警): a star earned last month whose live score is within this many points
    # of its pass mark; a township's ledger not submitted this many days before the deadline.
    "WARNING_STAR_MARGIN": env_int("WARNING_STAR_MARGIN", 5),
    "WARNING_LEDGER_DAYS": env_int("WARNING_LEDGER_DAYS", 2),
}
# 三会一课 / 主题党日 frequencies that differ from the campaign's defaults, as JSON, e.g.
# {"members_meeting": "monthly"} (branches/models_records.py checks the entries).
BRANCH_MEETING_FREQUENCIES = json.loads(os.environ.get("BRANCH_MEETING_FREQUENCIES") or "{}")
