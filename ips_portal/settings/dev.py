"""Development and demo settings: embedded defaults, nothing to install.

SQLite and a filesystem Celery broker under ./var, unless DATABASE_URL or
CELERY_BROKER_URL say otherwise.
"""

import os
from pathlib import Path

_var = Path(__file__).resolve().parent.parent.parent / "var"
_var.mkdir(exist_ok=True)

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-ips-portal")
# Debug pages stay off unless asked for: the run command asks
# (DJANGO_DEBUG=true); any other process with these settings does not.
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_var / 'db.sqlite3'}")
os.environ.setdefault("CELERY_BROKER_URL", "filesystem://")

from ips_portal.settings.base import *  # noqa: E402, F403 (settings layering)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {  # noqa: F405 (defined in base)
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
