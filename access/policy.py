"""The one access policy: what each signed-in user may see and do.

Two questions are asked of every request that touches member data:

- *scope*: which members (and referrals) the user may see at all. Querysets
  are filtered by it, so lists, searches, choices and exports never hold a
  record outside it, and a single record outside it answers 404.
- *action*: what the user's role may do with a record in scope. Actions are
  named permissions, not a read-only switch.

A case manager works their organization's members. Provider staff work the
members referred to their provider (specialists only their own caseload
where the provider asks for that). Program reviewers read across all
providers. Administrators manage reference data and see no member records.

Every read of member data goes through ``record_member_read``, the single
place where an access audit is attached (settings.MEMBER_READ_RECORDERS).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.module_loading import import_string

from accounts.models import User
from referrals.models import Referral

if TYPE_CHECKING:
    from members.models import Member

Role = User.Role


class Action(enum.StrEnum):
    VIEW_MEMBER = "member.view"
    EDIT_MEMBER = "member.edit"
    REFER_MEMBER = "member.refer"
    AUTHORIZE_SERVICES = "services.authorize"
    RESPOND_TO_REFERRAL = "referral.respond"
    REASSIGN_CASELOAD = "caseload.reassign"
    LOG_SERVICES = "services.log"
    RECORD_JOB_END = "job_end.record"
    WRITE_TEAM_LOG = "team_log.write"
    EXIT_MEMBER = "member.exit"
    BILL_CLAIMS = "claims.bill"
    VIEW_DASHBOARD = "dashboard.view"
    RECORD_FIDELITY_REVIEW = "fidelity_review.record"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CASE_MANAGER: frozenset(
        {
            Action.VIEW_MEMBER,
            Action.EDIT_MEMBER,
            Action.REFER_MEMBER,
            Action.AUTHORIZE_SERVICES,
            Action.RECORD_JOB_END,
            Action.WRITE_TEAM_LOG,
            Action.EXIT_MEMBER,
            Action.VIEW_DASHBOARD,
        }
    ),
    Role.IPS_SPECIALIST: frozenset(
        {
            Action.VIEW_MEMBER,
            Action.LOG_SERVICES,
            Action.RECORD_JOB_END,
            Action.WRITE_TEAM_LOG,
        }
    ),
    Role.IPS_SUPERVISOR: frozenset(
        {
            Action.VIEW_MEMBER,
            Action.RESPOND_TO_REFERRAL,
            Action.REASSIGN_CASELOAD,
            Action.BILL_CLAIMS,
            Action.LOG_SERVICES,
            Action.RECORD_JOB_END,
            Action.WRITE_TEAM_LOG,
            Action.EXIT_MEMBER,
            Action.VIEW_DASHBOARD,
        }
    ),
    Role.PROGRAM_REVIEWER: frozenset(
        {
            Action.VIEW_MEMBER,
            Action.VIEW_DASHBOARD,
            Action.RECORD_FIDELITY_REVIEW,
        }
    ),
    Role.ADMINISTRATOR: frozenset(),
}


def role_may(user: Any, action: Action) -> bool:
    """Whether the user's role grants the action on records in scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # An organization switched off in the admin takes its people's access
    # with it, whatever their own accounts say.
    if user.organization is not None and not user.organization.is_active:
        return False
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def _provider_id(user: User) -> int | None:
    site = getattr(user.organization, "provider_site", None)
    return site.pk if site else None


def member_scope(user: Any) -> Q:
    """Return the condition on ``Member`` rows the user may see.

    A condition that matches nothing is returned for anyone without a
    member-facing role, so callers never need a separate branch.
    """
    if not role_may(user, Action.VIEW_MEMBER):
        return Q(pk__in=[])

    if user.role == Role.CASE_MANAGER:
        return Q(managing_organization_id=user.organization_id)

    # Provider staff see the members whose referral waits for them and the
    # members in IPS with them now. Once a member exits, or moves on to
    # another provider, the record is no longer theirs to read.
    waiting = Q(referrals__status=Referral.Status.PENDING)
    if user.role == Role.PROGRAM_REVIEWER:
        return waiting | Q(episodes__isnull=False)

    provider_id = _provider_id(user)
    if provider_id is None:
        return Q(pk__in=[])
    open_here = Q(episodes__provider_id=provider_id, episodes__closed_on__isnull=True)
    if _own_caseload_only(user):
        return open_here & Q(episodes__specialist_id=user.pk)
    return (waiting & Q(referrals__provider_id=provider_id)) | open_here


def _own_caseload_only(user: User) -> bool:
    site = getattr(user.organization, "provider_site", None)
    if site is None:
        return False
    return bool(
        user.role == Role.IPS_SPECIALIST and site.specialists_see_own_caseload_only
    )


def scope_members(user: Any, members: QuerySet[Member]) -> QuerySet[Member]:
    """Filter a member queryset to the user's scope.

    The scope may join referrals, so the ids are taken in a subquery: the
    caller's queryset keeps one row per member and stays free to annotate.
    """
    from members.models import Member

    visible_ids = Member.objects.filter(member_scope(user)).values("pk")
    return members.filter(pk__in=visible_ids)


def scope_referrals(user: Any, referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Filter referrals to those the user may see.

    Provider staff see every referral made to their provider, including
    ones they redirected elsewhere; the member behind a redirected referral
    is no longer theirs.
    """
    if not role_may(user, Action.VIEW_MEMBER):
        return referrals.none()
    if user.is_provider_staff:
        provider_id = _provider_id(user)
        if provider_id is None:
            return referrals.none()
        mine = referrals.filter(provider_id=provider_id)
        if _own_caseload_only(user):
            mine = mine.filter(episode__specialist_id=user.pk)
        return mine
    if user.role == Role.CASE_MANAGER:
        return referrals.filter(member__managing_organization_id=user.organization_id)
    return referrals


def member_get(
    user: Any,
    public_id: Any,
    action: Action = Action.VIEW_MEMBER,
    *,
    members: QuerySet[Member] | None = None,
    request: HttpRequest | None = None,
) -> Member:
    """Return one member the user may act on, recording the read.

    Raises Http404 when the member does not exist or is out of scope (the
    two are indistinguishable on purpose) and PermissionDenied when the
    member is in scope but the role lacks the action.
    """
    from members.models import Member

    queryset = members if members is not None else Member.objects.all()
    member = scope_members(user, queryset).filter(public_id=public_id).first()
    if member is None:
        raise Http404("No such member.")
    if not role_may(user, action):
        raise PermissionDenied
    record_member_read(user, [member.pk], purpose=str(action), request=request)
    return member


def require(user: Any, action: Action) -> None:
    """Refuse (403) a user whose role lacks the action."""
    if not role_may(user, action):
        raise PermissionDenied


# Work a provider's staff do for a member only while the member is in IPS
# with that provider. Seeing a member they once served is not enough.
PROVIDER_WORK = frozenset(
    {
        Action.LOG_SERVICES,
        Action.RECORD_JOB_END,
        Action.WRITE_TEAM_LOG,
        Action.EXIT_MEMBER,
    }
)


def require_action_on_member(user: Any, action: Action, member: Member) -> None:
    """Refuse (PermissionDenied) an action the user may not take on this member.

    The role must grant the action and the member must be in scope. Provider
    staff doing provider work must also have the member's open episode at
    their provider (and, where the provider narrows specialists to their own
    caseload, be its specialist). Services call this, so the rule holds
    whatever page, command or task asks. One or two queries.
    """
    from members.models import Member
    from referrals.models import Episode

    require(user, action)
    if not scope_members(user, Member.objects.filter(pk=member.pk)).exists():
        raise PermissionDenied
    if user.is_provider_staff and action in PROVIDER_WORK:
        open_here = Episode.objects.filter(
            member_id=member.pk,
            provider_id=_provider_id(user),
            closed_on__isnull=True,
        )
        if _own_caseload_only(user):
            open_here = open_here.filter(specialist_id=user.pk)
        if not open_here.exists():
            raise PermissionDenied


MemberReadRecorder = Callable[..., None]


@cache
def _recorders() -> tuple[MemberReadRecorder, ...]:
    return tuple(import_string(path) for path in settings.MEMBER_READ_RECORDERS)


def record_member_read(
    user: Any,
    member_ids: Iterable[int],
    *,
    purpose: str,
    request: HttpRequest | None = None,
) -> None:
    """Pass a read of member records to every configured recorder.

    Views, downloads, exports and API reads call this with the ids they
    showed. Recorders receive ``actor``, ``member_ids``, ``purpose`` and
    ``request`` as keyword arguments.
    """
    ids = list(member_ids)
    for recorder in _recorders():
        recorder(actor=user, member_ids=ids, purpose=purpose, request=request)
