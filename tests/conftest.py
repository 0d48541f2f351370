"""People fixtures shared by the whole suite.

Provider A is 43 North Iowa, provider B is Robert Young Center. The case
manager works at Wellpoint Iowa; the outsiders work at provider B and at
another MCO, Iowa Total Care. Every permission test uses an outsider.
"""

import pytest

from accounts.models import Organization, User
from providers.models import ProviderSite
from tests.factories import UserFactory, provider_site

PROVIDER_A = "43-north-iowa"
PROVIDER_B = "robert-young-center"


@pytest.fixture
def provider_a(db: None) -> ProviderSite:
    return provider_site(PROVIDER_A)


@pytest.fixture
def provider_b(db: None) -> ProviderSite:
    return provider_site(PROVIDER_B)


@pytest.fixture
def mco(db: None) -> Organization:
    return Organization.objects.get(name="Wellpoint Iowa")


@pytest.fixture
def other_mco(db: None) -> Organization:
    return Organization.objects.get(name="Iowa Total Care")


@pytest.fixture
def specialist(provider_a: ProviderSite) -> User:
    return UserFactory(
        organization=provider_a.organization, role=User.Role.IPS_SPECIALIST
    )


@pytest.fixture
def supervisor(provider_a: ProviderSite) -> User:
    return UserFactory(
        organization=provider_a.organization, role=User.Role.IPS_SUPERVISOR
    )


@pytest.fixture
def case_manager(mco: Organization) -> User:
    return UserFactory(organization=mco, role=User.Role.CASE_MANAGER)


@pytest.fixture
def reviewer(db: None) -> User:
    return UserFactory(
        organization=Organization.objects.get(kind=Organization.Kind.STATE_PROGRAM),
        role=User.Role.PROGRAM_REVIEWER,
    )


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(
        organization=None,
        role=User.Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def outsider(provider_b: ProviderSite) -> User:
    """A specialist at another provider."""
    return UserFactory(
        organization=provider_b.organization, role=User.Role.IPS_SPECIALIST
    )


@pytest.fixture
def outsider_supervisor(provider_b: ProviderSite) -> User:
    return UserFactory(
        organization=provider_b.organization, role=User.Role.IPS_SUPERVISOR
    )


@pytest.fixture
def outsider_case_manager(other_mco: Organization) -> User:
    """A case manager at another MCO."""
    return UserFactory(organization=other_mco, role=User.Role.CASE_MANAGER)
