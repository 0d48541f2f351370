"""Referring, answering referrals and moving caseloads, through the pages."""

import datetime
import html
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from members.models import Member
from providers.models import County, ProviderSite
from referrals.models import Episode, Referral
from tests.factories import EpisodeFactory, MemberFactory, ReferralFactory, UserFactory
from tests.pages import errors_next_to, field_block

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC)

TODAY = datetime.date(2026, 2, 10)
IOWA = ZoneInfo("America/Chicago")

READINESS_WORDS = ("readiness", "ready", "sobri", "sober", "criminal", "hospital",
                   "homeless", "symptom")  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def optgroups(page: str) -> dict[str, list[str]]:
    """The provider select's groups and their option labels, as shown."""
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', page, re.S)
    return {
        html.unescape(label): [
            html.unescape(name) for name in re.findall(r">([^<]*)</option>", options)
        ]
        for label, options in groups
    }


def site(slug: str) -> ProviderSite:
    return ProviderSite.objects.select_related("organization").get(slug=slug)


@pytest.fixture
def member(case_manager: User) -> Member:
    """A Wellpoint member in Polk County."""
    return MemberFactory(
        managing_organization=case_manager.organization,
        first_name="Ludmila",
        last_name="Ferncastle",
    )


@pytest.fixture
def cm_client(client: Client, case_manager: User) -> Client:
    client.force_login(case_manager)
    return client


def refer_url(member: Member) -> str:
    return reverse("referrals:create", args=[member.public_id])


def referral_post(provider: ProviderSite, **changes: Any) -> dict[str, Any]:
    data = {
        "provider": provider.pk,
        "referred_on": "2026-02-10",
        "wants_to_work": "on",
        "job_hopes": "Work in a bakery; money for a bus pass.",
        "concerns": "Losing SSI.",
        "knows_benefit_changes": "partly",
        "importance": "9",
        "confidence": "4",
        "helpful_supports": "Help with the application.",
        "start_timing": "now",
        "next_step": "Meet the IPS specialist next week.",
        "benefits_planning": "completed",
        "benefits_planning_on": "2026-01-15",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The referral form


def test_the_referral_form_asks_nothing_about_readiness(
    cm_client: Client, member: Member
) -> None:
    response = cm_client.get(refer_url(member))

    form = response.context["form"]
    page = response.content.decode()
    labels = [
        html.unescape(re.sub(r"<[^>]+>", " ", label)).lower()
        for label in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    ]
    legends = [legend.lower() for legend in re.findall(r"<legend>(.*?)</legend>", page)]
    assert len(labels) == len(form.fields)
    for text in [*form.fields, *labels, *legends]:
        assert not any(word in text.lower() for word in READINESS_WORDS), text


def test_a_polk_member_sees_the_polk_provider_first_under_serving_now(
    cm_client: Client, member: Member
) -> None:
    response = cm_client.get(refer_url(member))

    page = response.content.decode()
    groups = optgroups(page)
    assert list(groups) == ["Serve Polk County now", "Other providers"]
    assert groups["Serve Polk County now"] == ["Goodwill of Central Iowa / Eyerly Ball"]
    assert len(groups["Other providers"]) == 7
    assert "No IPS provider serves" not in page


def test_a_dubuque_member_sees_a_notice_and_the_planned_provider(
    cm_client: Client, case_manager: User
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        county=County.objects.get(name="Dubuque"),
    )

    response = cm_client.get(refer_url(member))

    page = response.content.decode()
    groups = optgroups(page)
    assert list(groups) == ["Plan to serve Dubuque County", "Other providers"]
    assert groups["Plan to serve Dubuque County"] == ["Goodwill, Inc. of N.E. Iowa"]
    assert len(groups["Other providers"]) == 7
    assert "No IPS provider serves Dubuque County yet" in page


def test_a_dubuque_member_can_still_be_referred_to_any_provider(
    cm_client: Client, case_manager: User, provider_a: ProviderSite
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        county=County.objects.get(name="Dubuque"),
    )

    response = cm_client.post(refer_url(member), referral_post(provider_a))

    assert response.status_code == 302
    assert member.referrals.get().provider == provider_a


def test_the_form_starts_from_today_wanting_to_work_and_the_members_planning(
    cm_client: Client, case_manager: User
) -> None:
    member = MemberFactory(
        managing_organization=case_manager.organization,
        benefits_planning=Member.BenefitsPlanning.SCHEDULED,
        benefits_planning_on=datetime.date(2026, 3, 2),
    )

    page = cm_client.get(refer_url(member)).content.decode()

    assert 'value="2026-02-10"' in field_block(page, "id_referred_on")
    assert "checked" in field_block(page, "id_wants_to_work")
    assert 'value="scheduled" selected' in field_block(page, "id_benefits_planning")
    assert 'value="2026-03-02"' in field_block(page, "id_benefits_planning_on")


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime.datetime(2026, 2, 10, 23, 30, tzinfo=IOWA), "2026-02-10"),
        (datetime.datetime(2026, 2, 11, 0, 0, tzinfo=IOWA), "2026-02-11"),
    ],
)
def test_the_referral_date_starts_as_today_in_iowa_late_in_the_evening(
    client: Client,
    case_manager: User,
    member: Member,
    moment: datetime.datetime,
    shown: str,
) -> None:
    with time_machine.travel(moment, tick=False):
        client.force_login(case_manager)
        page = client.get(refer_url(member)).content.decode()

    assert f'value="{shown}"' in field_block(page, "id_referred_on")


# Making a referral


def test_a_referral_is_made_with_the_conversation_and_benefits_planning(
    cm_client: Client, case_manager: User, member: Member
) -> None:
    polk = site("goodwill-central-eyerly-ball")

    response = cm_client.post(refer_url(member), referral_post(polk))

    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.public_id])
    referral = member.referrals.get()
    assert referral.provider == polk
    assert referral.status == Referral.Status.PENDING
    assert referral.referred_by == case_manager
    assert referral.referred_on == TODAY
    assert referral.job_hopes == "Work in a bakery; money for a bus pass."
    assert referral.concerns == "Losing SSI."
    assert referral.knows_benefit_changes == "partly"
    assert (referral.importance, referral.confidence) == (9, 4)
    assert referral.start_timing == "now"
    assert referral.next_step == "Meet the IPS specialist next week."
    member.refresh_from_db()
    assert member.benefits_planning == Member.BenefitsPlanning.COMPLETED
    assert member.benefits_planning_on == datetime.date(2026, 1, 15)


def test_a_member_with_a_pending_referral_gets_a_message_by_the_provider(
    cm_client: Client, member: Member, provider_a: ProviderSite
) -> None:
    ReferralFactory(member=member, provider=provider_a)
    before = Referral.objects.count()

    response = cm_client.post(
        refer_url(member), referral_post(site("goodwill-central-eyerly-ball"))
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "already has a referral waiting for 43 North Iowa" in errors_next_to(
        page, "id_provider"
    )
    assert "Work in a bakery; money for a bus pass." in field_block(
        page, "id_job_hopes"
    )
    assert Referral.objects.count() == before
    member.refresh_from_db()
    assert member.benefits_planning == Member.BenefitsPlanning.NOT_YET


def test_a_member_with_an_open_episode_gets_a_message_by_the_provider(
    cm_client: Client, member: Member, provider_a: ProviderSite
) -> None:
    EpisodeFactory(member=member, provider=provider_a)
    before = Referral.objects.count()

    page = cm_client.get(refer_url(member)).content.decode()
    assert "already in IPS with 43 North Iowa" in page

    response = cm_client.post(
        refer_url(member), referral_post(site("goodwill-central-eyerly-ball"))
    )

    assert "already in IPS with 43 North Iowa" in errors_next_to(
        response.content.decode(), "id_provider"
    )
    assert Referral.objects.count() == before


def test_not_wanting_to_work_is_refused_with_a_message_by_the_checkbox(
    cm_client: Client, member: Member
) -> None:
    response = cm_client.post(
        refer_url(member),
        referral_post(site("goodwill-central-eyerly-ball"), wants_to_work=None),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "IPS is for members who want to work" in errors_next_to(
        page, "id_wants_to_work"
    )
    assert not member.referrals.exists()


@pytest.mark.parametrize("tampered", ["inactive", "999999", "abc"])
def test_a_provider_not_offered_is_refused(
    cm_client: Client, member: Member, tampered: str
) -> None:
    if tampered == "inactive":
        closed = site("vera-french")
        closed.organization.is_active = False
        closed.organization.save()
        tampered = str(closed.pk)

    data = {**referral_post(site("vera-french")), "provider": tampered}

    response = cm_client.post(refer_url(member), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in errors_next_to(page, "id_provider")
    assert not member.referrals.exists()


def test_an_outsider_case_manager_gets_404_for_another_organizations_member(
    client: Client, member: Member, outsider_case_manager: User
) -> None:
    client.force_login(outsider_case_manager)

    assert client.get(refer_url(member)).status_code == 404
    response = client.post(
        refer_url(member), referral_post(site("goodwill-central-eyerly-ball"))
    )
    assert response.status_code == 404
    assert not member.referrals.exists()


@pytest.mark.parametrize(
    ("person", "status"), [("outsider", 404), ("specialist", 404), ("reviewer", 403)]
)
def test_provider_staff_and_reviewers_cannot_refer(
    client: Client,
    request: pytest.FixtureRequest,
    member: Member,
    provider_a: ProviderSite,
    person: str,
    status: int,
) -> None:
    """Neither provider's staff see a member who exited; the reviewer does."""
    EpisodeFactory(member=member, provider=provider_a, closed_on=TODAY)
    client.force_login(request.getfixturevalue(person))

    response = client.post(refer_url(member), referral_post(provider_a))

    assert response.status_code == status
    assert member.referrals.count() == 1


# Answering a referral


@pytest.fixture
def referral(member: Member, case_manager: User, provider_a: ProviderSite) -> Referral:
    return ReferralFactory(member=member, provider=provider_a, referred_by=case_manager)


def answer_url(referral: Referral, answer: str = "") -> str:
    if not answer:
        return reverse("referrals:detail", args=[referral.public_id])
    return reverse(f"referrals:{answer}", args=[referral.public_id])


def unchanged(referral: Referral) -> tuple[Any, ...]:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.responded_by_id,
        referral.updated_at,
        Referral.objects.count(),
        Episode.objects.count(),
    )


def test_the_providers_supervisor_accepts_and_the_episode_opens(
    client: Client, supervisor: User, specialist: User, referral: Referral
) -> None:
    client.force_login(supervisor)
    page = client.get(answer_url(referral)).content.decode()
    assert "Accept and assign" in page

    response = client.post(
        answer_url(referral, "accept"),
        {"accept-specialist": specialist.pk, "accept-accepted_on": "2026-02-10"},
    )

    assert response.status_code == 302
    assert response["Location"] == answer_url(referral)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.responded_by == supervisor
    episode = referral.episode
    assert episode.specialist == specialist
    assert episode.opened_on == TODAY
    assert episode.is_open
    assert episode.history.first().history_user == supervisor


def test_a_specialist_of_provider_b_is_refused_by_the_specialist_field(
    client: Client, supervisor: User, outsider: User, referral: Referral
) -> None:
    before = unchanged(referral)
    client.force_login(supervisor)

    response = client.post(
        answer_url(referral, "accept"),
        {"accept-specialist": outsider.pk, "accept-accepted_on": "2026-02-10"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in errors_next_to(page, "id_accept-specialist")
    assert 'value="2026-02-10"' in field_block(page, "id_accept-accepted_on")
    assert outsider.get_full_name() not in page
    assert unchanged(referral) == before


def test_an_acceptance_dated_before_the_referral_is_shown_by_the_date(
    client: Client, supervisor: User, specialist: User, referral: Referral
) -> None:
    before = unchanged(referral)
    client.force_login(supervisor)

    response = client.post(
        answer_url(referral, "accept"),
        {"accept-specialist": specialist.pk, "accept-accepted_on": "2026-01-31"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot be accepted before it was made" in errors_next_to(
        page, "id_accept-accepted_on"
    )
    assert unchanged(referral) == before


def test_the_outsider_supervisor_gets_404_on_the_page_and_on_every_answer(
    client: Client, outsider_supervisor: User, outsider: User, referral: Referral
) -> None:
    before = unchanged(referral)
    client.force_login(outsider_supervisor)

    assert client.get(answer_url(referral)).status_code == 404
    posts = {
        "accept": {
            "accept-specialist": outsider.pk,
            "accept-accepted_on": "2026-02-10",
        },
        "redirect": {
            "redirect-provider": site("robert-young-center").pk,
            "redirect-reason": "Ours now.",
        },
        "withdraw": {"withdraw-reason": "Not wanted."},
    }
    for answer, data in posts.items():
        assert client.post(answer_url(referral, answer), data).status_code == 404
    assert unchanged(referral) == before


def test_a_specialist_sees_the_referral_but_gets_403_on_accept(
    client: Client, specialist: User, referral: Referral
) -> None:
    before = unchanged(referral)
    client.force_login(specialist)

    page = client.get(answer_url(referral)).content.decode()
    response = client.post(
        answer_url(referral, "accept"),
        {"accept-specialist": specialist.pk, "accept-accepted_on": "2026-02-10"},
    )

    assert "Accept and assign" not in page
    assert response.status_code == 403
    assert unchanged(referral) == before


def test_a_case_manager_cannot_accept_their_own_referral(
    cm_client: Client, specialist: User, referral: Referral
) -> None:
    before = unchanged(referral)

    response = cm_client.post(
        answer_url(referral, "accept"),
        {"accept-specialist": specialist.pk, "accept-accepted_on": "2026-02-10"},
    )

    assert response.status_code == 403
    assert unchanged(referral) == before


def test_a_redirect_moves_the_member_to_the_other_provider(
    client: Client,
    supervisor: User,
    specialist: User,
    outsider_supervisor: User,
    referral: Referral,
    provider_b: ProviderSite,
) -> None:
    member_url = reverse("members:detail", args=[referral.member.public_id])
    client.force_login(supervisor)
    assert client.get(member_url).status_code == 200

    response = client.post(
        answer_url(referral, "redirect"),
        {"redirect-provider": provider_b.pk, "redirect-reason": "Lives in Scott."},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    onward = referral.redirected_to
    assert referral.status == Referral.Status.REDIRECTED
    assert onward.provider == provider_b
    assert onward.status == Referral.Status.PENDING
    assert onward.referred_on == TODAY

    assert client.get(member_url).status_code == 404
    page = client.get(answer_url(referral))
    assert page.status_code == 200
    assert "Redirected to Robert Young Center: Lives in Scott." in page.content.decode()
    assert client.get(answer_url(onward)).status_code == 404

    client.force_login(specialist)
    assert client.get(member_url).status_code == 404

    client.force_login(outsider_supervisor)
    assert client.get(member_url).status_code == 200
    assert client.get(answer_url(onward)).status_code == 200
    assert client.get(answer_url(referral)).status_code == 404


def test_a_redirect_without_a_reason_is_refused_by_the_field(
    client: Client, supervisor: User, referral: Referral, provider_b: ProviderSite
) -> None:
    before = unchanged(referral)
    client.force_login(supervisor)

    response = client.post(
        answer_url(referral, "redirect"),
        {"redirect-provider": provider_b.pk, "redirect-reason": "  "},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in errors_next_to(page, "id_redirect-reason")
    assert unchanged(referral) == before


def test_a_redirect_to_the_same_provider_is_not_offered(
    client: Client, supervisor: User, referral: Referral, provider_a: ProviderSite
) -> None:
    before = unchanged(referral)
    client.force_login(supervisor)

    response = client.post(
        answer_url(referral, "redirect"),
        {"redirect-provider": provider_a.pk, "redirect-reason": "Loop."},
    )

    assert "Select a valid choice" in errors_next_to(
        response.content.decode(), "id_redirect-provider"
    )
    assert unchanged(referral) == before


def test_a_redirect_to_a_provider_switched_off_is_refused(
    client: Client, supervisor: User, referral: Referral
) -> None:
    closed = site("vera-french")
    closed.organization.is_active = False
    closed.organization.save()
    before = unchanged(referral)
    client.force_login(supervisor)

    response = client.post(
        answer_url(referral, "redirect"),
        {"redirect-provider": closed.pk, "redirect-reason": "Nearer."},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in errors_next_to(
        response.content.decode(), "id_redirect-provider"
    )
    assert unchanged(referral) == before


@pytest.mark.parametrize("person", ["case_manager", "supervisor"])
def test_a_withdrawal_needs_a_reason_and_closes_the_referral(
    client: Client, request: pytest.FixtureRequest, person: str, referral: Referral
) -> None:
    actor = request.getfixturevalue(person)
    before = unchanged(referral)
    client.force_login(actor)

    refused = client.post(answer_url(referral, "withdraw"), {"withdraw-reason": ""})

    assert refused.status_code == 400
    assert "This field is required." in errors_next_to(
        refused.content.decode(), "id_withdraw-reason"
    )
    assert unchanged(referral) == before

    done = client.post(
        answer_url(referral, "withdraw"),
        {"withdraw-reason": "No longer wants IPS services."},
    )

    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert referral.withdrawal_reason == "No longer wants IPS services."
    assert referral.responded_by == actor
    page = client.get(answer_url(referral)).content.decode()
    assert "Withdrawn: No longer wants IPS services." in page


def test_an_outsider_case_manager_gets_404_on_withdraw(
    client: Client, outsider_case_manager: User, referral: Referral
) -> None:
    before = unchanged(referral)
    client.force_login(outsider_case_manager)

    response = client.post(
        answer_url(referral, "withdraw"), {"withdraw-reason": "Not ours."}
    )

    assert response.status_code == 404
    assert unchanged(referral) == before


@pytest.mark.parametrize(
    "status",
    [Referral.Status.ACCEPTED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN],
)
def test_an_answered_referral_offers_no_answers_and_refuses_them(
    client: Client,
    supervisor: User,
    specialist: User,
    member: Member,
    provider_b: ProviderSite,
    status: str,
) -> None:
    answered = ReferralFactory(member=member, status=status)
    before = unchanged(answered)
    client.force_login(supervisor)

    page = client.get(answer_url(answered)).content.decode()
    posts = {
        "accept": {
            "accept-specialist": specialist.pk,
            "accept-accepted_on": "2026-02-10",
        },
        "redirect": {"redirect-provider": provider_b.pk, "redirect-reason": "Nearer."},
        "withdraw": {"withdraw-reason": "No longer."},
    }
    responses = {
        answer: client.post(answer_url(answered, answer), data, follow=True)
        for answer, data in posts.items()
    }

    assert "Answer this referral" not in page
    for response in responses.values():
        assert response.redirect_chain == [(answer_url(answered), 302)]
        assert "This referral has already been answered" in response.content.decode()
    assert unchanged(answered) == before


def test_after_an_exit_the_member_is_referred_again_and_a_second_episode_opens(
    client: Client,
    cm_client: Client,
    case_manager: User,
    supervisor: User,
    specialist: User,
    member: Member,
    provider_a: ProviderSite,
) -> None:
    first = EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    refused = cm_client.post(refer_url(member), referral_post(provider_a))
    assert refused.status_code == 200
    assert member.referrals.count() == 1

    first.closed_on = datetime.date(2026, 2, 6)
    first.save()
    response = cm_client.post(refer_url(member), referral_post(provider_a))
    assert response.status_code == 302
    again = member.referrals.get(status=Referral.Status.PENDING)

    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    accepted = supervisor_client.post(
        answer_url(again, "accept"),
        {"accept-specialist": specialist.pk, "accept-accepted_on": "2026-02-10"},
    )

    assert accepted.status_code == 302
    episodes = list(member.episodes.order_by("opened_on"))
    assert [e.pk for e in episodes] == [first.pk, again.episode.pk]
    assert episodes[0].closed_on == datetime.date(2026, 2, 6)
    assert episodes[1].is_open
    assert episodes[0].referral.status == Referral.Status.ACCEPTED


# Moving caseloads


CASELOAD = reverse("referrals:caseload")


@pytest.fixture
def colleague(provider_a: ProviderSite) -> User:
    return UserFactory(
        organization=provider_a.organization,
        role=User.Role.IPS_SPECIALIST,
        first_name="Philippa",
    )


def specialist_of(episode: Episode) -> User:
    episode.refresh_from_db()
    return episode.specialist


def test_the_supervisor_moves_one_member(
    client: Client, supervisor: User, specialist: User, colleague: User
) -> None:
    moving, staying = EpisodeFactory.create_batch(2, specialist=specialist)
    client.force_login(supervisor)

    response = client.post(
        CASELOAD, {"episodes": [moving.pk], "specialist": colleague.pk}
    )

    assert response.status_code == 302
    assert specialist_of(moving) == colleague
    assert specialist_of(staying) == specialist
    assert moving.history.first().history_user == supervisor
    assert staying.history.count() == 1


def test_move_all_moves_every_member_of_that_specialist_and_no_one_else(
    client: Client, supervisor: User, specialist: User, colleague: User
) -> None:
    theirs = EpisodeFactory.create_batch(3, specialist=specialist)
    other = EpisodeFactory()  # another specialist at provider A
    client.force_login(supervisor)
    page = client.get(CASELOAD).content.decode()
    assert re.search(rf'name="all_of"\s+value="{specialist.pk}"', page)

    response = client.post(
        CASELOAD,
        {"all_of": specialist.pk, "episodes": [other.pk], "specialist": colleague.pk},
    )

    assert response.status_code == 302
    assert [specialist_of(episode) for episode in theirs] == [colleague] * 3
    assert specialist_of(other) != colleague
    for episode in theirs:
        assert episode.history.first().history_user == supervisor
    assert other.history.count() == 1


def test_the_outsider_supervisor_cannot_move_provider_a_members(
    client: Client, outsider_supervisor: User, outsider: User, specialist: User
) -> None:
    episodes = EpisodeFactory.create_batch(2, specialist=specialist)
    client.force_login(outsider_supervisor)

    page = client.get(CASELOAD).content.decode()
    response = client.post(
        CASELOAD,
        {"episodes": [e.pk for e in episodes], "specialist": outsider.pk},
    )

    assert "Sample" not in page
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["episodes"])
    assert "Select a valid choice" in response.content.decode()
    assert [specialist_of(episode) for episode in episodes] == [specialist] * 2
    assert all(episode.history.count() == 1 for episode in episodes)


def test_the_outsider_supervisors_move_all_of_a_provider_a_specialist_moves_nothing(
    client: Client, outsider_supervisor: User, outsider: User, specialist: User
) -> None:
    episodes = EpisodeFactory.create_batch(2, specialist=specialist)
    client.force_login(outsider_supervisor)

    response = client.post(
        CASELOAD, {"all_of": specialist.pk, "specialist": outsider.pk}
    )

    assert response.status_code == 200
    assert "Choose at least one member to move." in response.content.decode()
    assert [specialist_of(episode) for episode in episodes] == [specialist] * 2


def test_a_specialist_of_provider_b_is_not_a_choice_to_move_to(
    client: Client, supervisor: User, specialist: User, outsider: User
) -> None:
    episode = EpisodeFactory(specialist=specialist)
    client.force_login(supervisor)

    response = client.post(
        CASELOAD, {"episodes": [episode.pk], "specialist": outsider.pk}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in errors_next_to(
        response.content.decode(), "id_specialist"
    )
    assert specialist_of(episode) == specialist


@pytest.mark.parametrize("person", ["specialist", "case_manager", "outsider"])
def test_only_supervisors_open_the_caseload_page(
    client: Client, request: pytest.FixtureRequest, person: str
) -> None:
    client.force_login(request.getfixturevalue(person))

    assert client.get(CASELOAD).status_code == 403


def test_a_tampered_move_all_value_is_a_form_error_not_a_server_error(
    client: Client, supervisor: User, specialist: User, colleague: User
) -> None:
    client.raise_request_exception = False
    episode = EpisodeFactory(specialist=specialist)
    client.force_login(supervisor)

    response = client.post(CASELOAD, {"all_of": "everyone", "specialist": colleague.pk})

    assert response.status_code == 200
    assert "Choose at least one member to move." in response.content.decode()
    assert specialist_of(episode) == specialist
