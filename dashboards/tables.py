"""The dashboards' tables: the same rows on the page and in each CSV.

``Figures`` computes each metric once, when first asked, so a page asks
for all of them and a CSV or a chart only for the one it needs. Each
table builder turns metric dataclasses into a ``Table`` of cells that
carry both the text people read and the plain value a spreadsheet reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from billing.exports import money as plain_money
from core.money import dollars
from dashboards import metrics
from dashboards.rules import FLAG_AGE_BUCKETS, percent, share
from dashboards.scope import DashboardFilters, DashboardScope
from dashboards.sql import Median


class Figures:
    """Every metric of one dashboard, computed on first use."""

    def __init__(self, scope: DashboardScope, filters: DashboardFilters) -> None:
        self.scope = scope
        self.filters = filters

    @cached_property
    def benchmarks(self) -> metrics.Benchmarks:
        return metrics.outcome_benchmarks()

    @cached_property
    def employment(self) -> list[metrics.QuarterRate]:
        return metrics.competitive_employment_by_quarter(self.scope, self.filters)

    @cached_property
    def funnel(self) -> metrics.Funnel:
        return metrics.milestone_funnel(self.scope, self.filters)

    @cached_property
    def delays(self) -> metrics.Delays:
        return metrics.delays(self.scope, self.filters)

    @cached_property
    def job_ends(self) -> metrics.Breakdown:
        return metrics.job_ends_by_how_ended(self.scope, self.filters)

    @cached_property
    def reauthorizations(self) -> metrics.Reauthorizations:
        return metrics.reauthorizations(self.scope, self.filters)

    @cached_property
    def exits(self) -> metrics.Breakdown:
        return metrics.exits_by_reason(self.scope, self.filters)

    @cached_property
    def caseloads(self) -> list[metrics.SpecialistCaseload]:
        return metrics.caseloads(self.scope, self.filters)

    @cached_property
    def money(self) -> metrics.Money:
        return metrics.money_by_month(self.scope, self.filters)

    @cached_property
    def medicaid(self) -> metrics.MedicaidShare:
        return metrics.medicaid_share(self.scope, self.filters)

    @cached_property
    def tiers(self) -> metrics.TierMix:
        return metrics.coaching_tier_mix(self.scope, self.filters)

    @cached_property
    def flags(self) -> list[metrics.FlagAgeRow]:
        return metrics.open_flags_by_kind_and_age(self.scope, self.filters)

    @cached_property
    def providers(self) -> list[metrics.ProviderComparison]:
        return metrics.provider_comparison(self.scope, self.filters, self.caseloads)


@dataclass(frozen=True)
class Cell:
    """What the page shows, and what the CSV holds (plain, exact)."""

    text: str
    value: str
    is_numeric: bool = False


def text(value: str) -> Cell:
    return Cell(value, value)


def number(value: int) -> Cell:
    return Cell(f"{value:,}", str(value), is_numeric=True)


def rate(value: Decimal | None) -> Cell:
    """A fraction shown as a percentage; the CSV holds the percentage too."""
    shown = percent(value)
    return Cell(shown, "" if value is None else shown.rstrip("%"), is_numeric=True)


def amount(value: Decimal) -> Cell:
    return Cell(dollars(value), plain_money(value), is_numeric=True)


def days(median: Median) -> Cell:
    if median.value is None:
        return Cell("–", "", is_numeric=True)
    return Cell(f"{median.value.normalize():f}", f"{median.value}", is_numeric=True)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    numeric_columns: frozenset[int] = field(default_factory=frozenset)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        return [
            (label, index in self.numeric_columns)
            for index, label in enumerate(self.header)
        ]


def _table(slug: str, title: str, header: list[str], rows: list[list[Cell]]) -> Table:
    numeric = frozenset(
        index
        for index in range(len(header))
        if rows and all(row[index].is_numeric for row in rows)
    )
    return Table(slug, title, header, rows, numeric)


def _quarter_label(quarter: metrics.Quarter) -> str:
    if quarter.is_partial:
        return f"{quarter.label} ({quarter.first:%m/%d}–{quarter.last:%m/%d/%Y} only)"
    return quarter.label


def _standard(value: Decimal | None, benchmarks: metrics.Benchmarks) -> str:
    """Where a quarter's rate stands against the field's standards."""
    if value is None:
        return "No members in IPS"
    if value >= benchmarks.excellent:
        return "Excellent or better"
    if value >= benchmarks.average:
        return "Average or better"
    if value >= benchmarks.minimal:
        return "Minimal standard met"
    return "Below the minimal standard"


def employment_table(figures: Figures) -> Table:
    return _table(
        "employment",
        "Competitive employment rate by quarter",
        ["Quarter", "In IPS", "Worked competitively", "Rate", "Against the standards"],
        [
            [
                text(_quarter_label(row.quarter)),
                number(row.active),
                number(row.employed),
                rate(row.rate),
                text(_standard(row.rate, figures.benchmarks)),
            ]
            for row in figures.employment
        ],
    )


def funnel_table(figures: Figures) -> Table:
    return _table(
        "funnel",
        "Milestone funnel",
        ["Step", "Members", "Of the step before", "Of those referred"],
        [
            [
                text(step.label),
                number(step.members),
                rate(step.from_previous) if step.key != "referred" else text("–"),
                rate(step.from_referred) if step.key != "referred" else text("–"),
            ]
            for step in figures.funnel.steps
        ],
    )


def delays_table(figures: Figures) -> Table:
    return _table(
        "delays",
        "Time from referral",
        ["Measure", "Median days", "Episodes counted"],
        [
            [
                text("Referral to authorization (authorization delay)"),
                days(figures.delays.authorization),
                number(figures.delays.authorization.count),
            ],
            [
                text("Referral to first competitive job"),
                days(figures.delays.first_job),
                number(figures.delays.first_job.count),
            ],
        ],
    )


def _breakdown_table(
    slug: str, title: str, label: str, counted: str, breakdown: metrics.Breakdown
) -> Table:
    rows = [
        [text(row.label), number(row.count), rate(row.share)] for row in breakdown.rows
    ]
    rows.append([text("All"), number(breakdown.total), rate(None)])
    return _table(slug, title, [label, counted, "Share"], rows)


def job_ends_table(figures: Figures) -> Table:
    return _breakdown_table(
        "job-ends",
        "Job ends by how they ended",
        "How it ended",
        "Job ends",
        figures.job_ends,
    )


def reauthorizations_table(figures: Figures) -> Table:
    found = figures.reauthorizations
    return _table(
        "reauthorizations",
        "Help toward another job",
        ["Measure", "Count"],
        [
            [text("Team meetings held"), number(found.meetings)],
            [text("Reauthorization rounds"), number(found.rounds)],
            [text("Milestones reauthorized"), number(found.milestones)],
            [text("Members reauthorized"), number(found.members)],
        ],
    )


def exits_table(figures: Figures) -> Table:
    return _breakdown_table(
        "exits", "Exits from IPS by reason", "Reason", "Exits", figures.exits
    )


def caseload_table(figures: Figures) -> Table:
    return _table(
        "caseload",
        "Caseload per specialist",
        ["Specialist", "Provider", "Members", "Against the limit"],
        [
            [
                text(row.name),
                text(row.provider),
                number(row.members),
                text(
                    f"Over {row.limit}" if row.is_over_limit else f"Within {row.limit}"
                ),
            ]
            for row in figures.caseloads
        ],
    )


def money_table(figures: Figures) -> Table:
    rows = [
        [
            text(f"{row.month:%m/%Y}"),
            text(row.payer),
            amount(row.milestones),
            amount(row.coaching),
            amount(row.total),
        ]
        for row in figures.money.rows
    ]
    rows.append(
        [
            text("All months"),
            text("All payers"),
            amount(figures.money.milestones),
            amount(figures.money.coaching),
            amount(figures.money.total),
        ]
    )
    return _table(
        "money",
        "Milestones and coaching by month and payer",
        ["Month", "Payer", "Milestones", "Coaching", "Total"],
        rows,
    )


def medicaid_table(figures: Figures) -> Table:
    found = figures.medicaid
    return _table(
        "medicaid",
        "Members funded by Medicaid",
        ["Funding", "Members", "Share"],
        [
            [
                text("Medicaid fee-for-service (IME)"),
                number(found.fee_for_service),
                rate(share(found.fee_for_service, found.members)),
            ],
            [
                text("Medicaid managed care (MCOs)"),
                number(found.managed_care),
                rate(share(found.managed_care, found.members)),
            ],
            [text("Medicaid, both"), number(found.medicaid), rate(found.share)],
            [
                text("Other payers (IVRS, SNMIS)"),
                number(found.members - found.medicaid),
                rate(share(found.members - found.medicaid, found.members)),
            ],
            [text("All members in IPS"), number(found.members), rate(None)],
        ],
    )


def tiers_table(figures: Figures) -> Table:
    return _table(
        "coaching-tiers",
        "Coaching tier mix",
        ["Tier", "Periods authorized", "Members authorized", "Months earned"],
        [
            [
                text(row.label),
                number(row.authorized_periods),
                number(row.authorized_members),
                number(row.earned_months),
            ]
            for row in figures.tiers.rows
        ],
    )


def flags_table(figures: Figures) -> Table:
    return _table(
        "flags",
        "Open flags by kind and age",
        ["Kind", *(label for label, _, _ in FLAG_AGE_BUCKETS), "All ages"],
        [
            [
                text(row.label),
                *(number(count) for count in row.by_age),
                number(row.total),
            ]
            for row in figures.flags
        ],
    )


def providers_table(figures: Figures) -> Table:
    rows = []
    for row in figures.providers:
        per_specialist = row.caseload_per_specialist
        rows.append(
            [
                text(row.provider),
                number(row.active),
                number(row.employed),
                rate(row.rate),
                number(row.open_caseload),
                number(row.specialists),
                Cell(
                    "–" if per_specialist is None else f"{per_specialist}",
                    "" if per_specialist is None else f"{per_specialist}",
                    is_numeric=True,
                ),
                number(row.over_limit),
                days(row.authorization_delay),
                Cell(
                    "–" if row.fidelity_total is None else str(row.fidelity_total),
                    "" if row.fidelity_total is None else str(row.fidelity_total),
                    is_numeric=True,
                ),
            ]
        )
    quarter = figures.providers[0].quarter if figures.providers else None
    in_quarter = f" ({quarter.label})" if quarter else ""
    return _table(
        "providers",
        "Providers compared",
        [
            "Provider",
            f"In IPS{in_quarter}",
            "Worked competitively",
            "Rate",
            "Open caseload",
            "Specialists with a caseload",
            "Members per specialist",
            "Specialists over the limit",
            "Median authorization delay (days)",
            "Latest fidelity total",
        ],
        rows,
    )


TableBuilder = Callable[[Figures], Table]

TABLES: dict[str, TableBuilder] = {
    "employment": employment_table,
    "funnel": funnel_table,
    "delays": delays_table,
    "job-ends": job_ends_table,
    "reauthorizations": reauthorizations_table,
    "exits": exits_table,
    "caseload": caseload_table,
    "money": money_table,
    "medicaid": medicaid_table,
    "coaching-tiers": tiers_table,
    "flags": flags_table,
    "providers": providers_table,
}

# Tables only a reader across providers gets.
COMPARISON_TABLES = frozenset({"providers"})


def csv_filename(slug: str, filters: DashboardFilters) -> str:
    return f"ips-{slug}-{filters.period_from:%Y%m%d}-{filters.period_end:%Y%m%d}.csv"
