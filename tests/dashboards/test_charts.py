"""Charts are SVG documents that carry their figures in words."""

import datetime
import re
from decimal import Decimal
from xml.etree import ElementTree

from dashboards import charts
from dashboards.metrics import (
    Benchmarks,
    Funnel,
    FunnelStep,
    Money,
    MoneyRow,
    QuarterRate,
    SpecialistCaseload,
)
from dashboards.rules import quarters_between

D = datetime.date
BENCHMARKS = Benchmarks(
    Decimal("0.31"), Decimal("0.41"), Decimal("0.50"), Decimal("0.55")
)


def parsed(svg: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own drawing)


def title(svg: bytes) -> str:
    found = re.search(rb"<dc:title>(.*?)</dc:title>", svg)
    assert found
    return found[1].decode()


def test_the_employment_chart_is_a_titled_svg() -> None:
    q1, q2 = quarters_between(D(2026, 1, 1), D(2026, 5, 15))
    svg = charts.employment_rate_chart(
        [QuarterRate(q1, 6, 4), QuarterRate(q2, 6, 3)], BENCHMARKS
    )

    assert parsed(svg).tag == "{http://www.w3.org/2000/svg}svg"
    assert title(svg) == "Competitive employment rate by quarter"
    assert b"<script" not in svg


def test_each_chart_draws_with_no_data() -> None:
    for svg in (
        charts.employment_rate_chart([], BENCHMARKS),
        charts.funnel_chart(
            Funnel([FunnelStep("referred", "Referred", 0, None, None)], D(2026, 6, 30))
        ),
        charts.money_chart(Money([D(2026, 1, 1)], [], None)),
        charts.caseload_chart([]),
    ):
        assert parsed(svg) is not None


def test_money_and_caseload_charts_draw_their_rows() -> None:
    money = Money(
        [D(2026, 1, 1), D(2026, 2, 1)],
        [
            MoneyRow(
                D(2026, 1, 1),
                1,
                "Wellpoint",
                "medicaid_mco",
                Decimal("1570.42"),
                Decimal("0"),
            ),
            MoneyRow(
                D(2026, 2, 1), 2, "IVRS", "ivrs", Decimal("2394.53"), Decimal("81.68")
            ),
        ],
        None,
    )
    caseloads = [
        SpecialistCaseload(1, "Avery Example", 1, "43 North Iowa", 21, 20),
        SpecialistCaseload(2, "Blair Example", 1, "43 North Iowa", 12, 20),
    ]

    assert (
        title(charts.money_chart(money)) == "Milestones and coaching by month and payer"
    )
    assert title(charts.caseload_chart(caseloads)) == "Caseload per specialist"
