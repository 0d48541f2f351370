from typing import Any

from django.http import HttpRequest

from access.policy import Action, role_may
from audit.permissions import may_search_access_log


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar may offer the signed-in user."""
    user = getattr(request, "user", None)
    return {
        "nav_members": role_may(user, Action.VIEW_MEMBER),
        "nav_caseload": role_may(user, Action.REASSIGN_CASELOAD),
        "nav_billing": role_may(user, Action.BILL_CLAIMS),
        "nav_dashboards": role_may(user, Action.VIEW_DASHBOARD),
        "nav_flags": _open_flags(user),
        "nav_access_log": may_search_access_log(user),
    }


def _open_flags(user: Any) -> int | None:
    """How many open flags the user has; None for roles without a work queue."""
    from flags.digest import RECIPIENT_ROLES
    from flags.selectors import flag_count

    if not role_may(user, Action.VIEW_MEMBER) or user.role not in RECIPIENT_ROLES:
        return None
    return flag_count(user)
