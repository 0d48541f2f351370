"""The service plan authorization and the milestone documentation packet."""

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import policy
from accounts.models import User
from coaching.models import CoachingPeriod
from coaching.services import coaching_period_authorize
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.documents import (
    PlanRow,
    coaching_monthly_amount,
    coaching_months_authorized,
    coaching_periods_for_plan,
    documentation_packet_pdf,
    plan_total,
    service_plan_pdf,
)
from milestones.models import AuthorizationRound, EvidenceDocument, MilestoneAchievement
from milestones.rules import milestone_windows_propose
from milestones.services import (
    EvidenceUpload,
    MilestoneLineInput,
    achievement_log,
    achievement_void,
)
from payers.services_catalog import Service
from providers.models import ProviderSite
from tests.documents.pdf import (
    SIDE_MARGIN,
    pdf_lines,
    pdf_text,
    pdf_text_off_the_page,
)
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import IOWA_EXAMPLE, authorize
from tests.uploads import pdf, png

pytestmark = pytest.mark.django_db

D = datetime.date

# Late in 2026, so every date of the Iowa example is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
APRIL_15 = D(2026, 4, 15)
OUTSIDERS = ["outsider", "outsider_case_manager", "administrator"]
IN_SCOPE = ["specialist", "supervisor", "case_manager", "reviewer"]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


recorded: list[dict[str, Any]] = []


def remember_read(**kwargs: Any) -> None:
    recorded.append(kwargs)


@pytest.fixture
def reads(settings: Any) -> Iterator[list[dict[str, Any]]]:
    """Every member read the downloads pass to the recording hook."""
    settings.MEMBER_READ_RECORDERS = [f"{__name__}.remember_read"]
    policy._recorders.cache_clear()
    recorded.clear()
    yield recorded
    policy._recorders.cache_clear()


# The member, the round, the coaching, the achievement


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(
        first_name="Ngũgĩ",
        last_name="Nguyễn",
        medicaid_id="1234567A",
        managing_organization=case_manager.organization,
    )
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    """The Iowa example: Feb 1–Mar 31, April, May and July 2026."""
    case_manager.first_name, case_manager.last_name = "Zoë", "Lindqvist"
    case_manager.save()
    return authorize(case_manager, member, plan_reference="PCSP-2026-0142")


def coach(actor: User, member: Member, **changes: Any) -> CoachingPeriod:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "payer": member.payer,
        "tier": 2,
        "begins_on": D(2026, 8, 1),
        "authorization_number": "CO-2026-1",
        "authorized_on": D(2026, 7, 25),
    }
    arguments.update(changes)
    return coaching_period_authorize(**arguments)


@pytest.fixture
def coaching(case_manager: User, member: Member) -> CoachingPeriod:
    """Tier 2 from 08/01/2026 to 10/29/2026: August, September, October."""
    return coach(case_manager, member)


def job_for(actor: User, member: Member, first_day_on: datetime.date = APRIL_15) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


@pytest.fixture
def achievement(
    specialist: User, member: Member, authorization: AuthorizationRound
) -> MilestoneAchievement:
    """Milestone 2 on the first day of a job, with two documents."""
    specialist.first_name, specialist.last_name = "José María", "O'Brien"
    specialist.save()
    return achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=2),
        job=job_for(specialist, member),
        evidence=[
            EvidenceUpload(
                EvidenceDocument.Kind.SERVICE_DOCUMENTATION,
                pdf("Placement notes April 2026.pdf"),
            ),
            EvidenceUpload(EvidenceDocument.Kind.SERVICE_PLAN, png("PCSP scan.png")),
        ],
    )


def plan_url(authorization: AuthorizationRound) -> str:
    return reverse("milestones:service-plan-pdf", args=[authorization.public_id])


def packet_url(achievement: MilestoneAchievement) -> str:
    return reverse("milestones:documentation-pdf", args=[achievement.public_id])


def plan_text(authorization: AuthorizationRound, user: User) -> str:
    return pdf_text(service_plan_pdf(authorization, user))


def between(text: str, start: str, end: str) -> str:
    """The text from ``start`` up to ``end``: one row of the plan's table."""
    return text.split(start, 1)[1].split(end, 1)[0]


# The service plan


def test_the_plan_shows_who_and_what_was_authorized(
    case_manager: User,
    member: Member,
    provider_a: ProviderSite,
    authorization: AuthorizationRound,
) -> None:
    text = plan_text(authorization, case_manager)

    assert "Service plan authorization" in text
    assert "Ngũgĩ Nguyễn" in text
    assert "1234567A" in text
    assert "PAYER Wellpoint Iowa" in text
    assert "CASE MANAGED BY Wellpoint Iowa" in text
    assert provider_a.name in text
    assert provider_a.medicaid_provider_number in text
    assert "PCSP-2026-0142 of 01/15/2026" in text
    assert "AUTHORIZATION DATE 01/20/2026" in text
    assert "AUTHORIZED BY Zoë Lindqvist" in text
    assert "Voided" not in text
    assert "Case manager signature" in text


def test_authorization_numbers_keep_to_one_line_when_they_fit(
    case_manager: User, member: Member
) -> None:
    # As the demo numbers them: these broke after "DEMO-" at the end of a line.
    numbered = authorize(
        case_manager,
        member,
        lines=[
            MilestoneLineInput(n, IOWA_EXAMPLE[n], f"DEMO-PA-0177-{n}")
            for n in (1, 2, 3, 4)
        ],
    )

    lines = pdf_lines(service_plan_pdf(numbered, case_manager))

    for n in (1, 2, 3, 4):
        assert any(line.endswith(f"DEMO-PA-0177-{n}") for line in lines), n


def test_long_unbroken_words_in_every_field_wrap_inside_the_margins(
    case_manager: User, specialist: User, member: Member
) -> None:
    # Each field at or near its longest, without a space to break at.
    member.first_name = "Wanjirũ" * 14
    member.last_name = "Okonkwo-Baptiste" * 6
    member.save()
    address = "https://www.governmentjobs.com/careers/desmoines/jobs/4412345/" * 3
    authorization = authorize(
        case_manager,
        member,
        plan_reference="PCSP-" + "0123456789" * 5,
        lines=[
            MilestoneLineInput(n, IOWA_EXAMPLE[n], f"PA-{n}-" + "7" * 35)
            for n in (1, 2, 3, 4)
        ],
    )
    job = job_record(
        actor=specialist,
        member=member,
        employer=address[:200],
        title="Library-page-and-shelving-assistant" * 5,
        first_day_on=APRIL_15,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )
    achievement = achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=2),
        job=job,
        evidence=[
            EvidenceUpload(
                EvidenceDocument.Kind.SERVICE_DOCUMENTATION,
                pdf("Placement-notes-" * 12 + ".pdf"),
            )
        ],
    )
    achievement_void(actor=specialist, achievement=achievement, reason=address)
    achievement.refresh_from_db()

    plan = service_plan_pdf(authorization, case_manager)
    packet = documentation_packet_pdf(achievement, specialist)

    assert pdf_text_off_the_page(plan, margin=SIDE_MARGIN) == []
    assert pdf_text_off_the_page(packet, margin=SIDE_MARGIN) == []
    assert member.first_name in pdf_text(plan).replace(" ", "")


def test_a_member_without_a_medicaid_id_says_so(
    case_manager: User, member: Member, authorization: AuthorizationRound
) -> None:
    member.medicaid_id = None
    member.save()

    assert "MEDICAID ID None on file" in plan_text(authorization, case_manager)


def test_the_plan_lists_the_iowa_example_in_milestone_order(
    case_manager: User, authorization: AuthorizationRound
) -> None:
    text = plan_text(authorization, case_manager)

    rows = {
        "T2018:U3": between(text, "T2018:U3", "T2018:U4"),
        "T2018:U4": between(text, "T2018:U4", "T2018:U5"),
        "T2018:U5": between(text, "T2018:U5", "T2018:U6"),
        "T2018:U6": between(text, "T2018:U6", "Plan total"),
    }
    expected = {
        "T2018:U3": ("02/01/2026", "03/31/2026", "$1,570.42", "Completed employment"),
        "T2018:U4": ("04/01/2026", "04/30/2026", "$2,394.53", "First day of a"),
        "T2018:U5": ("05/01/2026", "05/31/2026", "$2,394.53", "45 days of"),
        "T2018:U6": ("07/01/2026", "07/31/2026", "$871.58", "90 days of"),
    }
    for code, (begins, ends, amount, description) in expected.items():
        row = rows[code]
        assert row.index(begins) < row.index(ends), code
        # 1st month: units × rate; ongoing: nothing; then the rate itself.
        assert f"{amount} $0.00 1 {amount}" in row, code
        assert description in row, code


def test_the_90_day_row_reads_u6_and_never_u5(
    case_manager: User, authorization: AuthorizationRound, coaching: CoachingPeriod
) -> None:
    text = plan_text(authorization, case_manager)

    ninety_days = between(text, "T2018:U6", "H2025:U3")
    assert "Milestone 4" in ninety_days
    assert "07/01/2026 07/31/2026" in ninety_days
    assert "U5" not in ninety_days
    assert text.count("T2018:U6") == 1
    assert text.count("T2018:U5") == 1
    assert text.index("T2018:U5") < text.index("Milestone 3") < text.index("T2018:U6")


def test_without_coaching_the_plan_totals_the_four_milestones(
    case_manager: User, authorization: AuthorizationRound
) -> None:
    text = plan_text(authorization, case_manager)

    assert "Milestones, each paid once when achieved $7,231.06" in text
    assert "Total authorized $7,231.06" in text
    assert "H2025" not in text
    assert "coaching" not in text.lower()


def test_coaching_rows_pay_the_tier_every_month_and_count_in_the_total(
    case_manager: User, authorization: AuthorizationRound, coaching: CoachingPeriod
) -> None:
    text = plan_text(authorization, case_manager)

    row = between(text, "H2025:U3", "Plan total")
    assert "Coaching tier 2 (2–8 hours)" in row
    assert "CO-2026-1" in row
    assert "08/01/2026 10/29/2026" in row
    assert "$436.40 $436.40 1 a month $436.40" in row
    # Three calendar months (August to October) at $436.40 = $1,309.20.
    assert "Long-term job coaching, 3 months at most $1,309.20" in text
    assert "Total authorized $8,540.26" in text


def test_a_tier_5_row_states_its_quarter_hours_and_rounds_once(
    case_manager: User, member: Member, authorization: AuthorizationRound
) -> None:
    coach(case_manager, member, tier=5, tier_5_hours=Decimal("27.5"))

    text = plan_text(authorization, case_manager)

    row = between(text, "H2025:UC", "Plan total")
    assert "$1,499.03 $1,499.03 110 quarter hours $54.51" in row
    assert "an hour" in row
    assert "Long-term job coaching, 3 months at most $4,497.09" in text
    assert "Total authorized $11,728.15" in text


def test_a_voided_round_says_so_at_the_top(
    case_manager: User, authorization: AuthorizationRound
) -> None:
    authorization.voided_at = timezone.now()
    authorization.voided_by = case_manager
    authorization.void_reason = "Entered twice."
    authorization.save()

    text = plan_text(authorization, case_manager)

    assert "Voided authorization. Voided 12/01/2026 by Zoë Lindqvist" in text
    assert "Entered twice." in text
    assert text.index("Voided authorization") < text.index("T2018:U3")
    assert "Total authorized (voided) $7,231.06" in text


def test_a_reauthorization_shows_only_the_coaching_in_force_since_it(
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
    coaching: CoachingPeriod,
) -> None:
    later = coach(
        case_manager,
        member,
        begins_on=D(2026, 10, 30),
        authorization_number="CO-2026-2",
        authorized_on=D(2026, 10, 20),
    )
    again = authorize(
        case_manager,
        member,
        windows=milestone_windows_propose(D(2026, 11, 15), D(2027, 1, 1)),
        numbers=(2, 3, 4),
        authorized_on=D(2026, 11, 15),
        plan_dated_on=D(2026, 11, 10),
        cap_warning_seen=True,
    )

    assert coaching_periods_for_plan(authorization) == [coaching, later]
    assert coaching_periods_for_plan(again) == [later]


def test_a_voided_later_round_does_not_end_the_plan_before_it(
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
    coaching: CoachingPeriod,
) -> None:
    again = authorize(
        case_manager,
        member,
        windows=milestone_windows_propose(D(2026, 6, 1), D(2026, 8, 1)),
        numbers=(2, 3, 4),
        authorized_on=D(2026, 6, 1),
        cap_warning_seen=True,
    )
    again.voided_at = timezone.now()
    again.voided_by = case_manager
    again.void_reason = "Entered by mistake."
    again.save()

    assert coaching_periods_for_plan(authorization) == [coaching]


# Coaching months and the plan's total


def row(
    begins_on: datetime.date, ends_on: datetime.date, tier: int, monthly: str
) -> PlanRow:
    return PlanRow(
        service=Service.COACHING_TIER_2,
        detail="",
        begins_on=begins_on,
        ends_on=ends_on,
        first_month=Decimal(monthly),
        ongoing=Decimal(monthly),
        units=1,
        units_per="a month",
        rate=Decimal(monthly),
        rate_per="a month",
        tier=tier,
    )


def test_a_period_from_the_first_counts_three_months() -> None:
    months = coaching_months_authorized(
        [row(D(2026, 8, 1), D(2026, 10, 29), 2, "436.40")]
    )

    assert list(months) == [D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)]


def test_a_period_from_mid_month_counts_every_month_it_touches() -> None:
    months = coaching_months_authorized(
        [row(D(2026, 8, 15), D(2026, 11, 12), 2, "436.40")]
    )

    assert len(months) == 4
    assert sum(months.values()) == Decimal("1745.60")


def test_a_month_two_periods_share_counts_once_at_the_higher_tier() -> None:
    months = coaching_months_authorized(
        [
            row(D(2026, 8, 1), D(2026, 9, 14), 2, "436.40"),
            row(D(2026, 9, 15), D(2026, 12, 13), 3, "871.58"),
        ]
    )

    assert months == {
        D(2026, 8, 1): Decimal("436.40"),
        D(2026, 9, 1): Decimal("871.58"),
        D(2026, 10, 1): Decimal("871.58"),
        D(2026, 11, 1): Decimal("871.58"),
        D(2026, 12, 1): Decimal("871.58"),
    }


def test_the_plan_total_adds_milestones_once_and_coaching_by_the_month() -> None:
    milestone = PlanRow(
        service=Service.JOB_STABILIZATION,
        detail="",
        begins_on=D(2026, 7, 1),
        ends_on=D(2026, 7, 31),
        first_month=Decimal("871.58"),
        ongoing=Decimal("0.00"),
        units=1,
        units_per="",
        rate=Decimal("871.58"),
        rate_per="",
    )

    total = plan_total([milestone, row(D(2026, 8, 1), D(2026, 10, 29), 1, "81.68")])

    assert total.milestones == Decimal("871.58")
    assert total.coaching == Decimal("245.04")
    assert total.total == Decimal("1116.62")


def test_a_tier_5_month_pays_its_stated_hours_rounded_half_up_once() -> None:
    period = CoachingPeriod(
        tier=5, tier_5_hours=Decimal("27.50"), rate=Decimal("54.51")
    )

    assert coaching_monthly_amount(period) == Decimal("1499.03")


# The documentation packet


def test_the_packet_shows_the_member_the_authorization_and_the_job(
    specialist: User,
    provider_a: ProviderSite,
    achievement: MilestoneAchievement,
) -> None:
    text = pdf_text(documentation_packet_pdf(achievement, specialist))

    assert "Milestone documentation" in text
    assert "Milestone 2, first day of a successful placement (T2018:U4)" in text
    assert "Ngũgĩ Nguyễn" in text
    assert "1234567A" in text
    assert provider_a.medicaid_provider_number in text
    # The authorization.
    assert "PCSP-2026-0142 of 01/15/2026" in text
    assert "PAYER Wellpoint Iowa" in text
    assert "AUTHORIZATION NUMBER PA-2026-002" in text
    assert "01/20/2026 by Zoë Lindqvist" in text
    assert "T2018:U4 First day of a successful placement" in text
    assert "WINDOW 04/01/2026 – 04/30/2026" in text
    assert "UNITS 1" in text
    assert "RATE $2,394.53" in text
    assert "AMOUNT $2,394.53" in text
    # The achievement.
    assert "ACHIEVED ON 04/15/2026" in text
    assert "Billable: inside the window" in text
    assert "RECORDED 12/01/2026 12:00 PM by José María O'Brien" in text
    # The job.
    assert "EMPLOYER Cedar Prairie Grocers" in text
    assert "JOB TITLE Stock clerk" in text
    assert "FIRST DAY ON THE JOB 04/15/2026" in text
    assert "HOURS A WEEK 20" in text
    assert "HOURLY WAGE $15.50" in text
    assert "LAST DAY WORKED Still working" in text
    assert "DAY 45 05/29/2026" in text
    assert "DAY 90 07/13/2026" in text


def test_the_packet_lists_every_document_without_its_contents(
    specialist: User, achievement: MilestoneAchievement
) -> None:
    text = pdf_text(documentation_packet_pdf(achievement, specialist))

    documents = list(achievement.documents.all())
    assert len(documents) == 2
    for document in documents:
        assert document.original_name in text
        assert document.get_kind_display() in text
        assert f"SHA-256 {document.sha256}" in text
    assert "12/01/2026 12:00 PM by José María O'Brien" in text
    assert "Person-centered service plan (PCSP)" in text
    assert "Service documentation" in text
    assert re.search(r"Placement notes April 2026\.pdf \d+ bytes", text)


def test_an_achievement_outside_its_window_is_not_billable_in_the_packet(
    specialist: User, authorization: AuthorizationRound
) -> None:
    late = achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 4, 2),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )

    text = pdf_text(documentation_packet_pdf(late, specialist))

    assert "Outside the window: not billable" in text
    assert "WINDOW 02/01/2026 – 03/31/2026" in text
    # Milestone 1 has no job.
    assert "EMPLOYER" not in text


def test_a_voided_achievement_shows_as_voided(
    specialist: User, achievement: MilestoneAchievement
) -> None:
    achievement_void(actor=specialist, achievement=achievement, reason="Wrong job.")
    achievement.refresh_from_db()

    text = pdf_text(documentation_packet_pdf(achievement, specialist))

    assert "Voided achievement. Voided 12/01/2026 by José María O'Brien" in text
    assert "Wrong job." in text
    assert "Voided: not billable" in text
    assert "Billable: inside the window" not in text


def test_a_void_reason_without_a_final_period_stands_apart(
    specialist: User, achievement: MilestoneAchievement
) -> None:
    achievement_void(
        actor=specialist, achievement=achievement, reason="Logged on the wrong job"
    )
    achievement.refresh_from_db()

    text = pdf_text(documentation_packet_pdf(achievement, specialist))

    assert (
        "Voided 12/01/2026 by José María O'Brien. It may not be billed. "
        "Reason given: Logged on the wrong job"
    ) in text
    assert "wrong job It may" not in text


def test_the_packet_of_a_voided_round_says_the_authorization_was_voided(
    specialist: User, case_manager: User, achievement: MilestoneAchievement
) -> None:
    authorization = achievement.line.round
    authorization.voided_at = timezone.now()
    authorization.voided_by = case_manager
    authorization.void_reason = "Wrong payer."
    authorization.save()

    text = pdf_text(documentation_packet_pdf(achievement, specialist))

    assert "Voided authorization." in text
    assert "Wrong payer." in text
    assert "Authorization voided: not billable" in text


# Downloads and access


@pytest.mark.parametrize("person", IN_SCOPE)
def test_people_in_scope_download_the_service_plan(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(plan_url(authorization))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; "
        f'filename="service-plan-authorization-{str(authorization.public_id)[:8]}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "Ngũgĩ Nguyễn" in pdf_text(response.content)


@pytest.mark.parametrize("person", IN_SCOPE)
def test_people_in_scope_download_the_documentation_packet(
    client: Client,
    request: pytest.FixtureRequest,
    achievement: MilestoneAchievement,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    response = client.get(packet_url(achievement))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; "
        f'filename="milestone-documentation-{str(achievement.public_id)[:8]}.pdf"'
    )
    assert "Nguy" not in response["Content-Disposition"]
    assert "Milestone documentation" in pdf_text(response.content)


@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_and_the_administrator_cannot_find_either_document(
    client: Client,
    request: pytest.FixtureRequest,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
    person: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    assert client.get(plan_url(authorization)).status_code == 404
    assert client.get(packet_url(achievement)).status_code == 404


def test_an_unknown_id_is_not_found(client: Client, case_manager: User) -> None:
    client.force_login(case_manager)
    unknown = "00000000-0000-4000-8000-000000000000"

    assert client.get(f"/authorizations/{unknown}/service-plan.pdf").status_code == 404
    assert client.get(f"/achievements/{unknown}/documentation.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    for url in (plan_url(authorization), packet_url(achievement)):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_each_download_records_the_members_read(
    client: Client,
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
    reads: list[dict[str, Any]],
) -> None:
    client.force_login(case_manager)

    client.get(plan_url(authorization))
    client.get(packet_url(achievement))

    assert [(read["purpose"], read["member_ids"]) for read in reads] == [
        ("document.service_plan", [member.pk]),
        ("document.milestone_packet", [member.pk]),
    ]
    assert all(read["actor"] == case_manager for read in reads)


def test_the_member_page_links_to_both_documents(
    client: Client,
    specialist: User,
    member: Member,
    authorization: AuthorizationRound,
    achievement: MilestoneAchievement,
) -> None:
    client.force_login(specialist)

    page = client.get(reverse("members:detail", args=[member.public_id]))

    content = page.content.decode()
    assert f'href="{plan_url(authorization)}">Service plan authorization (PDF)' in (
        content
    )
    # Once in the job's milestone table, once under the round's line.
    assert content.count(f'href="{packet_url(achievement)}"') == 2


# Query counts


def plan_queries(client: Client, authorization: AuthorizationRound) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(plan_url(authorization))
    assert response.status_code == 200
    return len(queries)


def test_the_service_plan_costs_the_same_queries_at_any_size(
    client: Client,
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
    authorization: AuthorizationRound,
) -> None:
    client.force_login(case_manager)
    small = plan_queries(client, authorization)

    # A second member with a round, two coaching periods and an achievement.
    other = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=other, provider=provider_a, specialist=specialist)
    larger = authorize(case_manager, other)
    coach(case_manager, other)
    coach(
        case_manager,
        other,
        tier=5,
        tier_5_hours=Decimal("30"),
        begins_on=D(2026, 10, 30),
        authorization_number="CO-2026-2",
        authorized_on=D(2026, 10, 20),
    )

    assert plan_queries(client, larger) == small
    # The document itself: the round, its lines, the next round, coaching.
    for authorization_at_size in (authorization, larger):
        with CaptureQueriesContext(connection) as queries:
            service_plan_pdf(authorization_at_size, case_manager)
        assert len(queries) == 4


def test_the_packet_costs_the_same_queries_however_many_documents(
    client: Client,
    case_manager: User,
    specialist: User,
    authorization: AuthorizationRound,
) -> None:
    client.force_login(case_manager)
    first = achievement_log(
        actor=specialist,
        line=authorization.lines.get(milestone=1),
        achieved_on=D(2026, 3, 20),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )
    with CaptureQueriesContext(connection) as one_document:
        client.get(packet_url(first))

    for name in ("a.pdf", "b.pdf", "c.pdf"):
        client.force_login(specialist)
        client.post(
            reverse("milestones:add-evidence", args=[first.public_id]),
            {"kind": "service_plan", "file": pdf(name)},
        )
    client.force_login(case_manager)
    with CaptureQueriesContext(connection) as four_documents:
        client.get(packet_url(first))

    assert first.documents.count() == 4
    assert len(four_documents) == len(one_document)
    with CaptureQueriesContext(connection) as queries:
        documentation_packet_pdf(first, case_manager)
    assert len(queries) == 2
