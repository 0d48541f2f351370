"""Whose records a dashboard counts, from the access policy, and its filters.

The dashboards show counts, rates and amounts, never a member's record, so
their scope is a condition on the rows they add up rather than a list of
members:

- a case manager counts their organization's members, exactly the members
  ``access.policy.member_scope`` gives them;
- a provider's supervisor counts the work of their provider: its episodes,
  the referrals made to it, and what was done in those episodes. Unlike
  the member-record scope, this keeps episodes that have closed: a
  quarter's employment rate must not change when a member exits later,
  and no member's record is shown to make that a disclosure;
- a program reviewer counts every provider.

Only roles granted ``Action.VIEW_DASHBOARD`` have a scope at all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from access.policy import Action, role_may
from accounts.models import User


@dataclass(frozen=True)
class DashboardScope:
    """The rows a user's dashboards may count.

    ``organization_id`` limits members to those an organization manages;
    ``provider_ids`` limits episodes, referrals and flags to providers.
    None means no limit on that side.
    """

    organization_id: int | None = None
    provider_ids: frozenset[int] | None = None

    @property
    def is_provider(self) -> bool:
        return self.provider_ids is not None

    @property
    def is_every_provider(self) -> bool:
        """A reader across every provider (a reviewer), who compares them."""
        return self.provider_ids is None and self.organization_id is None


def dashboard_scope(user: Any) -> DashboardScope:
    """Return what the user's dashboards count; PermissionDenied without one.

    Raises for roles without ``Action.VIEW_DASHBOARD`` (specialists,
    administrators) and for a supervisor whose organization is not a
    provider site.
    """
    if not role_may(user, Action.VIEW_DASHBOARD):
        raise PermissionDenied
    if user.role == User.Role.CASE_MANAGER:
        return DashboardScope(organization_id=user.organization_id)
    if user.role == User.Role.IPS_SUPERVISOR:
        site = getattr(user.organization, "provider_site", None)
        if site is None:
            raise PermissionDenied
        return DashboardScope(provider_ids=frozenset({site.pk}))
    if user.role == User.Role.PROGRAM_REVIEWER:
        return DashboardScope()
    raise PermissionDenied


@dataclass(frozen=True)
class DashboardFilters:
    """What the person asked to see: a period, and optionally one provider,
    county or payer. ``as_of`` is today in Iowa, for figures "as of now"
    (open flags and their age) and to stop the period at today."""

    period_from: datetime.date
    period_to: datetime.date
    as_of: datetime.date
    provider_id: int | None = None
    county_id: int | None = None
    payer_id: int | None = None

    @property
    def period_end(self) -> datetime.date:
        """The period's last day, never later than today."""
        return min(self.period_to, self.as_of)


def member_condition(
    scope: DashboardScope,
    filters: DashboardFilters,
    path: str = "",
    *,
    with_payer: bool = True,
) -> Q:
    """The scope's and the filters' condition on members, at ``path``.

    ``path`` leads from the queried model to the member, such as
    ``"member__"``. The payer here is the member's own payer; amounts
    filter on the payer of the service instead (``with_payer=False``).
    """
    condition = Q()
    if scope.organization_id is not None:
        condition &= Q(**{f"{path}managing_organization_id": scope.organization_id})
    if filters.county_id is not None:
        condition &= Q(**{f"{path}county_id": filters.county_id})
    if with_payer and filters.payer_id is not None:
        condition &= Q(**{f"{path}payer_id": filters.payer_id})
    return condition


def provider_condition(
    scope: DashboardScope, filters: DashboardFilters, field: str
) -> Q:
    """The scope's and the filter's condition on a provider id at ``field``."""
    condition = Q()
    if scope.provider_ids is not None:
        condition &= Q(**{f"{field}__in": sorted(scope.provider_ids)})
    if filters.provider_id is not None:
        condition &= Q(**{field: filters.provider_id})
    return condition
