"""Each metric on the hand-made dataset (tests/dashboards/builders.py).

The expected figures are worked out by hand in each test from the table in
the builder's docstring; the comments show the arithmetic.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from dashboards import metrics
from dashboards.scope import DashboardFilters, DashboardScope
from payers.models import Payer
from providers.models import County
from tests.dashboards.builders import Dataset
from tests.factories import provider_site

D = datetime.date


def rates(
    rows: list[metrics.QuarterRate],
) -> list[tuple[str, int, int, Decimal | None]]:
    return [(row.quarter.label, row.active, row.employed, row.rate) for row in rows]


# Competitive employment rate by quarter


def test_employment_rate_counts_every_provider_for_a_reviewer(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    # Q1: in IPS Ada, Ben, Cleo, Eli, Fay, Gus (6; Dora and Hal only wait).
    #     Worked competitively: Ada ($12), Cleo ($7.25 on 03/31 only), Eli
    #     ($15), Fay ($9) = 4; Gus's $6.50 job is below the minimum wage.
    #     4 / 6 = 0.6667.
    # Q2: the same 6 (Cleo until 05/29). Ada, Eli, Fay = 3: Cleo's job
    #     ended 03/31, Ben's April job paid $7.00 and his $10 job starts
    #     07/01. 3 / 6 = 0.5.
    found = metrics.competitive_employment_by_quarter(scope_all, period)

    assert rates(found) == [
        ("Q1 2026", 6, 4, Decimal("0.6667")),
        ("Q2 2026", 6, 3, Decimal("0.5000")),
    ]
    assert not any(row.quarter.is_partial for row in found)


def test_employment_rate_of_a_supervisor_counts_only_their_provider(
    dataset: Dataset,
    scope_a: DashboardScope,
    scope_b: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Provider A: Ada, Ben, Cleo, Fay in IPS both quarters (Cleo's closed
    # episode still counts in the quarters it was open).
    # Q1 worked: Ada, Cleo, Fay = 3 of 4; Q2: Ada, Fay = 2 of 4.
    # Provider B: Eli and Gus; Eli worked both quarters: 1 of 2.
    assert rates(metrics.competitive_employment_by_quarter(scope_a, period)) == [
        ("Q1 2026", 4, 3, Decimal("0.7500")),
        ("Q2 2026", 4, 2, Decimal("0.5000")),
    ]
    assert rates(metrics.competitive_employment_by_quarter(scope_b, period)) == [
        ("Q1 2026", 2, 1, Decimal("0.5000")),
        ("Q2 2026", 2, 1, Decimal("0.5000")),
    ]


def test_employment_rate_of_a_case_manager_counts_only_their_members(
    dataset: Dataset,
    scope_wellpoint: DashboardScope,
    scope_itc: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Wellpoint's members in IPS: Ada, Ben, Cleo (provider A), Eli (B) = 4.
    # Q1 worked: Ada, Cleo, Eli = 3; Q2: Ada, Eli = 2.
    # ITC's: Fay and Gus; Fay worked both quarters.
    assert rates(
        metrics.competitive_employment_by_quarter(scope_wellpoint, period)
    ) == [
        ("Q1 2026", 4, 3, Decimal("0.7500")),
        ("Q2 2026", 4, 2, Decimal("0.5000")),
    ]
    assert rates(metrics.competitive_employment_by_quarter(scope_itc, period)) == [
        ("Q1 2026", 2, 1, Decimal("0.5000")),
        ("Q2 2026", 2, 1, Decimal("0.5000")),
    ]


def test_employment_rate_follows_the_provider_county_and_payer_filters(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    scott = County.objects.get(name="Scott").pk
    ivrs = Payer.objects.get(short_name="IVRS").pk
    site_b = provider_site("robert-young-center").pk

    # Scott County: Fay (worked) and Gus (did not): 1 of 2 each quarter.
    in_scott = dataclasses.replace(period, county_id=scott)
    # IVRS pays for Cleo alone: worked in Q1 (1 of 1), not in Q2 (0 of 1).
    by_ivrs = dataclasses.replace(period, payer_id=ivrs)
    # Provider B: Eli and Gus, as for B's supervisor.
    at_b = dataclasses.replace(period, provider_id=site_b)

    assert [
        r.rate for r in metrics.competitive_employment_by_quarter(scope_all, in_scott)
    ] == [
        Decimal("0.5000"),
        Decimal("0.5000"),
    ]
    assert rates(metrics.competitive_employment_by_quarter(scope_all, by_ivrs)) == [
        ("Q1 2026", 1, 1, Decimal("1.0000")),
        ("Q2 2026", 1, 0, Decimal("0.0000")),
    ]
    assert rates(metrics.competitive_employment_by_quarter(scope_all, at_b)) == [
        ("Q1 2026", 2, 1, Decimal("0.5000")),
        ("Q2 2026", 2, 1, Decimal("0.5000")),
    ]


def test_a_period_cut_inside_quarters_marks_them_partial(
    dataset: Dataset, scope_all: DashboardScope
) -> None:
    # 03/15–04/15: Q1's last 17 days and Q2's first 15.
    # Q1 part: in IPS the same 6; worked Ada, Cleo (03/31), Eli, Fay = 4.
    # Q2 part: Ada, Eli, Fay = 3 (Ben's April job pays $7.00).
    filters = DashboardFilters(D(2026, 3, 15), D(2026, 4, 15), as_of=D(2026, 7, 10))

    found = metrics.competitive_employment_by_quarter(scope_all, filters)

    assert [(row.quarter.first, row.quarter.last) for row in found] == [
        (D(2026, 3, 15), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 15)),
    ]
    assert all(row.quarter.is_partial for row in found)
    assert [(row.active, row.employed) for row in found] == [(6, 4), (6, 3)]


def test_benchmarks_come_from_settings_with_the_trials_figure_as_context() -> None:
    benchmarks = metrics.outcome_benchmarks()

    assert (benchmarks.minimal, benchmarks.average, benchmarks.excellent) == (
        Decimal("0.31"),
        Decimal("0.41"),
        Decimal("0.50"),
    )
    assert benchmarks.cumulative_trials == Decimal("0.55")


# The milestone funnel


def funnel_counts(funnel: metrics.Funnel) -> list[int]:
    return [step.members for step in funnel.steps]


def test_funnel_follows_the_members_referred_in_the_period(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    # Referred 01/01–06/30: Ben, Cleo, Dora, Eli, Fay, Gus, Hal = 7 (Ada
    # was referred in December; Hal's redirected referral and the one that
    # replaced it are one member).
    # Plan (milestone 1 achieved, not voided, round not voided): Ben, Cleo,
    # Eli, Fay = 4 (Fay's is outside its window but achieved; Gus's is on
    # a voided round).
    # First day: Ben (04/06), Cleo (03/31), Eli, Fay, Gus (02/20) = 5.
    # 45 days by 06/30: Eli (03/05), Fay (04/15) = 2 (Ben's, Cleo's and
    # Gus's jobs ended first; Ben's July job is after the period).
    # 90 days: Eli (04/19), Fay (05/30) = 2.
    funnel = metrics.milestone_funnel(scope_all, period)

    assert funnel_counts(funnel) == [7, 4, 5, 2, 2]
    assert [step.from_previous for step in funnel.steps] == [
        None,
        Decimal("0.5714"),  # 4 / 7
        Decimal("1.2500"),  # 5 / 4: steps are counted on their own
        Decimal("0.4000"),  # 2 / 5
        Decimal("1.0000"),  # 2 / 2
    ]
    assert [step.from_referred for step in funnel.steps] == [
        None,
        Decimal("0.5714"),  # 4 / 7
        Decimal("0.7143"),  # 5 / 7
        Decimal("0.2857"),  # 2 / 7
        Decimal("0.2857"),
    ]
    assert funnel.reached_by == D(2026, 6, 30)


def test_funnel_of_each_scope(
    dataset: Dataset,
    scope_a: DashboardScope,
    scope_b: DashboardScope,
    scope_wellpoint: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Provider A: Ben, Cleo, Dora, Fay, Hal (his referral to A) = 5;
    # plan Ben, Cleo, Fay; first day the same 3; 45 and 90 days Fay.
    assert funnel_counts(metrics.milestone_funnel(scope_a, period)) == [5, 3, 3, 1, 1]
    # Provider B: Eli and Gus (B redirected Hal, so he is not B's);
    # plan Eli; first day Eli and Gus; 45 and 90 days Eli.
    assert funnel_counts(metrics.milestone_funnel(scope_b, period)) == [2, 1, 2, 1, 1]
    # Wellpoint: Ben, Cleo, Dora, Eli, Hal = 5; plan Ben, Cleo, Eli; first
    # day the same; 45 and 90 days Eli.
    assert funnel_counts(metrics.milestone_funnel(scope_wellpoint, period)) == [
        5,
        3,
        3,
        1,
        1,
    ]


def test_funnel_counts_steps_reached_by_the_end_of_the_period(
    dataset: Dataset, scope_all: DashboardScope
) -> None:
    # Through 04/18 only: referred Ben, Cleo, Dora, Eli, Fay, Gus, Hal = 7;
    # plans the same 4; first days the same 5; 45 days Eli (03/05) and Fay
    # (04/15); 90 days nobody yet (Eli's falls on 04/19).
    filters = DashboardFilters(D(2026, 1, 1), D(2026, 4, 18), as_of=D(2026, 7, 10))

    assert funnel_counts(metrics.milestone_funnel(scope_all, filters)) == [
        7,
        4,
        5,
        2,
        0,
    ]


# Delays


def test_median_days_from_referral_to_authorization_and_to_a_first_job(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    # Authorized first in the period: Eli 7, Ben 10, Gus 10 (his voided
    # round of 02/05 does not count), Cleo 18, Fay 22 days; Ada's round is
    # from December. Median of 5: the 3rd, 10.
    # First competitive job in the period: Eli 15 (01/05→01/20), Cleo 29
    # (03/02→03/31), Fay 53 (01/08→03/02), Ada 63 (12/01→02/02). Median of
    # 4: (29 + 53) / 2 = 41.
    found = metrics.delays(scope_all, period)

    assert found.authorization == metrics.Median(Decimal("10.0"), 5)
    assert found.first_job == metrics.Median(Decimal("41.0"), 4)


def test_median_delays_by_scope(
    dataset: Dataset,
    scope_a: DashboardScope,
    scope_b: DashboardScope,
    scope_wellpoint: DashboardScope,
    period: DashboardFilters,
) -> None:
    # A: Ben 10, Cleo 18, Fay 22 → 18; first jobs Cleo 29, Fay 53, Ada 63 → 53.
    # B: Eli 7, Gus 10 → (7 + 10) / 2 = 8.5; first job Eli 15.
    # Wellpoint: Eli 7, Ben 10, Cleo 18 → 10; first jobs Eli 15, Cleo 29,
    # Ada 63 → 29.
    a = metrics.delays(scope_a, period)
    b = metrics.delays(scope_b, period)
    wellpoint = metrics.delays(scope_wellpoint, period)

    assert (a.authorization.value, a.first_job.value) == (
        Decimal("18.0"),
        Decimal("53.0"),
    )
    assert (b.authorization.value, b.first_job.value) == (
        Decimal("8.5"),
        Decimal("15.0"),
    )
    assert (wellpoint.authorization.value, wellpoint.first_job.value) == (
        Decimal("10.0"),
        Decimal("29.0"),
    )


def test_median_authorization_delay_by_provider(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    found = metrics.authorization_delay_by_provider(scope_all, period)

    assert found == {
        provider_site("43-north-iowa").pk: metrics.Median(Decimal("18.0"), 3),
        provider_site("robert-young-center").pk: metrics.Median(Decimal("8.5"), 2),
    }


# Job ends, reauthorizations, exits


def counts(breakdown: metrics.Breakdown) -> dict[str, int]:
    return {row.key: row.count for row in breakdown.rows if row.count}


def test_job_ends_by_how_they_ended(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_a: DashboardScope,
    scope_itc: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Ben quit (04/30), Cleo's temporary work ended (03/31), Gus was let go
    # (03/15). Provider A: Ben and Cleo. ITC: Gus.
    everyone = metrics.job_ends_by_how_ended(scope_all, period)

    assert counts(everyone) == {"quit": 1, "let_go": 1, "temporary_ended": 1}
    assert everyone.total == 3
    assert everyone.rows[0].share == Decimal("0.3333")  # 1 / 3
    assert len(everyone.rows) == 5  # every way a job ends is listed
    assert counts(metrics.job_ends_by_how_ended(scope_a, period)) == {
        "quit": 1,
        "temporary_ended": 1,
    }
    assert counts(metrics.job_ends_by_how_ended(scope_itc, period)) == {"let_go": 1}


def test_reauthorizations_and_exits(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_b: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Ben's team meeting (05/05) and reauthorization (05/08, milestones
    # 2–4); Cleo exited on 05/29, having moved. Provider B had neither.
    assert metrics.reauthorizations(scope_all, period) == metrics.Reauthorizations(
        meetings=1, rounds=1, milestones=3, members=1
    )
    assert counts(metrics.exits_by_reason(scope_all, period)) == {"moved": 1}
    assert metrics.reauthorizations(scope_b, period) == metrics.Reauthorizations(
        0, 0, 0, 0
    )
    assert metrics.exits_by_reason(scope_b, period).total == 0


# Caseloads


def caseload_of(rows: list[metrics.SpecialistCaseload]) -> dict[str, int]:
    return {row.name: row.members for row in rows if "Testspecialist" in row.name}


def test_caseloads_on_the_last_day_of_the_period(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_a: DashboardScope,
    scope_wellpoint: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Open on 06/30: Avery (A) Ada and Ben; Blair (A) Fay (Cleo exited);
    # Casey (B) Eli and Gus. The demo staff of the providers carry none.
    everyone = metrics.caseloads(scope_all, period)

    assert caseload_of(everyone) == {
        "Avery Testspecialist": 2,
        "Blair Testspecialist": 1,
        "Casey Testspecialist": 2,
    }
    assert sum(row.members for row in everyone) == 5
    assert {row.limit for row in everyone} == {20}
    # Provider A's supervisor sees A's team only, zeros included.
    at_a = metrics.caseloads(scope_a, period)
    assert caseload_of(at_a) == {"Avery Testspecialist": 2, "Blair Testspecialist": 1}
    assert {row.provider for row in at_a} == {"43 North Iowa"}
    # Wellpoint's members: Ada and Ben with Avery, Eli with Casey.
    assert caseload_of(metrics.caseloads(scope_wellpoint, period)) == {
        "Avery Testspecialist": 2,
        "Casey Testspecialist": 1,
    }


def test_a_caseload_above_twenty_is_over_the_limit() -> None:
    def row(members: int) -> metrics.SpecialistCaseload:
        return metrics.SpecialistCaseload(1, "Example", 1, "Example", members, 20)

    assert not row(20).is_over_limit
    assert row(21).is_over_limit


# Money


def money_rows(money: metrics.Money) -> list[tuple[str, str, str, str]]:
    return [
        (f"{row.month:%Y-%m}", row.payer, str(row.milestones), str(row.coaching))
        for row in money.rows
    ]


def test_money_by_month_and_payer(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    # Milestones, billable, by month achieved and the round's payer:
    #   Jan Wellpoint: Ada 1 (1,570.42) + Eli 1 (1,570.42) = 3,140.84
    #       (Ada's voided entry of 01/05 does not count)
    #   Feb Wellpoint: Ada 2 = 2,394.53 (Fay's 1 is outside its window;
    #       Gus's is on a voided round)
    #   Mar Wellpoint: Ada 3 (2,394.53) + Ben 1 (1,570.42) = 3,964.95
    #   Mar IVRS: Cleo 1 = 1,570.42
    #   May Wellpoint: Ada 4 = 871.58
    # Coaching, Ada's (Wellpoint, tier 2 authorized):
    #   May: 180 minutes = 3 hours earns tier 2 → 436.40 (the period's rate)
    #   Jun: 30 minutes earns tier 1; the lower tier pays → 81.68 (the
    #        posted H2025 U4 rate, no tier-1 period being in force)
    #   Fay's tier-1 period has no contact: nothing.
    money = metrics.money_by_month(scope_all, period)

    assert money_rows(money) == [
        ("2026-01", "Wellpoint", "3140.84", "0.00"),
        ("2026-02", "Wellpoint", "2394.53", "0.00"),
        ("2026-03", "IVRS", "1570.42", "0.00"),
        ("2026-03", "Wellpoint", "3964.95", "0.00"),
        ("2026-05", "Wellpoint", "871.58", "436.40"),
        ("2026-06", "Wellpoint", "0.00", "81.68"),
    ]
    # 3,140.84 + 2,394.53 + 1,570.42 + 3,964.95 + 871.58 = 11,942.32
    assert money.milestones == Decimal("11942.32")
    assert money.coaching == Decimal("518.08")  # 436.40 + 81.68
    assert money.total == Decimal("12460.40")
    assert money.months == [D(2026, month, 1) for month in range(1, 7)]
    assert money.coaching_as_of is not None


def test_money_of_a_supervisor_and_by_the_payer_of_the_service(
    dataset: Dataset,
    scope_a: DashboardScope,
    scope_all: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Provider A: everything above but Eli's January milestone (provider B):
    # 11,942.32 − 1,570.42 = 10,371.90.
    assert metrics.money_by_month(scope_a, period).milestones == Decimal("10371.90")
    # The IVRS filter keeps what IVRS pays for: Cleo's plan in March.
    ivrs = Payer.objects.get(short_name="IVRS").pk
    by_ivrs = metrics.money_by_month(
        scope_all, dataclasses.replace(period, payer_id=ivrs)
    )
    assert money_rows(by_ivrs) == [("2026-03", "IVRS", "1570.42", "0.00")]


def test_medicaid_share_of_members_in_ips(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_a: DashboardScope,
    period: DashboardFilters,
) -> None:
    # In IPS in the period: Ada, Ben, Eli (Wellpoint), Fay (ITC), Gus (IME),
    # Cleo (IVRS). Fee-for-service 1, managed care 4: 5 / 6 = 0.8333.
    # Provider A: Ada, Ben, Fay, Cleo: 3 / 4 = 0.75.
    assert metrics.medicaid_share(scope_all, period) == metrics.MedicaidShare(6, 1, 4)
    assert metrics.medicaid_share(scope_all, period).share == Decimal("0.8333")
    assert metrics.medicaid_share(scope_a, period).share == Decimal("0.7500")


# Coaching tiers


def test_coaching_tier_mix_authorized_and_earned(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_wellpoint: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Authorized in the period: Ada's tier 2, Fay's tier 1.
    # Earned, month by month: Ada May tier 2, June tier 1; Fay May and
    # June no contact (her period begins 05/31).
    mix = metrics.coaching_tier_mix(scope_all, period)
    by_tier = {row.tier: row for row in mix.rows}

    assert (by_tier[1].authorized_periods, by_tier[2].authorized_periods) == (1, 1)
    assert (by_tier[1].earned_months, by_tier[2].earned_months) == (1, 1)
    assert by_tier[None].earned_months == 2
    assert mix.authorized_periods == 2
    # Wellpoint's members: Ada alone.
    wellpoint = {
        row.tier: row for row in metrics.coaching_tier_mix(scope_wellpoint, period).rows
    }
    assert (wellpoint[1].authorized_periods, wellpoint[2].authorized_periods) == (0, 1)
    assert wellpoint[None].earned_months == 0


# Flags


def ages(rows: list[metrics.FlagAgeRow]) -> dict[str, tuple[int, ...]]:
    return {row.kind: row.by_age for row in rows if row.total}


def test_open_flags_by_kind_and_age(
    dataset: Dataset,
    scope_all: DashboardScope,
    scope_a: DashboardScope,
    scope_wellpoint: DashboardScope,
    period: DashboardFilters,
) -> None:
    # Today 07/10. Opened 07/10 (0 days), 07/03 00:01 (7), 07/02 23:59 (8),
    # 06/10 (30), 06/09 (31), 05/01 (70); the resolved flag is left out.
    assert ages(metrics.open_flags_by_kind_and_age(scope_all, period)) == {
        "authorization_delay": (1, 0, 0),  # Dora, 0 days
        "coaching_lapsed": (1, 1, 0),  # Ada 7 days, Fay 8 days
        "milestone_window_closing": (0, 1, 0),  # Eli, 30 days
        "job_end_form_missing": (0, 0, 1),  # Ben, 31 days
        "caseload_over_limit": (0, 0, 1),  # Avery's caseload, 70 days
    }
    # Provider A: all but Eli's (provider B).
    assert ages(metrics.open_flags_by_kind_and_age(scope_a, period)) == {
        "authorization_delay": (1, 0, 0),
        "coaching_lapsed": (1, 1, 0),
        "job_end_form_missing": (0, 0, 1),
        "caseload_over_limit": (0, 0, 1),
    }
    # Wellpoint: flags about its members only (not Fay's, not a caseload).
    assert ages(metrics.open_flags_by_kind_and_age(scope_wellpoint, period)) == {
        "authorization_delay": (1, 0, 0),
        "coaching_lapsed": (1, 0, 0),
        "milestone_window_closing": (0, 1, 0),
        "job_end_form_missing": (0, 0, 1),
    }


# Providers compared


def test_providers_compared_for_a_reviewer(
    dataset: Dataset, scope_all: DashboardScope, period: DashboardFilters
) -> None:
    # Q2: A 2 of 4 (Ada, Fay of Ada, Ben, Cleo, Fay); B 1 of 2 (Eli of Eli,
    # Gus). Caseloads on 06/30: A 3 over 2 specialists (1.5), B 2 over 1.
    # Median authorization delay: A 18, B 8.5.
    comparison = {
        row.provider: row
        for row in metrics.provider_comparison(
            scope_all, period, metrics.caseloads(scope_all, period)
        )
    }
    a, b = comparison["43 North Iowa"], comparison["Robert Young Center"]

    assert (a.active, a.employed, a.rate) == (4, 2, Decimal("0.5000"))
    assert (b.active, b.employed, b.rate) == (2, 1, Decimal("0.5000"))
    assert (a.open_caseload, a.specialists, a.caseload_per_specialist) == (
        3,
        2,
        Decimal("1.5"),
    )
    assert (b.open_caseload, b.specialists, b.over_limit) == (2, 1, 0)
    assert a.authorization_delay.value == Decimal("18.0")
    assert b.authorization_delay.value == Decimal("8.5")
    assert len(comparison) == 8  # every provider site, zeros included
    assert comparison["Vera French Community Mental Health Center"].rate is None


@pytest.mark.parametrize("attribute", ["provider_ids", "organization_id"])
def test_the_scopes_differ_only_where_the_policy_says(
    attribute: str,
    scope_all: DashboardScope,
    scope_a: DashboardScope,
    scope_wellpoint: DashboardScope,
) -> None:
    limited = scope_a if attribute == "provider_ids" else scope_wellpoint
    assert getattr(scope_all, attribute) is None
    assert getattr(limited, attribute) is not None
