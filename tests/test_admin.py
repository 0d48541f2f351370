"""The Django admin: reference data with history, and no member records."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from providers.models import County
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


def test_reference_data_pages_open_for_administrators(admin_client: Client) -> None:
    for name in (
        "providers_county_changelist",
        "providers_providersite_changelist",
        "providers_servicearea_changelist",
        "payers_payer_changelist",
        "payers_feeschedule_changelist",
        "payers_feerate_changelist",
        "accounts_organization_changelist",
        "accounts_user_changelist",
    ):
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200, name


def test_editing_a_county_alias_keeps_history(admin_client: Client) -> None:
    polk = County.objects.get(name="Polk")
    url = reverse("admin:providers_county_change", args=[polk.pk])

    response = admin_client.post(
        url,
        {
            "name": "Polk",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-spelling": "Pollk",
        },
    )

    assert response.status_code == 302
    assert polk.aliases.get().history.get().history_user.role == "administrator"


def test_no_100th_county_can_be_added_or_one_removed(admin_client: Client) -> None:
    polk = County.objects.get(name="Polk")

    assert admin_client.get(reverse("admin:providers_county_add")).status_code == 403
    delete = reverse("admin:providers_county_delete", args=[polk.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert County.objects.count() == 99


@pytest.mark.parametrize("spelling", ["POLK", "Polk County", "???"])
def test_an_alias_that_is_already_a_county_or_has_no_letters_is_refused(
    admin_client: Client, spelling: str
) -> None:
    story = County.objects.get(name="Story")
    url = reverse("admin:providers_county_change", args=[story.pk])

    response = admin_client.post(
        url,
        {
            "name": "Story",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-spelling": spelling,
        },
    )

    assert response.status_code == 200
    assert not story.aliases.exists()


def test_delete_pages_never_name_a_member(
    admin_client: Client, case_manager: User, provider_a: object
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Wilhelmina",
        last_name="Zarkovsky",
    )
    EpisodeFactory(member=member, provider=provider_a)
    wellpoint = Organization.objects.get(name="Wellpoint Iowa")

    page = admin_client.get(
        reverse("admin:accounts_organization_delete", args=[wellpoint.pk])
    ).content.decode()

    assert "Wilhelmina" not in page and "Zarkovsky" not in page
    assert str(member.public_id) in page


def test_administrators_cannot_change_their_own_scope(
    admin_client: Client, administrator: User
) -> None:
    url = reverse("admin:accounts_user_change", args=[administrator.pk])

    form = admin_client.get(url).context["adminform"].form

    for field in ("role", "organization", "is_staff", "is_superuser"):
        assert field not in form.fields


def test_member_records_are_not_in_the_admin(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "/admin/members/" not in page
    assert "/admin/referrals/" not in page
    assert "/admin/milestones/" not in page
