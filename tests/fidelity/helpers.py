"""Building fidelity reviews for tests. Every reviewer name is invented."""

import datetime
from typing import Any

from accounts.models import User
from fidelity.models import FidelityReview
from fidelity.rules import ITEM_KEYS
from fidelity.services import fidelity_review_record
from providers.models import ProviderSite


def scores(total: int = 100, **changes: int) -> dict[str, int]:
    """25 item scores adding up to ``total`` (all 4s make 100), then changes.

    Points above or below the 4s go to the first items, one each, so any
    total from 25 to 125 can be asked for.
    """
    result = dict.fromkeys(ITEM_KEYS, 4)
    difference = total - 100
    for key in ITEM_KEYS:
        if difference == 0:
            break
        step = 1 if difference > 0 else -1
        while difference and 1 <= result[key] + step <= 5:
            result[key] += step
            difference -= step
    assert difference == 0, f"no 25 scores of 1 to 5 add up to {total}"
    result.update(changes)
    return result


def record(
    actor: User,
    provider: ProviderSite,
    reviewed_on: datetime.date,
    total: int = 100,
    **changes: Any,
) -> FidelityReview:
    """Record a review through the service; ``changes`` override arguments."""
    arguments: dict[str, Any] = {
        "actor": actor,
        "provider": provider,
        "reviewed_on": reviewed_on,
        "reviewers": "Ada Brennholt and Tomasz Wierzbicki",
        "scores": scores(total),
        "notes": "",
    }
    arguments.update(changes)
    return fidelity_review_record(**arguments)


# Every role but the program reviewer's, as fixture names (tests/conftest.py).
NOT_REVIEWERS = [
    "case_manager",
    "specialist",
    "supervisor",
    "administrator",
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
]
