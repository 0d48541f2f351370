"""Who may read the access log.

Program reviewers search the whole log: they oversee the program across
providers and write nothing on member records. A member's own page of who
has looked at the record is for the people answerable for that member's
care: the case managers of the managing organization, the supervisors of
the member's provider and the reviewers — each within the member scope of
``access.policy``. Specialists work a caseload; whether a colleague opened
a record is their supervisor's question, so they are refused.
"""

from typing import Any

from access.policy import Action, role_may
from accounts.models import User

Role = User.Role

MEMBER_ACCESS_ROLES = frozenset(
    {Role.CASE_MANAGER, Role.IPS_SUPERVISOR, Role.PROGRAM_REVIEWER}
)


def may_search_access_log(user: Any) -> bool:
    """Whether the user may search everyone's reads (reviewers only)."""
    return role_may(user, Action.VIEW_MEMBER) and user.role == Role.PROGRAM_REVIEWER


def may_see_member_access(user: Any) -> bool:
    """Whether the user may see who has looked at members in their scope."""
    return role_may(user, Action.VIEW_MEMBER) and user.role in MEMBER_ACCESS_ROLES
