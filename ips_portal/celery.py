"""The Celery application shared by the worker, beat and the web process."""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_portal.settings.dev")

app = Celery("ips_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def log_as_the_web_process_does(**kwargs: Any) -> None:
    """Give the worker the portal's logging instead of Celery's own.

    Celery's formatters print a failed task's exception in full, message
    and all; the portal's withhold messages (core.logging).
    """
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
