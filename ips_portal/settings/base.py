"""Settings shared by every environment, read from environment variables.

Nothing secret has a default here: the development and test modules set
harmless defaults before importing this one, and production sets none, so
a production process with a missing secret stops at start-up instead of
running with a guessable one.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from ips_portal.beat import daily_at

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "accounts",
    "access",
    "providers",
    "payers",
    "members",
    "referrals",
    "milestones",
    "jobs",
    "jobends",
    "coaching",
    "billing",
    "flags",
    "dashboards",
    "fidelity",
    "documents",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionLimitsMiddleware",
    "accounts.sign_in.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "access.middleware.NoStoreForSignedInUsersMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ips_portal.urls"
WSGI_APPLICATION = "ips_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "access.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web server and the worker:
    # each write transaction takes the lock when it begins and others wait
    # for it, instead of failing with "database is locked" mid-request.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username and address before
# any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes). Failures count per username and address
# together: someone guessing a colleague's password from elsewhere locks
# out only their own tries, never the colleague at their desk. The address
# is read as the API reads it (REST_FRAMEWORK["NUM_PROXIES"], below), never
# from a header a client can write. A lockout lifts after the cool-off, or
# when an administrator deletes the access attempt in the admin.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Counted from the lockout: the person trying again meanwhile (with the
# right password, often) does not push the end further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "api.authentication.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# The second step of signing in: a time-based code from an authenticator
# app (django-otp). Optional unless OTP_REQUIRED: production requires it of
# everyone (accounts.sign_in).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "IPS Portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Dates are business dates in Iowa; timestamps are stored in UTC.
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Every uploaded file goes through the storage API. The filesystem backend
# keeps files under MEDIA_ROOT, which no URL serves: downloads go through
# views that apply the access policy. FILE_STORAGE=s3 switches to any
# S3-compatible object store configured by the AWS_* variables.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILE_STORAGE = env.str("FILE_STORAGE", default="filesystem")
if FILE_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# A strict content security policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# A signed-in session ends after 15 minutes without activity, and 12 hours
# after signing in whatever happens (accounts.sessions); its cookie goes
# when the browser closes.
SESSION_IDLE_TIMEOUT = 15 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Celery. The broker URL decides the transport: redis:// in production,
# filesystem:// for the embedded development broker, which works across
# processes without a server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(
        env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker"))
    )
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # Look for new messages five times a second, not once: a member's
        # flags follow a change in the portal within moments.
        "polling_interval": 0.2,
    }

# The monitors' daily sweep and the email digest after it, in Iowa time
# (CELERY_TIMEZONE). Exactly one beat scheduler sends them: the one embedded
# in the worker started with --beat (the run command, docker-compose.yml).
# Further workers run without --beat.
CELERY_BEAT_SCHEDULE = {
    "flags-daily-sweep": {
        "task": "flags.sweep_all",
        "schedule": daily_at(
            env.str("FLAG_SWEEP_AT", default="05:30"), "FLAG_SWEEP_AT"
        ),
    },
    # The dashboards' coaching summaries, worked out again in full (fee
    # schedule changes included) before the day starts.
    "dashboards-nightly-coaching-summaries": {
        "task": "dashboards.refresh_coaching_months",
        "schedule": daily_at(
            env.str("DASHBOARD_REFRESH_AT", default="04:30"), "DASHBOARD_REFRESH_AT"
        ),
        "kwargs": {"changed_only": False},
    },
    "flags-daily-digest": {
        "task": "flags.send_digests",
        "schedule": daily_at(
            env.str("FLAG_DIGEST_AT", default="06:30"), "FLAG_DIGEST_AT"
        ),
    },
}

# Links in emails point here.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ips-portal@localhost")

# The REST API (api/). Tokens or the web session; one error format; pages
# by cursor; throttled per token, never by a forwarding header a client can
# set (NUM_PROXIES 0: the connection's address; raise it behind a proxy).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.MaySeeMembers",
        "api.permissions.TokenGrants",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONBodyParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="600/minute")
    },
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_TOKEN_FAILURES_ALLOWED = env.int("API_TOKEN_FAILURES_ALLOWED", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "IPS Portal API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (Path(__file__).with_name("api_description.md")).read_text(),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.request_bodies_closed",
    ],
    # Choice sets sharing a field name get names of their own, not a hash.
    "ENUM_NAME_OVERRIDES": {
        "FlagKindEnum": "flags.models.Flag.Kind",
        "CoachingEntryKindEnum": "coaching.models.CoachingEntry.Kind",
    },
}
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# A history entry's reason is the void or change reason a person typed, in
# full: a text column, not the default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Functions called with every read of member records (see access.policy).
# By default the access audit (audit.recorders) keeps each one.
MEMBER_READ_RECORDERS: list[str] = env.list(
    "MEMBER_READ_RECORDERS", default=["audit.recorders.record_access"]
)

# Thresholds for the background monitors' flags (days unless named otherwise).
FLAG_THRESHOLDS = {
    "coaching_reauthorization_days": 14,
    "milestone_window_closing_days": 7,
    "authorization_delay_business_days": 5,
    "job_end_form_days": 14,
    "job_end_next_step_days": 30,
    "caseload_limit": 20,
    "fidelity_review_days": 365,
    "cap_months_back": 2,
}

# Logs carry identifiers, never health information (core.logging): every
# traceback names its exceptions without quoting them. The web process and
# the worker log alike (the worker takes this configuration instead of its
# own, ips_portal.celery). Errors are not emailed: Django's error mail
# carries the request's data and each frame's variables.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "core.logging.HealthSafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "filters": {
        "task_failures": {"()": "core.logging.TaskFailureFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["task_failures"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # In place of Django's own, which adds the error mail.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports each layout step, and quotes document text in
        # its warnings (a glyph no font has, say): text that may be a
        # member's name. documents.render logs what it refuses itself.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# The field's benchmarks for the competitive employment rate (DOMAIN.md,
# "Outcomes the field reports"), as fractions. The quarterly standards come
# from a 13-state learning collaborative; the trials' 55% is cumulative over
# a study's follow-up, so the dashboards show it as context, never as a
# quarterly line.
OUTCOME_BENCHMARKS = {
    "competitive_employment_quarterly": {
        "minimal": "0.31",
        "average": "0.41",
        "excellent": "0.50",
    },
    "competitive_employment_cumulative": "0.55",
}
