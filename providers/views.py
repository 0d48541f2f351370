from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.dates import iowa_today
from fidelity.selectors import fidelity_status_attach
from providers.models import County
from providers.selectors import (
    county_find,
    provider_list_for_directory,
    provider_suggestions_for_county,
)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """The IPS provider directory, filterable by county.

    The county filter is reference data, not member data, so it may live in
    the query string and be bookmarked.
    """
    counties = list(County.objects.order_by("name"))
    asked = request.GET.get("county", "").strip()[:60]
    county = next((c for c in counties if c.fips_code == asked), None)
    if county is None and asked and not asked.isdigit():
        # A name typed into the address bar, in any of its spellings.
        county = county_find(asked)
    sites = list(provider_list_for_directory())
    fidelity_status_attach(sites, iowa_today())

    suggestions = None
    if county is not None:
        suggestions = provider_suggestions_for_county(county, sites)
    return render(
        request,
        "providers/directory.html",
        {
            "counties": counties,
            "county": county,
            "county_not_found": bool(asked) and county is None,
            "sites": sites,
            "suggestions": suggestions,
        },
    )
