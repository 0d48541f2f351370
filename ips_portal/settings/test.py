"""Test settings: fast and strict.

SQLite unless DATABASE_URL is set; CI sets it to the local PostgreSQL.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# The broker the environment names (CI: Redis) is kept for the one test that
# runs a real worker. Everything else in the suite queues in memory: Celery
# reads CELERY_BROKER_URL from the environment before any setting, so the
# variable itself is replaced.
WORKER_TEST_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from ips_portal.settings.base import *  # noqa: E402, F403 (settings layering)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A code at sign-in only for people with an authenticator app, as in the
# demo; tests of the production rule turn it on themselves.
OTP_REQUIRED = False
# The test runner empties the database between tests (core flush command).
FLUSH_ALLOWED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405 (defined in base)
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
STORAGES["default"] = {  # noqa: F405 (defined in base)
    "BACKEND": "django.core.files.storage.InMemoryStorage",
}

# A naive datetime reaching the database is a bug in date handling.
warnings.filterwarnings(
    "error", r"DateTimeField .* received a naive datetime", RuntimeWarning
)

# Static files come from the finders; tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
