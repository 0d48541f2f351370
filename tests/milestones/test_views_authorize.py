import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(case_manager: User, provider_a: object) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a)
    return member


def url(member: Member) -> str:
    return reverse("milestones:authorize", args=[member.public_id])


def iowa_example_post(**changes: str) -> dict[str, str]:
    data = {
        "payer": "",
        "authorized_on": "2026-01-20",
        "plan_dated_on": "2026-01-15",
        "plan_reference": "PCSP-0042",
        "plan_starts_on": "2026-02-01",
        "job_expected_in": "2026-04",
        "authorize": "1",
    }
    windows = {
        1: ("2026-02-01", "2026-03-31"),
        2: ("2026-04-01", "2026-04-30"),
        3: ("2026-05-01", "2026-05-31"),
        4: ("2026-07-01", "2026-07-31"),
    }
    for n, (begins, ends) in windows.items():
        data.update(
            {
                f"m{n}-include": "on",
                f"m{n}-window_begins_on": begins,
                f"m{n}-window_ends_on": ends,
                f"m{n}-authorization_number": f"PA-{n}",
            }
        )
    data.update(changes)
    return data


def test_propose_fills_the_iowa_example_windows_and_keeps_what_was_typed(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    data = iowa_example_post(propose="1", plan_reference="PCSP-0042")
    for n in range(1, 5):
        data[f"m{n}-window_begins_on"] = data[f"m{n}-window_ends_on"] = ""
    del data["authorize"]

    response = client.post(url(member), data)

    page = response.content.decode()
    assert response.status_code == 200
    for value in ("2026-02-01", "2026-03-31", "2026-04-30", "2026-07-01", "2026-07-31"):
        assert f'value="{value}"' in page
    assert 'value="PCSP-0042"' in page
    assert 'value="PA-3"' in page
    assert not AuthorizationRound.objects.exists()


def test_propose_with_a_job_month_before_the_plan_says_why(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)

    response = client.post(
        url(member),
        {"propose": "1", "plan_starts_on": "2026-05-01", "job_expected_in": "2026-04"},
    )

    assert "must come after the month the plan starts" in response.content.decode()


def test_authorizing_saves_the_round_and_shows_it_on_the_member_page(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)

    response = client.post(url(member), iowa_example_post(payer=str(member.payer_id)))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "T2018 U6" in page
    assert "07/01/2026 – 07/31/2026" in page
    assert "$871.58" in page


def test_reversed_window_shows_next_to_the_field_and_keeps_input(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    data = iowa_example_post(
        payer=str(member.payer_id),
        **{"m2-window_begins_on": "2026-04-30", "m2-window_ends_on": "2026-04-01"},
    )

    response = client.post(url(member), data)

    assert response.status_code == 200
    errors = response.context["lines"][1].errors
    assert errors["window_ends_on"] == ["The window ends before it begins."]
    assert 'value="2026-04-30"' in response.content.decode()
    assert not AuthorizationRound.objects.exists()


def test_missing_authorization_number_is_marked_on_its_line(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    data = iowa_example_post(
        payer=str(member.payer_id), **{"m4-authorization_number": ""}
    )

    response = client.post(url(member), data)

    assert "authorization_number" in response.context["lines"][3].errors
    assert not AuthorizationRound.objects.exists()


def test_date_before_the_fee_schedule_is_refused_next_to_the_date(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    data = iowa_example_post(payer=str(member.payer_id), authorized_on="2025-06-30")

    response = client.post(url(member), data)

    assert response.context["form"].errors["authorized_on"] == [
        "No fee schedule is in force on 06/30/2025: "
        "the first schedule begins 07/01/2025."
    ]
    assert not AuthorizationRound.objects.exists()


def test_cap_warning_asks_then_saves_when_confirmed(
    client: Client, case_manager: User, member: Member
) -> None:
    client.force_login(case_manager)
    data = iowa_example_post(
        payer=str(member.payer_id),
        **{"m2-window_begins_on": "2026-03-01", "m2-window_ends_on": "2026-03-31"},
    )

    warned = client.post(url(member), data)
    assert "Monthly cap warning" in warned.content.decode()
    assert "March 2026: $3,964.95" in warned.content.decode()
    assert not AuthorizationRound.objects.exists()

    confirmed = client.post(url(member), {**data, "cap_warning_seen": "on"})
    assert confirmed.status_code == 302
    assert AuthorizationRound.objects.count() == 1


def test_outsider_case_manager_gets_404(
    client: Client, outsider_case_manager: User, member: Member
) -> None:
    client.force_login(outsider_case_manager)

    assert client.get(url(member)).status_code == 404
    assert client.post(url(member), iowa_example_post()).status_code == 404


def test_specialist_in_scope_may_not_authorize(
    client: Client, specialist: User, member: Member
) -> None:
    member.episodes.update(specialist=specialist)
    client.force_login(specialist)

    assert client.get(url(member)).status_code == 403


def test_later_round_shows_on_the_member_timeline_with_the_first(
    client: Client, case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)
    authorize(
        case_manager,
        member,
        windows={
            2: Window(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)),
            3: Window(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
            4: Window(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
        },
        numbers=(2, 3, 4),
    )
    client.force_login(case_manager)

    page = client.get(reverse("members:detail", args=[member.public_id]))

    rounds = [e for e in page.context["timeline"] if e.kind == "round"]
    assert len(rounds) == 2
