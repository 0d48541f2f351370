"""The access policy, role by role, always against an outsider."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from access import policy
from access.policy import Action, member_get, role_may, scope_members, scope_referrals
from accounts.models import User
from members.models import Member
from referrals.models import Referral
from tests.factories import EpisodeFactory, MemberFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_at_a(case_manager: User, specialist: User, provider_a: Any) -> Member:
    """A Wellpoint member referred to provider A, assigned to the specialist."""
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def member_at_b(outsider_case_manager: User, outsider: User, provider_b: Any) -> Member:
    """An Iowa Total Care member referred to provider B."""
    member = MemberFactory(managing_organization=outsider_case_manager.organization)
    EpisodeFactory(member=member, provider=provider_b, specialist=outsider)
    return member


def detail_status(client: Client, user: User, member: Member) -> int:
    client.force_login(user)
    return client.get(reverse("members:detail", args=[member.public_id])).status_code


def visible(user: User) -> set[Member]:
    return set(scope_members(user, Member.objects.all()))


@pytest.mark.parametrize(
    "person",
    ["case_manager", "specialist", "supervisor"],
)
def test_people_at_a_see_a_member_and_not_b_member(
    request: pytest.FixtureRequest,
    client: Client,
    person: str,
    member_at_a: Member,
    member_at_b: Member,
) -> None:
    user = request.getfixturevalue(person)

    assert visible(user) == {member_at_a}
    assert detail_status(client, user, member_at_a) == 200
    assert detail_status(client, user, member_at_b) == 404


@pytest.mark.parametrize(
    "outsider_name",
    ["outsider", "outsider_supervisor", "outsider_case_manager"],
)
def test_outsiders_get_404_for_a_member_outside_their_scope(
    request: pytest.FixtureRequest,
    client: Client,
    outsider_name: str,
    member_at_a: Member,
    member_at_b: Member,
) -> None:
    user = request.getfixturevalue(outsider_name)

    assert visible(user) == {member_at_b}
    assert detail_status(client, user, member_at_a) == 404


def test_member_list_page_shows_only_members_in_scope(
    client: Client, outsider: User, member_at_a: Member, member_at_b: Member
) -> None:
    client.force_login(outsider)

    page = client.get(reverse("members:list"))

    assert list(page.context["page"]) == [member_at_b]
    assert str(member_at_a.public_id) not in page.content.decode()


def test_reviewer_reads_across_providers_but_cannot_edit(
    client: Client, reviewer: User, member_at_a: Member, member_at_b: Member
) -> None:
    assert visible(reviewer) == {member_at_a, member_at_b}
    assert detail_status(client, reviewer, member_at_b) == 200

    with pytest.raises(PermissionDenied):
        member_get(reviewer, member_at_a.public_id, Action.EDIT_MEMBER)
    assert not role_may(reviewer, Action.AUTHORIZE_SERVICES)
    assert not role_may(reviewer, Action.LOG_SERVICES)
    assert role_may(reviewer, Action.RECORD_FIDELITY_REVIEW)


def test_administrator_sees_no_member_records(
    client: Client, administrator: User, member_at_a: Member
) -> None:
    assert visible(administrator) == set()
    assert detail_status(client, administrator, member_at_a) == 404
    client.force_login(administrator)
    assert client.get(reverse("members:list")).status_code == 403


def test_administrator_with_a_member_facing_role_sees_that_scope(
    client: Client, case_manager: User, member_at_a: Member, member_at_b: Member
) -> None:
    case_manager.is_staff = True
    case_manager.save()

    assert visible(case_manager) == {member_at_a}


def test_roles_hold_distinct_permissions(
    case_manager: User, specialist: User, supervisor: User
) -> None:
    assert role_may(case_manager, Action.AUTHORIZE_SERVICES)
    assert not role_may(case_manager, Action.LOG_SERVICES)
    assert role_may(specialist, Action.LOG_SERVICES)
    assert not role_may(specialist, Action.RESPOND_TO_REFERRAL)
    assert not role_may(specialist, Action.AUTHORIZE_SERVICES)
    assert role_may(supervisor, Action.RESPOND_TO_REFERRAL)
    assert role_may(supervisor, Action.REASSIGN_CASELOAD)


def test_specialists_narrowed_to_own_caseload_when_provider_asks(
    client: Client,
    provider_a: Any,
    specialist: User,
    supervisor: User,
    member_at_a: Member,
) -> None:
    colleague = UserFactory(
        organization=provider_a.organization, role=User.Role.IPS_SPECIALIST
    )
    assert detail_status(client, colleague, member_at_a) == 200

    provider_a.specialists_see_own_caseload_only = True
    provider_a.save()
    colleague.refresh_from_db()

    assert detail_status(client, colleague, member_at_a) == 404
    assert detail_status(client, specialist, member_at_a) == 200
    assert detail_status(client, supervisor, member_at_a) == 200


def test_provider_that_redirected_keeps_the_referral_not_the_member(
    client: Client, supervisor: User, provider_a: Any
) -> None:
    member = MemberFactory()
    referral = ReferralFactory(member=member, provider=provider_a)
    assert detail_status(client, supervisor, member) == 200

    referral.status = Referral.Status.REDIRECTED
    referral.save()

    assert detail_status(client, supervisor, member) == 404
    assert list(scope_referrals(supervisor, Referral.objects.all())) == [referral]


def test_provider_sees_member_of_a_pending_referral(
    client: Client, supervisor: User, outsider_supervisor: User, provider_a: Any
) -> None:
    member = MemberFactory()
    ReferralFactory(member=member, provider=provider_a)

    assert detail_status(client, supervisor, member) == 200
    assert detail_status(client, outsider_supervisor, member) == 404


def test_old_organization_loses_access_when_case_management_moves(
    client: Client,
    case_manager: User,
    outsider_case_manager: User,
    member_at_a: Member,
) -> None:
    member_at_a.managing_organization = outsider_case_manager.organization
    member_at_a.save()

    assert detail_status(client, case_manager, member_at_a) == 404
    assert detail_status(client, outsider_case_manager, member_at_a) == 200


def test_referral_scope_filters_lists_for_each_side(
    case_manager: User,
    outsider_case_manager: User,
    outsider: User,
    member_at_a: Member,
    member_at_b: Member,
) -> None:
    def members_of(user: User) -> set[Member]:
        return {r.member for r in scope_referrals(user, Referral.objects.all())}

    assert members_of(case_manager) == {member_at_a}
    assert members_of(outsider_case_manager) == {member_at_b}
    assert members_of(outsider) == {member_at_b}


def test_inactive_and_anonymous_users_see_nothing(
    client: Client, case_manager: User, member_at_a: Member
) -> None:
    url = reverse("members:detail", args=[member_at_a.public_id])
    assert client.get(url).status_code == 302

    case_manager.is_active = False
    case_manager.save()
    assert visible(case_manager) == set()


def test_unknown_member_id_is_404_like_an_out_of_scope_one(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)
    url = reverse("members:detail", args=["00000000-0000-4000-8000-000000000000"])

    assert client.get(url).status_code == 404


recorded: list[dict[str, Any]] = []


def remember_read(**kwargs: Any) -> None:
    recorded.append(kwargs)


def test_every_member_read_passes_through_the_recording_hook(
    client: Client, settings: Any, case_manager: User, member_at_a: Member
) -> None:
    settings.MEMBER_READ_RECORDERS = ["tests.access.test_policy.remember_read"]
    policy._recorders.cache_clear()
    recorded.clear()
    client.force_login(case_manager)

    try:
        client.get(reverse("members:list"))
        client.get(reverse("members:detail", args=[member_at_a.public_id]))
    finally:
        policy._recorders.cache_clear()

    assert [r["purpose"] for r in recorded] == ["member.list", "member.view"]
    assert all(r["member_ids"] == [member_at_a.pk] for r in recorded)
    assert all(r["actor"] == case_manager for r in recorded)


def test_switching_off_an_organization_switches_off_its_people(
    client: Client, case_manager: User, supervisor: User, member_at_a: Member
) -> None:
    for person in (case_manager, supervisor):
        person.organization.is_active = False
        person.organization.save()
        person.refresh_from_db()

        assert visible(person) == set()
        assert detail_status(client, person, member_at_a) == 404


def test_the_former_provider_loses_the_member_after_an_exit_or_a_move(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    outsider: User,
    provider_b: Any,
    member_at_a: Member,
) -> None:
    member_at_a.episodes.update(closed_on=datetime.date(2026, 6, 30))

    assert detail_status(client, supervisor, member_at_a) == 404
    assert detail_status(client, specialist, member_at_a) == 404
    assert detail_status(client, case_manager, member_at_a) == 200

    EpisodeFactory(member=member_at_a, provider=provider_b, specialist=outsider,
                   opened_on=datetime.date(2026, 7, 6))  # fmt: skip

    assert detail_status(client, outsider, member_at_a) == 200
    assert detail_status(client, supervisor, member_at_a) == 404
