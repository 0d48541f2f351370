"""Referrals, answers and caseloads, at the service layer."""

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from members.models import Member
from providers.models import ProviderSite
from referrals.models import Episode, Referral
from referrals.services import (
    caseload_reassign,
    open_referral_problem,
    referral_accept,
    referral_create,
    referral_redirect,
    referral_withdraw,
)
from tests.factories import EpisodeFactory, MemberFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 2, 10)
IOWA = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def conversation(**changes: Any) -> dict[str, Any]:
    data = {
        "wants_to_work": True,
        "job_hopes": "Work in a bakery; money for a bus pass.",
        "concerns": "Losing SSI.",
        "knows_benefit_changes": Referral.KnowsBenefitChanges.PARTLY,
        "importance": 9,
        "confidence": 4,
        "helpful_supports": "Help with the application.",
        "start_timing": Referral.StartTiming.NOW,
        "next_step": "Meet the IPS specialist next week.",
        "benefits_planning": Member.BenefitsPlanning.SCHEDULED,
        "benefits_planning_on": datetime.date(2026, 2, 20),
    }
    data.update(changes)
    return data


@pytest.fixture
def member(case_manager: User) -> Member:
    return MemberFactory(managing_organization=case_manager.organization)


@pytest.fixture
def referral(member: Member, case_manager: User, provider_a: ProviderSite) -> Referral:
    return ReferralFactory(member=member, provider=provider_a, referred_by=case_manager)


def refer(actor: User, member: Member, provider: ProviderSite, **changes: Any) -> Any:
    return referral_create(
        actor=actor,
        member=member,
        provider=provider,
        referred_on=TODAY,
        conversation=conversation(**changes),
    )


def snapshot(referral: Referral) -> tuple[Any, ...]:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.responded_by_id,
        referral.redirected_to_id,
        Episode.objects.count(),
        Referral.objects.count(),
    )


# referral_create


def test_a_referral_keeps_the_employment_conversation(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    referral = refer(case_manager, member, provider_a)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    assert referral.provider == provider_a
    assert referral.referred_by == case_manager
    assert referral.referred_on == TODAY
    assert referral.wants_to_work is True
    assert referral.job_hopes == "Work in a bakery; money for a bus pass."
    assert referral.concerns == "Losing SSI."
    assert referral.knows_benefit_changes == "partly"
    assert (referral.importance, referral.confidence) == (9, 4)
    assert referral.helpful_supports == "Help with the application."
    assert referral.start_timing == "now"
    assert referral.next_step == "Meet the IPS specialist next week."
    assert referral.history.first().history_user == case_manager


def test_a_referral_brings_the_members_benefits_planning_up_to_date(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    assert member.benefits_planning == Member.BenefitsPlanning.NOT_YET

    refer(case_manager, member, provider_a)

    member.refresh_from_db()
    assert member.benefits_planning == Member.BenefitsPlanning.SCHEDULED
    assert member.benefits_planning_on == datetime.date(2026, 2, 20)
    assert member.history.first().history_user == case_manager


def test_unchanged_benefits_planning_writes_no_member_history(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    history_before = member.history.count()

    refer(
        case_manager,
        member,
        provider_a,
        benefits_planning=Member.BenefitsPlanning.NOT_YET,
        benefits_planning_on=None,
    )

    assert member.history.count() == history_before


def test_a_member_with_a_pending_referral_cannot_be_referred_again(
    case_manager: User, referral: Referral, provider_b: ProviderSite
) -> None:
    before = Referral.objects.count()

    with pytest.raises(ValidationError) as error:
        refer(case_manager, referral.member, provider_b)

    assert list(error.value.message_dict) == ["provider"]
    assert "already has a referral waiting" in error.value.message_dict["provider"][0]
    assert Referral.objects.count() == before
    referral.member.refresh_from_db()
    assert referral.member.benefits_planning == Member.BenefitsPlanning.NOT_YET


def test_a_member_with_an_open_episode_cannot_be_referred(
    case_manager: User, member: Member, provider_b: ProviderSite
) -> None:
    EpisodeFactory(member=member)
    before = Referral.objects.count()

    with pytest.raises(ValidationError) as error:
        refer(case_manager, member, provider_b)

    assert "already in IPS" in error.value.message_dict["provider"][0]
    assert Referral.objects.count() == before


def test_a_member_who_does_not_want_to_work_is_not_referred(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    with pytest.raises(ValidationError) as error:
        refer(case_manager, member, provider_a, wants_to_work=False)

    assert "want to work" in error.value.message_dict["wants_to_work"][0]
    assert not Referral.objects.filter(member=member).exists()


def test_wanting_to_work_is_the_only_question_that_must_be_answered(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    referral = referral_create(
        actor=case_manager,
        member=member,
        provider=provider_a,
        referred_on=TODAY,
        conversation={"wants_to_work": True},
    )

    assert referral.status == Referral.Status.PENDING


READINESS_WORDS = ("readiness", "ready", "sobri", "sober", "criminal", "hospital",
                   "homeless", "symptom")  # fmt: skip


def test_a_referral_records_nothing_about_readiness() -> None:
    for field in Referral._meta.get_fields():
        described = f"{field.name} {getattr(field, 'verbose_name', '')}".lower()
        assert not any(word in described for word in READINESS_WORDS), field.name


def test_readiness_keys_slipped_into_the_conversation_are_not_kept(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    referral = refer(
        case_manager, member, provider_a, criminal_history=True, sober_days=0
    )

    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    assert not hasattr(referral, "criminal_history")
    assert not hasattr(referral, "sober_days")


@pytest.mark.parametrize(
    "person", ["specialist", "supervisor", "reviewer", "outsider", "administrator"]
)
def test_only_case_managers_refer(
    request: pytest.FixtureRequest,
    person: str,
    member: Member,
    provider_a: ProviderSite,
) -> None:
    with pytest.raises(PermissionDenied):
        refer(request.getfixturevalue(person), member, provider_a)

    assert not Referral.objects.filter(member=member).exists()


# referral_accept


def test_the_providers_supervisor_accepts_and_opens_an_episode(
    supervisor: User, specialist: User, referral: Referral
) -> None:
    episode = referral_accept(
        actor=supervisor, referral=referral, specialist=specialist, accepted_on=TODAY
    )

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.responded_by == supervisor
    assert referral.responded_at == NOW
    assert episode.specialist == specialist
    assert episode.member == referral.member
    assert episode.provider == referral.provider
    assert episode.opened_on == TODAY
    assert episode.is_open
    assert episode.history.first().history_user == supervisor
    assert referral.history.first().history_user == supervisor


def test_a_specialist_of_another_provider_cannot_be_assigned(
    supervisor: User, outsider: User, referral: Referral
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError) as error:
        referral_accept(
            actor=supervisor, referral=referral, specialist=outsider, accepted_on=TODAY
        )

    assert list(error.value.message_dict) == ["specialist"]
    assert snapshot(referral) == before


def test_a_referral_is_not_accepted_before_it_was_made(
    supervisor: User, specialist: User, referral: Referral
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError) as error:
        referral_accept(
            actor=supervisor,
            referral=referral,
            specialist=specialist,
            accepted_on=referral.referred_on - datetime.timedelta(days=1),
        )

    assert "accepted_on" in error.value.message_dict
    assert snapshot(referral) == before


def test_the_outsider_supervisor_cannot_accept_another_providers_referral(
    outsider_supervisor: User, outsider: User, referral: Referral
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError):
        referral_accept(
            actor=outsider_supervisor,
            referral=referral,
            specialist=outsider,
            accepted_on=TODAY,
        )

    assert snapshot(referral) == before


@pytest.mark.parametrize("person", ["specialist", "outsider", "case_manager"])
def test_people_who_are_not_supervisors_cannot_accept(
    request: pytest.FixtureRequest, person: str, specialist: User, referral: Referral
) -> None:
    before = snapshot(referral)

    with pytest.raises(PermissionDenied):
        referral_accept(
            actor=request.getfixturevalue(person),
            referral=referral,
            specialist=specialist,
            accepted_on=TODAY,
        )

    assert snapshot(referral) == before


@pytest.mark.parametrize(
    "status",
    [Referral.Status.ACCEPTED, Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN],
)
def test_only_a_pending_referral_can_be_answered(
    supervisor: User,
    specialist: User,
    provider_b: ProviderSite,
    member: Member,
    status: str,
) -> None:
    answered = ReferralFactory(member=member, status=status)
    before = snapshot(answered)

    with pytest.raises(ValidationError, match="already been answered"):
        referral_accept(
            actor=supervisor,
            referral=answered,
            specialist=specialist,
            accepted_on=TODAY,
        )
    with pytest.raises(ValidationError, match="already been answered"):
        referral_redirect(
            actor=supervisor, referral=answered, provider=provider_b, reason="Nearer."
        )
    with pytest.raises(ValidationError, match="still waiting"):
        referral_withdraw(actor=supervisor, referral=answered, reason="No longer.")

    assert snapshot(answered) == before


# referral_redirect


def test_a_redirect_passes_the_referral_and_its_conversation_on(
    supervisor: User,
    case_manager: User,
    member: Member,
    provider_a: ProviderSite,
    provider_b: ProviderSite,
) -> None:
    first = refer(case_manager, member, provider_a)

    onward = referral_redirect(
        actor=supervisor, referral=first, provider=provider_b, reason="Scott County."
    )

    first.refresh_from_db()
    assert first.status == Referral.Status.REDIRECTED
    assert first.redirected_to == onward
    assert first.redirect_reason == "Scott County."
    assert first.responded_by == supervisor
    assert onward.status == Referral.Status.PENDING
    assert onward.provider == provider_b
    assert onward.member == member
    assert onward.referred_by == case_manager
    assert onward.referred_on == TODAY
    assert onward.job_hopes == first.job_hopes
    assert (onward.importance, onward.confidence) == (9, 4)
    assert onward.next_step == first.next_step


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (
            datetime.datetime(2026, 2, 10, 23, 59, tzinfo=IOWA),
            datetime.date(2026, 2, 10),
        ),
        (datetime.datetime(2026, 2, 11, 0, 0, tzinfo=IOWA), datetime.date(2026, 2, 11)),
    ],
)
def test_the_onward_referral_is_dated_by_the_calendar_in_iowa(
    supervisor: User,
    referral: Referral,
    provider_b: ProviderSite,
    moment: datetime.datetime,
    day: datetime.date,
) -> None:
    with time_machine.travel(moment, tick=False):
        onward = referral_redirect(
            actor=supervisor, referral=referral, provider=provider_b, reason="Scott."
        )

    assert onward.referred_on == day


def test_a_redirect_needs_a_reason(
    supervisor: User, referral: Referral, provider_b: ProviderSite
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError) as error:
        referral_redirect(
            actor=supervisor, referral=referral, provider=provider_b, reason="   "
        )

    assert "reason" in error.value.message_dict
    assert snapshot(referral) == before


def test_a_redirect_to_the_same_provider_is_refused(
    supervisor: User, referral: Referral, provider_a: ProviderSite
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError) as error:
        referral_redirect(
            actor=supervisor, referral=referral, provider=provider_a, reason="Oops."
        )

    assert "provider" in error.value.message_dict
    assert snapshot(referral) == before


# referral_withdraw


@pytest.mark.parametrize("person", ["case_manager", "supervisor"])
def test_the_case_manager_or_the_providers_supervisor_withdraws(
    request: pytest.FixtureRequest, person: str, referral: Referral
) -> None:
    actor = request.getfixturevalue(person)

    referral_withdraw(actor=actor, referral=referral, reason="  Moving out of state.  ")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert referral.withdrawal_reason == "Moving out of state."
    assert referral.responded_by == actor
    assert open_referral_problem(referral.member) is None


def test_a_withdrawal_needs_a_reason(case_manager: User, referral: Referral) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError) as error:
        referral_withdraw(actor=case_manager, referral=referral, reason=" ")

    assert "reason" in error.value.message_dict
    assert snapshot(referral) == before


@pytest.mark.parametrize(
    "person", ["outsider_case_manager", "outsider_supervisor", "outsider", "specialist"]
)
def test_outsiders_and_specialists_cannot_withdraw(
    request: pytest.FixtureRequest, person: str, referral: Referral
) -> None:
    before = snapshot(referral)

    with pytest.raises(ValidationError, match="cannot withdraw"):
        referral_withdraw(
            actor=request.getfixturevalue(person), referral=referral, reason="Because."
        )

    assert snapshot(referral) == before


# A second time in IPS


def test_after_an_exit_the_member_is_referred_again_and_a_second_episode_opens(
    case_manager: User,
    supervisor: User,
    specialist: User,
    member: Member,
    provider_a: ProviderSite,
) -> None:
    first = EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    assert open_referral_problem(member) is not None

    first.closed_on = datetime.date(2026, 2, 5)
    first.save()
    assert open_referral_problem(member) is None

    again = refer(case_manager, member, provider_a)
    second = referral_accept(
        actor=supervisor, referral=again, specialist=specialist, accepted_on=TODAY
    )

    assert second.pk != first.pk
    assert list(member.episodes.order_by("opened_on")) == [first, second]
    first.refresh_from_db()
    assert first.closed_on == datetime.date(2026, 2, 5)
    assert first.referral.status == Referral.Status.ACCEPTED
    assert [e.is_open for e in member.episodes.order_by("opened_on")] == [False, True]


# caseload_reassign


@pytest.fixture
def colleague(provider_a: ProviderSite) -> User:
    return UserFactory(
        organization=provider_a.organization, role=User.Role.IPS_SPECIALIST
    )


def test_the_supervisor_moves_one_member_and_history_names_them(
    supervisor: User, specialist: User, colleague: User
) -> None:
    moving, staying = EpisodeFactory.create_batch(2, specialist=specialist)

    moved = caseload_reassign(actor=supervisor, episodes=[moving], specialist=colleague)

    moving.refresh_from_db()
    staying.refresh_from_db()
    assert moved == 1
    assert moving.specialist == colleague
    assert staying.specialist == specialist
    latest = moving.history.first()
    assert latest.specialist_id == colleague.pk
    assert latest.history_user == supervisor
    assert staying.history.count() == 1


def test_the_supervisor_moves_a_whole_caseload_with_history_for_each(
    supervisor: User, specialist: User, colleague: User
) -> None:
    episodes = EpisodeFactory.create_batch(3, specialist=specialist)

    moved = caseload_reassign(actor=supervisor, episodes=episodes, specialist=colleague)

    assert moved == 3
    assert not Episode.objects.filter(specialist=specialist).exists()
    for episode in episodes:
        assert episode.history.first().history_user == supervisor
        assert episode.history.first().specialist_id == colleague.pk


def test_closed_episodes_and_ones_already_with_the_specialist_are_not_moved(
    supervisor: User, specialist: User, colleague: User
) -> None:
    closed = EpisodeFactory(specialist=specialist, closed_on=datetime.date(2026, 2, 5))
    already = EpisodeFactory(specialist=colleague)

    moved = caseload_reassign(
        actor=supervisor, episodes=[closed, already], specialist=colleague
    )

    closed.refresh_from_db()
    assert moved == 0
    assert closed.specialist == specialist


def test_the_outsider_supervisor_moves_nothing_of_provider_a(
    outsider_supervisor: User, outsider: User, specialist: User
) -> None:
    episodes = EpisodeFactory.create_batch(2, specialist=specialist)

    moved = caseload_reassign(
        actor=outsider_supervisor, episodes=episodes, specialist=outsider
    )

    assert moved == 0
    assert set(Episode.objects.values_list("specialist", flat=True)) == {specialist.pk}
    assert all(episode.history.count() == 1 for episode in episodes)


def test_a_caseload_cannot_move_to_another_providers_specialist(
    supervisor: User, specialist: User, outsider: User
) -> None:
    episode = EpisodeFactory(specialist=specialist)

    with pytest.raises(ValidationError) as error:
        caseload_reassign(actor=supervisor, episodes=[episode], specialist=outsider)

    assert "specialist" in error.value.message_dict
    episode.refresh_from_db()
    assert episode.specialist == specialist


@pytest.mark.parametrize("person", ["specialist", "case_manager", "outsider"])
def test_only_supervisors_reassign(
    request: pytest.FixtureRequest, person: str, specialist: User, colleague: User
) -> None:
    episode = EpisodeFactory(specialist=specialist)

    with pytest.raises(PermissionDenied):
        caseload_reassign(
            actor=request.getfixturevalue(person),
            episodes=[episode],
            specialist=colleague,
        )

    episode.refresh_from_db()
    assert episode.specialist == specialist


def test_a_referral_dated_tomorrow_in_iowa_is_refused(
    case_manager: User, member: Member, provider_a: ProviderSite
) -> None:
    with pytest.raises(ValidationError) as refusal:
        referral_create(
            actor=case_manager,
            member=member,
            provider=provider_a,
            referred_on=TODAY + datetime.timedelta(days=1),
            conversation=conversation(),
        )

    assert list(refusal.value.message_dict) == ["referred_on"]
    assert not Referral.objects.exists()


def test_an_acceptance_dated_in_the_future_is_refused(
    supervisor: User, specialist: User, referral: Referral
) -> None:
    with pytest.raises(ValidationError) as refusal:
        referral_accept(
            actor=supervisor,
            referral=referral,
            specialist=specialist,
            accepted_on=TODAY + datetime.timedelta(days=1),
        )

    assert list(refusal.value.message_dict) == ["accepted_on"]
    assert not Episode.objects.exists()


def test_no_referral_or_redirect_to_a_provider_switched_off(
    case_manager: User,
    supervisor: User,
    member: Member,
    referral: Referral,
    provider_b: ProviderSite,
) -> None:
    provider_b.organization.is_active = False
    provider_b.organization.save()

    with pytest.raises(ValidationError) as refusal:
        referral_redirect(
            actor=supervisor, referral=referral, provider=provider_b, reason="Nearer."
        )
    assert list(refusal.value.message_dict) == ["provider"]

    other = MemberFactory(managing_organization=case_manager.organization)
    with pytest.raises(ValidationError):
        refer(case_manager, other, provider_b)
