import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import EpisodeFactory, MemberFactory, ReferralFactory

pytestmark = pytest.mark.django_db

HOME_PAGES = {
    "case_manager": "accounts/home_case_manager.html",
    "specialist": "accounts/home_specialist.html",
    "supervisor": "accounts/home_supervisor.html",
    "reviewer": "accounts/home_reviewer.html",
    "administrator": "accounts/home_administrator.html",
}


@pytest.mark.parametrize(("person", "template"), HOME_PAGES.items())
def test_every_role_gets_its_own_home_page(
    request: pytest.FixtureRequest, client: Client, person: str, template: str
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(reverse("accounts:home"))

    assert response.status_code == 200
    assert response.templates[0].name == template


def test_empty_home_pages_say_what_will_appear(
    client: Client, case_manager: User, specialist: User
) -> None:
    client.force_login(case_manager)
    assert "No referrals are waiting" in client.get("/").content.decode()

    client.force_login(specialist)
    assert "No members are assigned to you yet" in client.get("/").content.decode()


def test_supervisor_home_lists_new_referrals_of_their_provider_only(
    client: Client, supervisor: User, provider_a: object, provider_b: object
) -> None:
    mine = ReferralFactory(provider=provider_a)
    theirs = ReferralFactory(provider=provider_b)
    client.force_login(supervisor)

    response = client.get("/")

    assert response.context["new_referrals"] == [mine]
    assert str(theirs.member.public_id) not in response.content.decode()


def test_specialist_home_lists_their_caseload(
    client: Client, specialist: User, outsider: User, provider_a: object
) -> None:
    mine = MemberFactory()
    EpisodeFactory(member=mine, provider=provider_a, specialist=specialist)
    MemberFactory()
    client.force_login(specialist)

    assert client.get("/").context["caseload"] == [mine]

    client.force_login(outsider)
    assert client.get("/").context["caseload"] == []


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_sign_in_and_sign_out(client: Client, case_manager: User) -> None:
    signed_in = client.post(
        reverse("accounts:sign-in"),
        {"username": case_manager.username, "password": "a-test-password-1"},
    )
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200

    client.post(reverse("accounts:sign-out"))
    assert client.get("/").status_code == 302


def test_wrong_password_keeps_the_username_and_says_why(
    client: Client, case_manager: User
) -> None:
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": case_manager.username, "password": "not-it"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in page
    assert f'value="{case_manager.username}"' in page


def test_sign_out_is_not_a_link_that_a_prefetch_could_follow(
    client: Client, case_manager: User
) -> None:
    client.force_login(case_manager)

    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get("/").status_code == 200
