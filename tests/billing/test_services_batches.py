"""Claim batches (rule — billed), holds for the cap, and the CSV."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from billing.exports import safe_text
from billing.models import ClaimBatch, ClaimLine
from billing.selectors import cap_totals_for_members, member_cap_ledger
from billing.services import (
    claim_batch_create,
    claim_line_release,
    claim_line_void,
    claim_lines_collect,
)
from coaching.services import coaching_entry_log, coaching_period_authorize
from core.dates import add_months
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.uploads import pdf

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
APRIL = D(2026, 4, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def member_with_round(
    case_manager: User, specialist: User, provider: Any, **names: str
) -> tuple[Member, AuthorizationRound]:
    member = MemberFactory(managing_organization=case_manager.organization, **names)
    EpisodeFactory(member=member, provider=provider, specialist=specialist)
    windows = {
        1: Window(D(2026, 2, 1), D(2026, 4, 30)),
        2: Window(D(2026, 4, 1), D(2026, 4, 30)),
        3: Window(D(2026, 5, 1), D(2026, 5, 31)),
        4: Window(D(2026, 7, 1), D(2026, 7, 31)),
    }
    return member, authorize(
        case_manager, member, windows=windows, cap_warning_seen=True
    )


def log_plan(specialist: User, authorization: AuthorizationRound, on: D) -> None:
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=on,
        evidence=[EvidenceUpload("employment_plan", pdf())],
    )


def log_first_day(
    specialist: User, member: Member, authorization: AuthorizationRound, on: D
) -> None:
    job = job_record(
        actor=specialist,
        member=member,
        employer='=HYPERLINK("x")',
        title="Stocker",
        first_day_on=on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12"),
    )
    achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=2),
        job=job,
        cap_warning_seen=True,
        evidence=[EvidenceUpload("service_documentation", pdf())],
    )


def download(client: Client, batch: ClaimBatch) -> bytes:
    response = client.get(reverse("billing:download", args=[batch.public_id]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_batch_bills_the_month_and_downloads_the_same_bytes_twice(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
) -> None:
    member, authorization = member_with_round(
        case_manager, specialist, provider_a, first_name="Lan", last_name="Nguyễn"
    )
    log_plan(specialist, authorization, D(2026, 3, 10))
    log_first_day(specialist, member, authorization, D(2026, 4, 20))

    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    client.force_login(supervisor)
    first, second = download(client, batch), download(client, batch)

    assert first == second
    assert first.startswith("\ufeff".encode())
    text = first.decode("utf-8-sig")
    assert "Nguyễn, Lan" in text
    assert "T2018,U4,1.00,2394.53,2394.53,04/20/2026" in text
    assert "smi" not in text.lower()  # no diagnosis
    assert batch.lines.count() == 1
    assert ClaimLine.objects.get().batch == batch


def test_later_lines_go_into_the_next_batch_and_nothing_twice(
    case_manager: User, specialist: User, supervisor: User, provider_a: Any
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    first = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)

    assert (
        claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL) is None
    )

    other, other_round = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, other_round, D(2026, 4, 8))
    second = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)

    assert (first.number, second.number) == (1, 2)
    assert [line.member for line in second.lines.all()] == [other]


def test_an_over_cap_month_is_held_until_released(
    case_manager: User, specialist: User, supervisor: User, provider_a: Any
) -> None:
    member, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    log_first_day(specialist, member, authorization, D(2026, 4, 20))
    assert member_cap_ledger(member, D(2026, 4, 30), 1)[0].is_over_cap

    assert (
        claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL) is None
    )
    held = list(ClaimLine.objects.filter(is_held=True))
    assert len(held) == 2 and all(line.batch is None for line in held)
    # Amounts are never changed by the hold.
    assert sorted(line.amount for line in held) == [
        Decimal("1570.42"),
        Decimal("2394.53"),
    ]

    claim_line_release(actor=supervisor, line=held[0])
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)

    assert list(batch.lines.all()) == [held[0]]


def test_a_billed_line_is_corrected_only_by_a_void_with_a_reason(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    assert batch is not None
    client.force_login(supervisor)
    before = download(client, batch)
    line = batch.lines.get()

    with pytest.raises(ValidationError):
        claim_line_void(actor=supervisor, line=line, reason=" ")
    claim_line_void(actor=supervisor, line=line, reason="Wrong authorization number")

    line.refresh_from_db()
    assert line.voided_at is not None and line.batch == batch
    assert download(client, batch) == before


def test_batch_totals_reconcile_with_the_ledger(
    case_manager: User, specialist: User, supervisor: User, provider_a: Any
) -> None:
    member, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 3, 10))
    log_first_day(specialist, member, authorization, D(2026, 4, 20))

    march = claim_batch_create(
        actor=supervisor, provider=provider_a, month=D(2026, 3, 1)
    )
    april = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)

    ledger = {m.month: m.total for m in member_cap_ledger(member, D(2026, 4, 30), 2)}
    assert sum(line.amount for line in march.lines.all()) == ledger[D(2026, 3, 1)]
    assert sum(line.amount for line in april.lines.all()) == ledger[APRIL]


def test_formula_like_text_is_neutralized_and_amounts_stay_numbers() -> None:
    assert safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_text("+1") == "'+1"
    assert safe_text("Nguyễn, Lan") == "Nguyễn, Lan"


def test_the_export_uses_a_fixed_number_of_queries(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    small_batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    for _ in range(4):
        _, authorization = member_with_round(case_manager, specialist, provider_a)
        log_plan(specialist, authorization, D(2026, 4, 3))
    large_batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    client.force_login(supervisor)

    with CaptureQueriesContext(connection) as few:
        download(client, small_batch)
    with CaptureQueriesContext(connection) as many:
        download(client, large_batch)

    assert len(few) == len(many)


def test_only_the_providers_supervisor_bills_and_downloads(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    outsider_supervisor: User,
    provider_a: Any,
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    url = reverse("billing:download", args=[batch.public_id])

    client.force_login(outsider_supervisor)
    assert client.get(url).status_code == 404
    client.force_login(specialist)
    assert client.get(url).status_code == 403
    client.force_login(case_manager)
    assert client.get(url).status_code == 403


def test_the_batch_page_voids_a_line_with_a_reason_and_refuses_one_without(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    assert batch is not None
    line = batch.lines.get()
    client.force_login(supervisor)
    void_url = reverse("billing:void", args=[line.public_id])

    assert (
        client.get(reverse("billing:batch", args=[batch.public_id])).status_code == 200
    )
    client.post(void_url, {"reason": "  "})
    line.refresh_from_db()
    assert line.voided_at is None

    client.post(void_url, {"reason": "Wrong number"})
    line.refresh_from_db()
    assert line.void_reason == "Wrong number"


def test_the_outsider_supervisor_cannot_open_or_void_another_providers_batch(
    client: Client,
    case_manager: User,
    specialist: User,
    supervisor: User,
    outsider_supervisor: User,
    provider_a: Any,
) -> None:
    _, authorization = member_with_round(case_manager, specialist, provider_a)
    log_plan(specialist, authorization, D(2026, 4, 2))
    batch = claim_batch_create(actor=supervisor, provider=provider_a, month=APRIL)
    assert batch is not None
    client.force_login(outsider_supervisor)

    assert (
        client.get(reverse("billing:batch", args=[batch.public_id])).status_code == 404
    )
    line = batch.lines.get()
    response = client.post(
        reverse("billing:void", args=[line.public_id]), {"reason": "x"}
    )
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.voided_at is None


def test_collecting_a_months_lines_reads_in_a_fixed_number_of_queries(
    case_manager: User, specialist: User, provider_a: Any
) -> None:
    def coached_member() -> Member:
        member, authorization = member_with_round(case_manager, specialist, provider_a)
        log_plan(specialist, authorization, D(2026, 4, 2))
        coaching_period_authorize(
            actor=case_manager,
            member=member,
            payer=member.payer,
            tier=2,
            begins_on=D(2026, 4, 1),
            authorization_number="CO-1",
            authorized_on=D(2026, 3, 25),
        )
        coaching_entry_log(
            actor=specialist,
            member=member,
            coached_on=D(2026, 4, 9),
            minutes=150,
            kind="worksite",
        )
        return member

    def reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            lines = claim_lines_collect(provider_a, APRIL)
            cap_totals_for_members(sorted({line.member_id for line in lines}), APRIL)
        return len(queries)

    coached_member()
    few = reads()
    for _ in range(4):
        coached_member()

    assert reads() == few


# Only a month that has ended is billed.


def coached_on(
    case_manager: User, specialist: User, provider: Any, day: datetime.date
) -> None:
    """A member at tier 2 from November 1, coached 45 minutes on ``day``."""
    member, _ = member_with_round(case_manager, specialist, provider)
    coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=D(2026, 11, 1),
        authorization_number="CO-1",
        authorized_on=D(2026, 10, 28),
    )
    coaching_entry_log(
        actor=specialist, member=member, coached_on=day, minutes=45, kind="worksite"
    )


@pytest.mark.parametrize("month", [D(2026, 12, 1), D(2027, 1, 1)])
def test_a_month_that_has_not_ended_is_not_billed(
    case_manager: User,
    specialist: User,
    supervisor: User,
    provider_a: Any,
    month: datetime.date,
) -> None:
    coached_on(case_manager, specialist, provider_a, D(2026, 12, 1))

    with pytest.raises(ValidationError) as refused:
        claim_batch_create(actor=supervisor, provider=provider_a, month=month)

    assert refused.value.messages == [
        f"{month:%B %Y} has not ended: it can be billed from "
        f"{add_months(month, 1):%m/%d/%Y}. "
        "Its coaching is paid on the month's whole total, and the monthly cap "
        "counts the whole month."
    ]
    assert not ClaimBatch.objects.exists()
    assert not ClaimLine.objects.exists()


def test_the_last_month_is_billed_from_the_first_of_the_next(
    case_manager: User, specialist: User, supervisor: User, provider_a: Any
) -> None:
    coached_on(case_manager, specialist, provider_a, D(2026, 11, 30))

    batch = claim_batch_create(
        actor=supervisor, provider=provider_a, month=D(2026, 11, 1)
    )

    assert batch is not None
    assert batch.lines.count() == 1


def test_the_billing_page_offers_no_batch_for_this_month_and_refuses_one(
    client: Client, supervisor: User
) -> None:
    client.force_login(supervisor)

    page = client.get(reverse("billing:home"), {"month": "2026-12"}).content.decode()
    refused = client.post(
        reverse("billing:create-batch"), {"month": "2026-12"}, follow=True
    ).content.decode()

    assert "Make the claim batch" not in page
    assert "December 2026 has not ended yet" in page
    assert "December 2026 has not ended: it can be billed from 01/01/2027." in refused
    assert not ClaimBatch.objects.exists()
