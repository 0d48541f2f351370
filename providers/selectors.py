"""Reads of counties and provider sites for pages and forms."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from providers.models import County, CountyAlias, ProviderSite, ServiceArea
from providers.rules import county_name_key


def county_find(name: str) -> County | None:
    """Return the county a spelling means, or None when it means none.

    Matches the county's own name key first, then the known misspellings.
    Never creates a county: Iowa has 99.
    """
    key = county_name_key(name)
    if not key:
        return None
    county = County.objects.filter(name_key=key).first()
    if county is None:
        alias = (
            CountyAlias.objects.select_related("county").filter(name_key=key).first()
        )
        county = alias.county if alias else None
    return county


def provider_list_for_directory() -> QuerySet[ProviderSite]:
    """Return active provider sites with their counties and staff.

    Three queries whatever the number of sites: sites, service areas with
    their counties, and staff.
    """
    staff = User.objects.filter(
        is_active=True,
        is_api_client=False,
        role__in=[User.Role.IPS_SUPERVISOR, User.Role.IPS_SPECIALIST],
    ).order_by("-role", "last_name", "first_name")
    areas = ServiceArea.objects.select_related("county").order_by(
        "status", "county__name"
    )
    return (
        ProviderSite.objects.select_related("organization")
        .filter(organization__is_active=True)
        .prefetch_related(
            Prefetch("service_areas", queryset=areas, to_attr="areas"),
            Prefetch("organization__users", queryset=staff, to_attr="staff"),
        )
    )


@dataclass(frozen=True)
class ProviderSuggestions:
    """Providers for a county: serving it now, planning to, and the rest."""

    county: County
    serving: list[ProviderSite]
    planned: list[ProviderSite]
    others: list[ProviderSite]

    @property
    def has_current_provider(self) -> bool:
        return bool(self.serving)


def provider_suggestions_for_county(
    county: County, sites: list[ProviderSite] | None = None
) -> ProviderSuggestions:
    """Split provider sites by how they serve a county.

    A member in a county no provider serves yet can still be referred: the
    caller says so plainly and offers the providers planning to serve it,
    then all the others. Takes sites from ``provider_list_for_directory``
    (loaded here when not given), so it adds no queries of its own.
    """
    if sites is None:
        sites = list(provider_list_for_directory())

    serving, planned, others = [], [], []
    for site in sites:
        areas: list[ServiceArea] = site.areas  # type: ignore[attr-defined]  # prefetched to_attr
        statuses = {area.status for area in areas if area.county_id == county.pk}
        if ServiceArea.Status.CURRENT in statuses:
            serving.append(site)
        elif ServiceArea.Status.PLANNED in statuses:
            planned.append(site)
        else:
            others.append(site)
    return ProviderSuggestions(county, serving, planned, others)
