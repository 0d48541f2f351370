"""What every fresh database holds, straight from the data migrations."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from accounts.models import Organization, User
from payers.models import FeeRate, FeeSchedule, Payer
from providers.models import County, ProviderSite, ServiceArea

pytestmark = pytest.mark.django_db


def test_iowa_has_99_counties_numbered_by_fips_code() -> None:
    counties = list(County.objects.order_by("fips_code"))

    assert len(counties) == 99
    assert counties[0].name == "Adair" and counties[0].fips_code == "19001"
    assert counties[-1].name == "Wright" and counties[-1].fips_code == "19197"
    assert County.objects.get(name="Polk").fips_code == "19153"
    assert County.objects.get(name="Scott").fips_code == "19163"
    assert County.objects.get(name="Black Hawk").fips_code == "19013"
    assert County.objects.get(name="O'Brien").fips_code == "19141"


def test_eight_provider_sites_with_current_and_planned_counties() -> None:
    assert ProviderSite.objects.count() == 8

    goodwill = ProviderSite.objects.get(slug="goodwill-ne-iowa")
    by_status = {
        status: sorted(
            goodwill.service_areas.filter(status=status).values_list(
                "county__name", flat=True
            )
        )
        for status in ("current", "planned")
    }
    assert by_status == {
        "current": ["Black Hawk"],
        "planned": ["Buchanan", "Delaware", "Dubuque", "Fayette", "Winneshiek"],
    }
    hope_haven = ProviderSite.objects.get(slug="hope-haven-inc")
    assert hope_haven.service_areas.filter(status="current").count() == 9
    assert ServiceArea.objects.filter(status="current").count() == 38
    assert ServiceArea.objects.filter(status="planned").count() == 8


def test_provider_numbers_are_visibly_fake() -> None:
    numbers = ProviderSite.objects.values_list("medicaid_provider_number", flat=True)

    assert all(number.startswith("DEMO-") for number in numbers)


def test_each_site_has_one_supervisor_and_one_to_five_specialists() -> None:
    for site in ProviderSite.objects.select_related("organization"):
        staff = User.objects.filter(organization=site.organization)
        assert staff.filter(role=User.Role.IPS_SUPERVISOR).count() == 1
        assert 1 <= staff.filter(role=User.Role.IPS_SPECIALIST).count() <= 5
        # Reference data carries no usable password.
        assert not any(person.has_usable_password() for person in staff)


def test_organizations_of_every_kind_exist() -> None:
    kinds = set(Organization.objects.values_list("kind", flat=True))

    assert kinds == {kind.value for kind in Organization.Kind}


def test_payers_and_the_posted_schedule_from_fiscal_2026() -> None:
    assert Payer.objects.count() == 6
    assert Payer.objects.filter(kind="medicaid_mco").count() == 3

    posted = FeeSchedule.objects.get(payer__isnull=True)
    assert posted.effective_on.isoformat() == "2025-07-01"
    assert posted.rates.count() == 9
    milestones = FeeRate.objects.filter(
        schedule=posted, service__startswith="T2018"
    ).aggregate(total=Sum("rate"))
    assert milestones["total"] == Decimal("7231.06")


def test_reference_data_starts_with_a_history_entry() -> None:
    polk = County.objects.get(name="Polk")
    posted = FeeSchedule.objects.get(payer__isnull=True)

    assert polk.history.get().history_type == "+"
    assert (
        posted.history.get().history_change_reason == "Loaded with the reference data"
    )
    assert FeeRate.history.count() == FeeRate.objects.count()
