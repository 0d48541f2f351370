"""Who changed what: attribution for django-simple-history.

In a request the history middleware knows the user. Services also run from
commands, tasks and tests, so they name the actor themselves.
"""

from typing import Any

from django.db.models import Model


def attribute_to(instance: Model, actor: Any, reason: str = "") -> Model:
    """Mark the next saved history row of ``instance`` as made by ``actor``."""
    instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    return instance
