import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAuthorization
from milestones.rules import Window
from milestones.services import CapWarning, EvidenceUpload, achievement_log
from payers.models import FeeRate, FeeSchedule, Payer
from payers.services_catalog import Service
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import IOWA_EXAMPLE, authorize

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def member(case_manager: User, provider_a: object) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a)
    return member


def month(year: int, number: int) -> Window:
    first = D(year, number, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(1)
    return Window(first, last)


def test_first_round_authorizes_all_four_at_posted_rates(
    case_manager: User, member: Member
) -> None:
    authorization = authorize(case_manager, member)

    lines = list(authorization.lines.order_by("milestone"))
    assert [(line.service, line.units, line.rate) for line in lines] == [
        ("T2018-U3", 1, Decimal("1570.42")),
        ("T2018-U4", 1, Decimal("2394.53")),
        ("T2018-U5", 1, Decimal("2394.53")),
        ("T2018-U6", 1, Decimal("871.58")),
    ]
    assert sum(line.amount for line in lines) == Decimal("7231.06")
    assert lines[3].modifier == "U6"
    assert (lines[0].window_begins_on, lines[0].window_ends_on) == (
        D(2026, 2, 1),
        D(2026, 3, 31),
    )
    assert authorization.episode == member.episodes.get()


def test_history_names_the_case_manager(case_manager: User, member: Member) -> None:
    authorization = authorize(case_manager, member)

    assert authorization.history.get().history_user == case_manager
    line = authorization.lines.get(milestone=4)
    assert line.history.get().history_user == case_manager


def test_first_round_must_hold_all_four(case_manager: User, member: Member) -> None:
    with pytest.raises(ValidationError, match="all four milestones"):
        authorize(case_manager, member, numbers=(1, 2, 3))

    assert not AuthorizationRound.objects.exists()


def test_a_later_round_may_hold_fewer(case_manager: User, member: Member) -> None:
    authorize(case_manager, member)

    later = authorize(
        case_manager,
        member,
        windows={2: month(2026, 9), 3: month(2026, 10), 4: month(2026, 12)},
        numbers=(2, 3, 4),
    )

    assert later.lines.count() == 3


def test_no_authorization_before_a_provider_accepts(case_manager: User) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)

    with pytest.raises(ValidationError, match="accepted"):
        authorize(case_manager, member)


def test_authorization_date_before_the_first_schedule_is_refused_on_its_field(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, authorized_on=D(2025, 6, 30))

    assert refusal.value.message_dict == {
        "authorized_on": [
            "No fee schedule is in force on 06/30/2025: "
            "the first schedule begins 07/01/2025."
        ]
    }
    assert not MilestoneAuthorization.objects.exists()


def test_reversed_window_is_refused_on_that_milestone(
    case_manager: User, member: Member
) -> None:
    windows = dict(IOWA_EXAMPLE)
    windows[3] = Window(D(2026, 5, 31), D(2026, 5, 1))

    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, windows=windows)

    assert list(refusal.value.message_dict) == ["m3-window_ends_on"]
    assert not AuthorizationRound.objects.exists()


def test_windows_out_of_order_are_refused(case_manager: User, member: Member) -> None:
    windows = dict(IOWA_EXAMPLE)
    windows[4] = month(2026, 3)

    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, windows=windows)

    assert "m4-window_ends_on" in refusal.value.message_dict


def test_cap_warning_counts_the_members_other_rounds(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)  # milestone 3 window: May 2026

    # A later round for milestone 2 alone leaves round one's milestone 3 live.
    with pytest.raises(CapWarning) as warning:
        authorize(case_manager, member, windows={2: month(2026, 5)}, numbers=(2,))

    assert [(r.month, r.total) for r in warning.value.risks] == [
        (D(2026, 5, 1), Decimal("4789.06"))
    ]
    assert AuthorizationRound.objects.count() == 1


def test_cap_warning_seen_lets_the_round_through(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)

    authorize(
        case_manager,
        member,
        windows={2: month(2026, 5), 3: month(2026, 6), 4: month(2026, 8)},
        numbers=(2, 3, 4),
        cap_warning_seen=True,
    )

    assert AuthorizationRound.objects.count() == 2


def test_voided_rounds_do_not_count_toward_the_cap(
    case_manager: User, member: Member
) -> None:
    first = authorize(case_manager, member)
    first.voided_at = datetime.datetime(2026, 1, 21, tzinfo=datetime.UTC)
    first.void_reason = "Entered for the wrong member."
    first.save()

    authorize(
        case_manager,
        member,
        windows={1: Window(D(2026, 2, 1), D(2026, 4, 30)), 2: month(2026, 5),
                 3: month(2026, 6), 4: month(2026, 8)},
    )  # fmt: skip

    assert AuthorizationRound.objects.filter(voided_at__isnull=True).count() == 1


def test_ivrs_funded_rounds_are_outside_the_medicaid_cap(
    case_manager: User, provider_a: object
) -> None:
    ivrs = Payer.objects.get(short_name="IVRS")
    member = MemberFactory(
        managing_organization=case_manager.organization, payer=ivrs, medicaid_id=None
    )
    EpisodeFactory(member=member, provider=provider_a)
    april = month(2026, 4)

    authorization = authorize(
        case_manager,
        member,
        windows={1: Window(D(2026, 2, 1), D(2026, 4, 30)), 2: april, 3: month(2026, 5),
                 4: month(2026, 7)},
    )  # fmt: skip

    assert authorization.payer == ivrs


def test_negotiated_rate_is_kept_on_the_line_after_the_schedule_changes(
    case_manager: User, member: Member
) -> None:
    schedule = FeeSchedule.objects.create(
        payer=member.payer, name="Negotiated", effective_on=D(2026, 1, 1)
    )
    rate = FeeRate.objects.create(
        schedule=schedule, service=Service.JOB_DEVELOPMENT_1, rate=Decimal("2500.00")
    )
    authorization = authorize(case_manager, member)

    rate.rate = Decimal("2600.00")
    rate.save()

    line = authorization.lines.get(milestone=2)
    assert line.rate == Decimal("2500.00")
    assert authorization.lines.get(milestone=1).rate == Decimal("1570.42")


def test_only_case_managers_authorize(
    specialist: User, supervisor: User, reviewer: User, member: Member
) -> None:
    for person in (specialist, supervisor, reviewer):
        with pytest.raises(PermissionDenied):
            authorize(person, member)


def test_authorization_date_before_acceptance_is_refused(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, authorized_on=D(2026, 1, 9))

    assert refusal.value.message_dict == {
        "authorized_on": [
            "The authorization date cannot be before the provider accepted "
            "the member (01/10/2026)."
        ]
    }


@time_machine.travel(datetime.datetime(2026, 3, 1, 4, 30, tzinfo=datetime.UTC))
def test_authorization_date_in_the_future_is_refused_by_the_iowa_calendar(
    case_manager: User, member: Member
) -> None:
    # 04:30 UTC on March 1 is still February 28 in Iowa.
    with pytest.raises(ValidationError) as refusal:
        authorize(case_manager, member, authorized_on=D(2026, 3, 1))

    assert refusal.value.message_dict == {
        "authorized_on": ["The authorization date cannot be in the future."]
    }
    assert authorize(case_manager, member, authorized_on=D(2026, 2, 28))


def test_lines_a_new_round_replaces_no_longer_count_toward_the_cap(
    case_manager: User, member: Member
) -> None:
    authorize(case_manager, member)  # milestone 3 window: May 2026

    # The new round's milestone 3 replaces round one's, so May holds only
    # the new milestone 2.
    later = authorize(
        case_manager,
        member,
        windows={2: month(2026, 5), 3: month(2026, 6), 4: month(2026, 8)},
        numbers=(2, 3, 4),
    )

    assert later.lines.count() == 3


def test_an_achieved_milestone_counts_in_its_month_even_when_replaced(
    case_manager: User, specialist: User, member: Member
) -> None:
    first = authorize(case_manager, member)
    member.episodes.update(specialist=specialist)
    job = job_record(
        actor=specialist,
        member=member,
        employer="Prairie Library (demo)",
        title="Shelver",
        first_day_on=D(2026, 4, 15),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12.00"),
    )
    achievement_log(
        actor=specialist,
        line=first.lines.get(milestone=2),
        job=job,
        evidence=[
            EvidenceUpload(
                "service_documentation",
                SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
        ],
    )

    with pytest.raises(CapWarning) as warning:
        authorize(case_manager, member, windows={2: month(2026, 4)}, numbers=(2,))

    assert [(r.month, r.total) for r in warning.value.risks] == [
        (D(2026, 4, 1), Decimal("4789.06"))
    ]
