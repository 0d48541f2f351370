"""What a bill was made from does not change after billing without a reason.

A billed milestone is corrected through its claim line (rule — billed):
the achievement cannot be voided, nor its window moved off its date,
while a batch bills it. Coaching logged in a month already billed needs a
reason, kept in the history, and so does a coaching authorization that
changes a month already billed. Underneath, the database refuses any writer
that changes a billed line's terms, edits or deletes an achievement, or
un-voids either.
"""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from billing.models import ClaimLine
from billing.services import claim_batch_create, claim_line_void
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.services import coaching_entry_log, coaching_period_authorize
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAchievement
from milestones.rules import Window
from milestones.services import (
    EvidenceUpload,
    achievement_log,
    achievement_void,
    milestone_window_change,
)
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.pages import errors_next_to_named as errors_next_to
from tests.uploads import pdf

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
MARCH, SEPTEMBER = D(2026, 3, 1), D(2026, 9, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: Any) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    windows = {
        1: Window(D(2026, 2, 1), D(2026, 3, 31)),
        2: Window(D(2026, 4, 1), D(2026, 4, 30)),
        3: Window(D(2026, 5, 1), D(2026, 5, 31)),
        4: Window(D(2026, 7, 1), D(2026, 7, 31)),
    }
    return authorize(case_manager, member, windows=windows)


@pytest.fixture
def plan(specialist: User, authorization: AuthorizationRound) -> MilestoneAchievement:
    """Milestone 1 achieved on 03/10/2026."""
    return achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 3, 10),
        evidence=[EvidenceUpload("employment_plan", pdf())],
    )


@pytest.fixture
def billed_plan(
    plan: MilestoneAchievement, supervisor: User, provider_a: Any
) -> ClaimLine:
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=MARCH)
    assert batch is not None
    return batch.lines.get()


# Milestones


def test_a_billed_achievement_cannot_be_voided_until_its_claim_line_is(
    plan: MilestoneAchievement,
    billed_plan: ClaimLine,
    specialist: User,
    supervisor: User,
) -> None:
    with pytest.raises(ValidationError) as refused:
        achievement_void(actor=specialist, achievement=plan, reason="Wrong date.")

    assert "billed on claim batch 1 of 03/2026" in refused.value.messages[0]
    plan.refresh_from_db()
    assert not plan.is_voided

    claim_line_void(actor=supervisor, line=billed_plan, reason="Plan date was wrong.")
    achievement_void(actor=specialist, achievement=plan, reason="Wrong date.")

    plan.refresh_from_db()
    assert plan.is_voided


def test_an_achievement_not_yet_billed_is_voided_as_before(
    plan: MilestoneAchievement, specialist: User
) -> None:
    achievement_void(actor=specialist, achievement=plan, reason="Wrong date.")

    plan.refresh_from_db()
    assert plan.void_reason == "Wrong date."


def test_a_billed_milestones_window_cannot_leave_its_date_outside(
    plan: MilestoneAchievement,
    billed_plan: ClaimLine,
    case_manager: User,
) -> None:
    line = plan.line

    with pytest.raises(ValidationError) as refused:
        milestone_window_change(
            actor=case_manager,
            line=line,
            window=Window(D(2026, 3, 15), D(2026, 3, 31)),
            reason="Plan signed later.",
        )

    assert "billed on claim batch 1 of 03/2026" in refused.value.messages[0]
    line.refresh_from_db()
    assert line.window == Window(D(2026, 2, 1), D(2026, 3, 31))


def test_a_billed_milestones_window_may_change_around_its_date_with_a_reason(
    plan: MilestoneAchievement,
    billed_plan: ClaimLine,
    case_manager: User,
) -> None:
    milestone_window_change(
        actor=case_manager,
        line=plan.line,
        window=Window(D(2026, 3, 1), D(2026, 3, 31)),
        reason="Matches the PCSP as signed.",
    )

    line = plan.line
    line.refresh_from_db()
    assert line.window == Window(D(2026, 3, 1), D(2026, 3, 31))
    assert line.history.first().history_change_reason == "Matches the PCSP as signed."


def test_the_void_page_says_why_a_billed_achievement_cannot_be_voided(
    plan: MilestoneAchievement, billed_plan: ClaimLine, specialist: User
) -> None:
    client = Client()
    client.force_login(specialist)

    page = client.post(
        reverse("milestones:void-achievement", args=[plan.public_id]),
        {"reason": "Wrong date."},
    )

    assert page.status_code in (200, 400)
    assert "billed on claim batch 1 of 03/2026" in page.content.decode()
    assert not MilestoneAchievement.objects.get(pk=plan.pk).is_voided


# Coaching


@pytest.fixture
def billed_coaching(
    member: Member,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
) -> ClaimLine:
    """Tier 2 from 09/01/2026; 3 hours in September, billed."""
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=SEPTEMBER,
        authorization_number="CO-2026-7",
        authorized_on=D(2026, 8, 25),
    )
    coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 9, 8),
        minutes=180,
        kind=CoachingEntry.Kind.WORKSITE,
    )
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=SEPTEMBER)
    assert batch is not None
    return batch.lines.get()


def test_coaching_in_a_billed_month_needs_a_reason(
    member: Member, specialist: User, billed_coaching: ClaimLine
) -> None:
    with pytest.raises(ValidationError) as refused:
        coaching_entry_log(
            actor=specialist,
            member=member,
            coached_on=D(2026, 9, 29),
            minutes=60,
            kind=CoachingEntry.Kind.WORKSITE,
        )

    assert (
        "already billed on claim batch 1 of 09/2026"
        in (refused.value.message_dict["after_billing_reason"][0])
    )
    assert CoachingEntry.objects.filter(member=member).count() == 1


def test_coaching_in_a_billed_month_is_kept_with_its_reason_and_the_bill_stands(
    member: Member, specialist: User, billed_coaching: ClaimLine
) -> None:
    entry = coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 9, 29),
        minutes=60,
        kind=CoachingEntry.Kind.WORKSITE,
        after_billing_reason="Contact on the 29th was left in my notebook.",
    )

    assert entry.history.first().history_change_reason == (
        "Logged after the month was billed: Contact on the 29th was left in my "
        "notebook."
    )
    billed_coaching.refresh_from_db()
    assert billed_coaching.amount == Decimal("436.40")
    assert billed_coaching.voided_at is None


def test_coaching_in_a_month_not_billed_needs_no_reason(
    member: Member, specialist: User, billed_coaching: ClaimLine
) -> None:
    entry = coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 10, 2),
        minutes=60,
        kind=CoachingEntry.Kind.WORKSITE,
    )

    assert entry.history.first().history_change_reason is None


def test_the_coaching_form_asks_for_the_reason_next_to_its_field_and_keeps_the_entry(
    member: Member, specialist: User, billed_coaching: ClaimLine
) -> None:
    client = Client()
    client.force_login(specialist)
    url = reverse("coaching:log", args=[member.public_id])
    entry = {
        "coached_on": "09/29/2026",
        "minutes": "60",
        "kind": CoachingEntry.Kind.WORKSITE,
        "note": "Shift review",
    }

    refused = client.post(url, entry)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert errors_next_to(page, "after_billing_reason") == (
        "Coaching of 09/2026 is already billed on claim batch 1 of 09/2026. Say "
        "why this is logged now: the bill stays as it was until the provider's "
        "billing voids that line and bills the month again."
    )
    assert 'value="Shift review"' in page
    # Asked for, the reason is not optional.
    assert reason_label(page) == "Why it is logged after its month was billed"
    assert CoachingEntry.objects.filter(member=member).count() == 1

    kept = client.post(url, {**entry, "after_billing_reason": "Late notes."})

    assert kept.status_code == 302
    assert CoachingEntry.objects.filter(member=member).count() == 2


def reason_label(page: str) -> str:
    """The reason field's label as the page shows it."""
    found = re.search(r'<label for="id_after_billing_reason">(.*?)</label>', page, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


# Coaching authorized after billing


def authorize_tier_4_from_september_15(
    case_manager: User, member: Member, **changes: Any
) -> CoachingPeriod:
    arguments: dict[str, Any] = {
        "actor": case_manager,
        "member": member,
        "payer": member.payer,
        "tier": 4,
        "begins_on": D(2026, 9, 15),
        "authorization_number": "CO-2026-8",
        "authorized_on": D(2026, 11, 30),
    }
    arguments.update(changes)
    return coaching_period_authorize(**arguments)


BILLED_SEPTEMBER = (
    "Coaching of 09/2026 is already billed on claim batch 1 of 09/2026. This "
    "period changes the tier or authorization number that bill was made from. "
    "Say why: a bill stays as it was until the provider's billing voids its "
    "line and bills the month again."
)


def test_a_tier_change_in_a_billed_month_needs_a_reason(
    member: Member, case_manager: User, billed_coaching: ClaimLine
) -> None:
    with pytest.raises(ValidationError) as refused:
        authorize_tier_4_from_september_15(case_manager, member)

    assert refused.value.message_dict == {"after_billing_reason": [BILLED_SEPTEMBER]}
    current = CoachingPeriod.objects.get(member=member)
    assert (current.tier, current.ends_on) == (2, D(2026, 11, 29))


def test_a_tier_change_in_a_billed_month_keeps_its_reason_in_both_periods_history(
    member: Member, case_manager: User, billed_coaching: ClaimLine
) -> None:
    new = authorize_tier_4_from_september_15(
        case_manager,
        member,
        after_billing_reason="The payer approved tier 4 from 09/15 on appeal.",
    )

    reason = (
        "Authorized after coaching of 09/2026 was billed: The payer approved "
        "tier 4 from 09/15 on appeal."
    )
    assert new.history.get().history_change_reason == reason
    earlier = CoachingPeriod.objects.get(member=member, tier=2)
    assert earlier.ends_on == D(2026, 9, 14)
    assert earlier.history.first().history_change_reason == (
        f"Ended early for tier 4 from 09/15/2026. {reason}"
    )
    assert earlier.history.first().history_user == case_manager
    billed_coaching.refresh_from_db()
    assert (billed_coaching.amount, billed_coaching.authorization_number) == (
        Decimal("436.40"),
        "CO-2026-7",
    )


def test_a_tier_change_across_two_billed_months_names_both(
    member: Member,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
    billed_coaching: ClaimLine,
) -> None:
    coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=D(2026, 10, 6),
        minutes=180,
        kind=CoachingEntry.Kind.WORKSITE,
    )
    assert claim_batch_create(
        actor=supervisor, provider=provider_a, month=D(2026, 10, 1)
    )

    with pytest.raises(ValidationError) as refused:
        authorize_tier_4_from_september_15(case_manager, member)
    new = authorize_tier_4_from_september_15(
        case_manager, member, after_billing_reason="Approved on appeal."
    )

    assert refused.value.messages == [
        "Coaching of 09/2026 is already billed on claim batch 1 of 09/2026. "
        "Coaching of 10/2026 is already billed on claim batch 1 of 10/2026. This "
        "period changes the tier or authorization number those bills were made "
        "from. Say why: a bill stays as it was until the provider's billing voids "
        "its line and bills the month again."
    ]
    assert new.history.get().history_change_reason == (
        "Authorized after coaching of 09/2026, 10/2026 was billed: Approved on appeal."
    )


def test_a_period_touching_only_months_not_billed_needs_no_reason(
    member: Member, case_manager: User, billed_coaching: ClaimLine
) -> None:
    later = authorize_tier_4_from_september_15(
        case_manager, member, begins_on=D(2026, 10, 1)
    )

    assert later.history.get().history_change_reason is None
    earlier = CoachingPeriod.objects.get(member=member, tier=2)
    assert earlier.history.first().history_change_reason == (
        "Ended early for tier 4 from 10/01/2026"
    )


def test_a_voided_coaching_line_no_longer_asks_for_a_reason(
    member: Member,
    case_manager: User,
    supervisor: User,
    billed_coaching: ClaimLine,
) -> None:
    claim_line_void(
        actor=supervisor, line=billed_coaching, reason="Tier 4 approved on appeal."
    )

    new = authorize_tier_4_from_september_15(case_manager, member)

    assert new.begins_on == D(2026, 9, 15)


def test_a_coaching_line_held_for_cap_review_asks_for_a_reason_too(
    member: Member, case_manager: User, supervisor: User, provider_a: Any
) -> None:
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=SEPTEMBER,
        authorization_number="CO-2026-7",
        authorized_on=D(2026, 8, 25),
    )
    ClaimLine.objects.create(
        provider=provider_a,
        member=member,
        kind=ClaimLine.Kind.COACHING,
        month=SEPTEMBER,
        service_on=SEPTEMBER,
        service="H2025-U3",
        units=Decimal(1),
        rate=Decimal("436.40"),
        amount=Decimal("436.40"),
        authorization_number="CO-2026-7",
        payer=member.payer,
        is_held=True,
    )

    with pytest.raises(ValidationError) as refused:
        authorize_tier_4_from_september_15(case_manager, member)

    assert refused.value.message_dict["after_billing_reason"][0].startswith(
        "Coaching of 09/2026 already has a claim line, held for cap review."
    )


def test_the_authorization_form_asks_for_the_reason_next_to_its_field(
    member: Member, case_manager: User, billed_coaching: ClaimLine
) -> None:
    client = Client()
    client.force_login(case_manager)
    url = reverse("coaching:authorize", args=[member.public_id])
    authorization = {
        "tier": "4",
        "begins_on": "09/15/2026",
        "authorization_number": "CO-2026-8",
        "payer": str(member.payer.pk),
        "authorized_on": "11/30/2026",
    }

    refused = client.post(url, authorization)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert errors_next_to(page, "after_billing_reason") == BILLED_SEPTEMBER
    assert reason_label(page) == "Why it changes coaching already billed"
    assert 'value="CO-2026-8"' in page
    assert CoachingPeriod.objects.filter(member=member).count() == 1

    kept = client.post(
        url, {**authorization, "after_billing_reason": "Approved on appeal."}
    )

    assert kept.status_code == 302
    new = CoachingPeriod.objects.get(member=member, tier=4)
    assert new.history.get().history_change_reason == (
        "Authorized after coaching of 09/2026 was billed: Approved on appeal."
    )


# The database underneath


def refused_by_the_database(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_to_change_a_billed_lines_terms(
    billed_plan: ClaimLine,
) -> None:
    table = ClaimLine._meta.db_table
    for column, value in [
        ("amount", "1.00"),
        ("rate", "1.00"),
        ("service_on", "2026-03-11"),
        ("authorization_number", "OTHER"),
        ("batch_id", None),
    ]:
        assert refused_by_the_database(
            f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608 (names from this test)
            [value, billed_plan.pk],
        ), column

    billed_plan.refresh_from_db()
    assert billed_plan.amount == Decimal("1570.42")


def test_the_database_keeps_voided_lines_voided_and_every_line(
    billed_plan: ClaimLine, supervisor: User
) -> None:
    table = ClaimLine._meta.db_table
    assert refused_by_the_database(
        f"UPDATE {table} SET voided_at = %s WHERE id = %s",  # noqa: S608 (our table)
        [NOW, billed_plan.pk],
    ), "a void without a reason"

    claim_line_void(actor=supervisor, line=billed_plan, reason="Duplicate claim.")

    assert refused_by_the_database(
        f"UPDATE {table} SET voided_at = NULL, void_reason = '' WHERE id = %s",  # noqa: S608 (our table)
        [billed_plan.pk],
    )
    assert refused_by_the_database(
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608 (our table)
        [billed_plan.pk],
    )
    assert ClaimLine.objects.filter(pk=billed_plan.pk, voided_at__isnull=False).exists()


def test_the_database_refuses_to_edit_delete_or_unvoid_an_achievement(
    plan: MilestoneAchievement, specialist: User
) -> None:
    table = MilestoneAchievement._meta.db_table
    assert refused_by_the_database(
        f"UPDATE {table} SET achieved_on = %s WHERE id = %s",  # noqa: S608 (our table)
        ["2026-03-11", plan.pk],
    )
    assert refused_by_the_database(
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608 (our table)
        [plan.pk],
    )

    achievement_void(actor=specialist, achievement=plan, reason="Wrong date.")

    assert refused_by_the_database(
        f"UPDATE {table} SET voided_at = NULL WHERE id = %s",  # noqa: S608 (our table)
        [plan.pk],
    )
    plan.refresh_from_db()
    assert plan.is_voided
    assert plan.achieved_on == D(2026, 3, 10)
