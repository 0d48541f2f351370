"""member_create, member_update and the Medicaid ID rules they apply."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organization, User
from members.models import Member
from members.services import (
    PossibleDuplicate,
    medicaid_id_clean,
    member_create,
    member_update,
)
from payers.models import Payer
from providers.models import County
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(1990, 3, 14)


def payer(short_name: str) -> Payer:
    return Payer.objects.get(short_name=short_name)


def member_data(**changes: Any) -> dict[str, Any]:
    """What the member form hands the service, for a Wellpoint member."""
    data = {
        "first_name": "Ottoline",
        "last_name": "Brackenridge",
        "birth_date": BIRTH_DATE,
        "county": County.objects.get(name="Polk"),
        "payer": payer("Wellpoint"),
        "case_manager": None,
        "diagnosis_category": Member.DiagnosisCategory.SMI,
        "medicaid_id": "1234567A",
        "ivrs_counselor_name": "",
        "ivrs_counselor_phone": "",
        "ivrs_counselor_email": "",
        "benefits_planning": Member.BenefitsPlanning.NOT_YET,
        "benefits_planning_on": None,
    }
    data.update(changes)
    return data


def field_errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return error.value.message_dict


# Medicaid ID: required for Medicaid, optional otherwise, valid when present.


@pytest.mark.parametrize("short_name", ["IME", "Wellpoint", "ITC", "Molina"])
@pytest.mark.parametrize("typed", [None, "", "  ", "--"])
def test_a_medicaid_id_is_required_for_ime_and_mco_members(
    short_name: str, typed: str | None
) -> None:
    with pytest.raises(ValidationError) as error:
        medicaid_id_clean(typed, payer=payer(short_name))

    assert list(field_errors(error)) == ["medicaid_id"]
    assert "required" in field_errors(error)["medicaid_id"][0]


@pytest.mark.parametrize("short_name", ["IVRS", "SNMIS"])
@pytest.mark.parametrize("typed", [None, "", "  "])
def test_ivrs_and_snmis_members_may_have_no_medicaid_id_stored_as_null(
    short_name: str, typed: str | None
) -> None:
    assert medicaid_id_clean(typed, payer=payer(short_name)) is None


@pytest.mark.parametrize("short_name", ["IME", "Wellpoint", "IVRS", "SNMIS"])
def test_a_typed_medicaid_id_is_stored_normalized_whatever_the_payer(
    short_name: str,
) -> None:
    assert medicaid_id_clean("123-4567 a", payer=payer(short_name)) == "1234567A"


@pytest.mark.parametrize("short_name", ["Wellpoint", "IVRS"])
@pytest.mark.parametrize("typed", ["123456A", "12345678", "1234567AB", "A1234567"])
def test_a_malformed_medicaid_id_is_a_field_error_even_where_optional(
    short_name: str, typed: str
) -> None:
    with pytest.raises(ValidationError) as error:
        medicaid_id_clean(typed, payer=payer(short_name))

    assert "seven digits and a letter" in field_errors(error)["medicaid_id"][0]


# member_create


def test_member_create_saves_a_normalized_id_in_the_actors_organization(
    case_manager: User,
) -> None:
    member = member_create(
        actor=case_manager, data=member_data(medicaid_id=" 123-4567a ")
    )

    member.refresh_from_db()
    assert member.medicaid_id == "1234567A"
    assert member.managing_organization == case_manager.organization


def test_the_managing_organization_is_the_actors_not_the_payers(
    outsider_case_manager: User,
) -> None:
    """An Iowa Total Care case manager adds a member whose payer is Wellpoint."""
    member = member_create(
        actor=outsider_case_manager, data=member_data(payer=payer("Wellpoint"))
    )

    assert member.managing_organization == outsider_case_manager.organization
    assert member.managing_organization != Organization.objects.get(
        name="Wellpoint Iowa"
    )


def test_member_create_records_the_actor_in_history(case_manager: User) -> None:
    member = member_create(actor=case_manager, data=member_data())

    assert member.history.count() == 1
    assert member.history.first().history_user == case_manager


def test_member_update_records_the_actor_in_history(case_manager: User) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)

    member_update(
        actor=case_manager,
        member=member,
        data=member_data(first_name="Renamed", medicaid_id=member.medicaid_id),
    )

    assert member.history.first().history_user == case_manager
    assert member.history.first().first_name == "Renamed"


@pytest.mark.parametrize("short_name", ["IVRS", "SNMIS"])
def test_two_members_without_a_medicaid_id_are_both_saved(
    case_manager: User, short_name: str
) -> None:
    first = member_create(
        actor=case_manager,
        data=member_data(payer=payer(short_name), medicaid_id=""),
    )
    second = member_create(
        actor=case_manager,
        data=member_data(
            first_name="Someone", payer=payer(short_name), medicaid_id=None
        ),
    )

    assert first.medicaid_id is None
    assert second.medicaid_id is None
    assert Member.objects.filter(medicaid_id__isnull=True).count() == 2


def test_a_medicaid_id_already_used_is_refused_with_nothing_saved(
    case_manager: User,
) -> None:
    MemberFactory(medicaid_id="1234567A")
    before = Member.objects.count()

    with pytest.raises(ValidationError) as error:
        member_create(
            actor=case_manager,
            data=member_data(first_name="Another", medicaid_id="1234567a"),
        )

    assert list(field_errors(error)) == ["medicaid_id"]
    assert "already recorded" in field_errors(error)["medicaid_id"][0]
    assert Member.objects.count() == before


def test_a_medicaid_id_used_in_another_organization_is_also_refused(
    case_manager: User, outsider_case_manager: User
) -> None:
    MemberFactory(
        managing_organization=outsider_case_manager.organization,
        medicaid_id="7654321B",
    )

    with pytest.raises(ValidationError) as error:
        member_create(actor=case_manager, data=member_data(medicaid_id="7654321B"))

    assert "already recorded" in field_errors(error)["medicaid_id"][0]


def test_a_full_width_spelling_of_an_id_in_use_is_refused(case_manager: User) -> None:
    MemberFactory(medicaid_id="1234567A")
    full_width = "\uff11\uff12\uff13\uff14\uff15\uff16\uff17A"

    with pytest.raises(ValidationError):
        member_create(
            actor=case_manager,
            data=member_data(first_name="Another", medicaid_id=full_width),
        )


def test_keeping_the_members_own_medicaid_id_on_update_is_no_conflict(
    case_manager: User,
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization, medicaid_id="1234567A"
    )

    member_update(
        actor=case_manager,
        member=member,
        data=member_data(medicaid_id="1234567a", last_name="Changed"),
    )

    member.refresh_from_db()
    assert (member.medicaid_id, member.last_name) == ("1234567A", "Changed")


def test_update_to_an_id_in_use_is_refused_and_the_record_is_unchanged(
    case_manager: User,
) -> None:
    MemberFactory(medicaid_id="1234567A")
    member = MemberFactory(
        managing_organization=case_manager.organization, medicaid_id="2222222B"
    )

    with pytest.raises(ValidationError) as error:
        member_update(
            actor=case_manager,
            member=member,
            data=member_data(medicaid_id="1234567A", last_name="Changed"),
        )

    assert "medicaid_id" in field_errors(error)
    member.refresh_from_db()
    assert (member.medicaid_id, member.last_name) == ("2222222B", "Sample")


def test_moving_a_member_to_a_medicaid_payer_requires_an_id(
    case_manager: User,
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        payer=payer("IVRS"),
        medicaid_id=None,
    )

    with pytest.raises(ValidationError) as error:
        member_update(
            actor=case_manager,
            member=member,
            data=member_data(payer=payer("IME"), medicaid_id=""),
        )

    assert "medicaid_id" in field_errors(error)
    member.refresh_from_db()
    assert member.payer == payer("IVRS")


# Possible duplicates


def test_same_name_and_birth_date_in_the_actors_organization_warns(
    case_manager: User,
) -> None:
    existing = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date=BIRTH_DATE,
    )
    before = Member.objects.count()

    with pytest.raises(PossibleDuplicate) as warning:
        member_create(
            actor=case_manager,
            data=member_data(first_name=" ottoline ", last_name="BRACKENRIDGE"),
        )

    assert warning.value.matches == [existing]
    assert Member.objects.count() == before


def test_same_name_with_another_birth_date_does_not_warn(case_manager: User) -> None:
    MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date=BIRTH_DATE + datetime.timedelta(days=1),
    )

    member = member_create(actor=case_manager, data=member_data())

    assert member.pk is not None


def test_a_same_named_member_of_another_organization_does_not_warn(
    case_manager: User, outsider_case_manager: User
) -> None:
    MemberFactory(
        managing_organization=outsider_case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date=BIRTH_DATE,
    )

    member = member_create(actor=case_manager, data=member_data())

    assert member.managing_organization == case_manager.organization


def test_duplicate_seen_saves_despite_a_same_named_member(case_manager: User) -> None:
    existing = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date=BIRTH_DATE,
    )

    member = member_create(actor=case_manager, data=member_data(), duplicate_seen=True)

    assert member.pk != existing.pk
    assert (
        Member.objects.filter(first_name="Ottoline", birth_date=BIRTH_DATE).count() == 2
    )


def test_duplicate_seen_does_not_bypass_the_medicaid_id_check(
    case_manager: User,
) -> None:
    MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date=BIRTH_DATE,
        medicaid_id="1234567A",
    )

    with pytest.raises(ValidationError):
        member_create(actor=case_manager, data=member_data(), duplicate_seen=True)


# Case manager and roles


def test_a_case_manager_of_the_actors_organization_may_be_assigned(
    case_manager: User, mco: Organization
) -> None:
    colleague = UserFactory(organization=mco, role=User.Role.CASE_MANAGER)

    member = member_create(actor=case_manager, data=member_data(case_manager=colleague))

    assert member.case_manager == colleague


def test_a_case_manager_of_another_organization_is_refused(
    case_manager: User, outsider_case_manager: User
) -> None:
    before = Member.objects.count()

    with pytest.raises(ValidationError) as error:
        member_create(
            actor=case_manager,
            data=member_data(case_manager=outsider_case_manager),
        )

    assert list(field_errors(error)) == ["case_manager"]
    assert Member.objects.count() == before


def test_a_specialist_of_the_actors_own_organization_is_no_case_manager(
    case_manager: User, mco: Organization
) -> None:
    not_a_case_manager = UserFactory(organization=mco, role=User.Role.IPS_SPECIALIST)

    with pytest.raises(ValidationError) as error:
        member_create(
            actor=case_manager, data=member_data(case_manager=not_a_case_manager)
        )

    assert "case_manager" in field_errors(error)


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "reviewer", "administrator", "outsider"]
)
def test_only_case_managers_may_add_members(
    request: pytest.FixtureRequest, person: str
) -> None:
    user = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        member_create(actor=user, data=member_data())

    assert not Member.objects.filter(first_name="Ottoline").exists()
