"""Adding and editing a member: errors by the field, nothing saved on error."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from members.models import Member
from payers.models import Payer
from providers.models import County
from tests.factories import MemberFactory
from tests.pages import errors_next_to_named as errors_next_to
from tests.pages import field_block_named as field_block

pytestmark = pytest.mark.django_db


def form_post(**changes: Any) -> dict[str, Any]:
    """A complete, valid member form for a Wellpoint member in Polk County."""
    data = {
        "first_name": "Ottoline",
        "last_name": "Brackenridge",
        "birth_date": "1990-03-14",
        "county": County.objects.get(name="Polk").pk,
        "payer": Payer.objects.get(short_name="Wellpoint").pk,
        "medicaid_id": "1234567A",
        "diagnosis_category": Member.DiagnosisCategory.SMI,
        "case_manager": "",
        "ivrs_counselor_name": "",
        "ivrs_counselor_phone": "",
        "ivrs_counselor_email": "",
        "benefits_planning": Member.BenefitsPlanning.NOT_YET,
        "benefits_planning_on": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def signed_in(client: Client, case_manager: User) -> Client:
    client.force_login(case_manager)
    return client


CREATE = reverse("members:create")


def edit_url(member: Member) -> str:
    return reverse("members:edit", args=[member.public_id])


# Adding a member


def test_a_valid_form_adds_a_member_to_the_case_managers_organization(
    signed_in: Client, case_manager: User
) -> None:
    response = signed_in.post(CREATE, form_post(medicaid_id="123-4567 a"))

    member = Member.objects.get(last_name="Brackenridge")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.public_id])
    assert member.managing_organization == case_manager.organization
    assert member.medicaid_id == "1234567A"
    assert member.history.first().history_user == case_manager


def test_an_ivrs_member_without_a_medicaid_id_is_saved_with_null(
    signed_in: Client,
) -> None:
    ivrs = Payer.objects.get(short_name="IVRS").pk

    response = signed_in.post(CREATE, form_post(payer=ivrs, medicaid_id=""))

    assert response.status_code == 302
    assert Member.objects.get(last_name="Brackenridge").medicaid_id is None


def test_a_malformed_medicaid_id_is_shown_by_the_field_and_nothing_saved(
    signed_in: Client,
) -> None:
    before = Member.objects.count()

    response = signed_in.post(CREATE, form_post(medicaid_id="12-34567"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "seven digits and a letter" in errors_next_to(page, "medicaid_id")
    assert 'value="12-34567"' in field_block(page, "medicaid_id")
    assert 'value="Ottoline"' in field_block(page, "first_name")
    assert "Nothing was saved" in page
    assert Member.objects.count() == before


def test_a_missing_medicaid_id_for_an_mco_member_is_shown_by_the_field(
    signed_in: Client,
) -> None:
    before = Member.objects.count()

    response = signed_in.post(CREATE, form_post(medicaid_id=""))

    page = response.content.decode()
    assert "required for IME and MCO members" in errors_next_to(page, "medicaid_id")
    assert Member.objects.count() == before


def test_an_already_used_medicaid_id_is_shown_by_the_field(signed_in: Client) -> None:
    MemberFactory(medicaid_id="1234567A")
    before = Member.objects.count()

    response = signed_in.post(CREATE, form_post(medicaid_id="1234567a"))

    page = response.content.decode()
    assert "already recorded" in errors_next_to(page, "medicaid_id")
    assert 'value="1234567a"' in field_block(page, "medicaid_id")
    assert Member.objects.count() == before


def test_missing_required_fields_are_each_marked_and_typed_values_kept(
    signed_in: Client,
) -> None:
    before = Member.objects.count()

    response = signed_in.post(
        CREATE,
        form_post(last_name="", birth_date="", county="", diagnosis_category=""),
    )

    page = response.content.decode()
    for name in ("last_name", "birth_date", "county", "diagnosis_category"):
        assert "This field is required." in errors_next_to(page, name)
        assert "field--invalid" in field_block(page, name)
    assert errors_next_to(page, "first_name") == ""
    assert 'value="Ottoline"' in field_block(page, "first_name")
    assert 'value="1234567A"' in field_block(page, "medicaid_id")
    assert Member.objects.count() == before


def test_an_unreadable_birth_date_is_shown_by_the_field(signed_in: Client) -> None:
    response = signed_in.post(CREATE, form_post(birth_date="14 March"))

    page = response.content.decode()
    assert "Enter a date like" in errors_next_to(page, "birth_date")
    assert 'value="14 March"' in field_block(page, "birth_date")
    assert not Member.objects.filter(last_name="Brackenridge").exists()


def test_a_case_manager_id_from_another_organization_is_refused_by_the_field(
    signed_in: Client, outsider_case_manager: User
) -> None:
    before = Member.objects.count()

    response = signed_in.post(CREATE, form_post(case_manager=outsider_case_manager.pk))

    page = response.content.decode()
    assert "Select a valid choice" in errors_next_to(page, "case_manager")
    assert outsider_case_manager.get_full_name() not in page
    assert Member.objects.count() == before


@pytest.mark.parametrize("person", ["specialist", "reviewer", "outsider"])
def test_people_who_do_not_manage_cases_get_403_on_create(
    client: Client, request: pytest.FixtureRequest, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_post()).status_code == 403
    assert not Member.objects.filter(last_name="Brackenridge").exists()


# The duplicate warning


def test_a_same_named_member_brings_the_warning_and_a_second_post_saves(
    signed_in: Client, case_manager: User
) -> None:
    existing = MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date="1990-03-14",
    )
    before = Member.objects.count()

    first = signed_in.post(CREATE, form_post(medicaid_id="7777777C"))

    page = first.content.decode()
    assert first.status_code == 200
    assert "Is this someone already on file?" in page
    assert reverse("members:detail", args=[existing.public_id]) in page
    assert 'name="duplicate_seen"' in page
    assert 'value="7777777C"' in field_block(page, "medicaid_id")
    assert Member.objects.count() == before

    second = signed_in.post(
        CREATE, form_post(medicaid_id="7777777C", duplicate_seen="on")
    )

    assert second.status_code == 302
    assert Member.objects.count() == before + 1
    assert Member.objects.get(medicaid_id="7777777C").pk != existing.pk


def test_the_first_form_has_no_duplicate_checkbox(signed_in: Client) -> None:
    page = signed_in.get(CREATE).content.decode()

    assert 'name="duplicate_seen"' not in page
    assert "Is this someone already on file?" not in page


def test_a_same_named_member_of_another_organization_brings_no_warning(
    signed_in: Client, outsider_case_manager: User
) -> None:
    MemberFactory(
        managing_organization=outsider_case_manager.organization,
        first_name="Ottoline",
        last_name="Brackenridge",
        birth_date="1990-03-14",
    )

    response = signed_in.post(CREATE, form_post())

    assert response.status_code == 302


# Editing a member


@pytest.fixture
def member(case_manager: User) -> Member:
    return MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ludmila",
        last_name="Ferncastle",
        medicaid_id="2345678B",
    )


def test_the_edit_form_starts_from_the_record(
    signed_in: Client, member: Member
) -> None:
    page = signed_in.get(edit_url(member)).content.decode()

    assert 'value="Ludmila"' in field_block(page, "first_name")
    assert 'value="2345678B"' in field_block(page, "medicaid_id")


def test_a_valid_edit_saves_and_names_the_editor_in_history(
    signed_in: Client, member: Member, case_manager: User
) -> None:
    response = signed_in.post(
        edit_url(member),
        form_post(first_name="Ludmila", last_name="Ferncastle-Hart", medicaid_id=""),
    )

    assert response.status_code == 200  # the Wellpoint member still needs an ID
    response = signed_in.post(
        edit_url(member),
        form_post(
            first_name="Ludmila", last_name="Ferncastle-Hart", medicaid_id="2345678b"
        ),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Ferncastle-Hart"
    assert member.medicaid_id == "2345678B"
    assert member.history.first().history_user == case_manager


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"medicaid_id": "ABC"}, "medicaid_id", "seven digits and a letter"),
        ({"medicaid_id": ""}, "medicaid_id", "required for IME and MCO"),
        ({"last_name": ""}, "last_name", "This field is required."),
        ({"county": ""}, "county", "This field is required."),
        ({"case_manager": "outsider"}, "case_manager", "Select a valid choice"),
        (
            {"benefits_planning": "completed"},
            "benefits_planning_on",
            "Give the date benefits planning took place",
        ),
    ],
)
def test_bad_input_on_edit_is_shown_by_the_field_and_the_record_is_unchanged(
    signed_in: Client,
    member: Member,
    outsider_case_manager: User,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    if changes.get("case_manager") == "outsider":
        changes = {"case_manager": str(outsider_case_manager.pk)}
    typed = form_post(first_name="Typed-Name", **changes)
    history_before = member.history.count()

    response = signed_in.post(edit_url(member), typed)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in errors_next_to(page, field)
    assert 'value="Typed-Name"' in field_block(page, "first_name")
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.medicaid_id) == (
        "Ludmila",
        "Ferncastle",
        "2345678B",
    )
    assert member.history.count() == history_before


def test_an_id_already_used_is_refused_on_edit(
    signed_in: Client, member: Member
) -> None:
    MemberFactory(medicaid_id="1234567A")

    response = signed_in.post(
        edit_url(member),
        form_post(first_name="Ludmila", last_name="Ferncastle", medicaid_id="1234567A"),
    )

    assert "already recorded" in errors_next_to(
        response.content.decode(), "medicaid_id"
    )
    member.refresh_from_db()
    assert member.medicaid_id == "2345678B"


def test_an_outsider_case_manager_gets_404_on_edit(
    client: Client, member: Member, outsider_case_manager: User
) -> None:
    client.force_login(outsider_case_manager)

    assert client.get(edit_url(member)).status_code == 404
    assert (
        client.post(edit_url(member), form_post(last_name="Taken")).status_code == 404
    )
    member.refresh_from_db()
    assert member.last_name == "Ferncastle"


def test_an_outsider_specialist_gets_404_on_edit(
    client: Client, member: Member, outsider: User
) -> None:
    client.force_login(outsider)

    assert client.get(edit_url(member)).status_code == 404
