"""Fee lookup by payer and date."""

import datetime
from decimal import Decimal

import pytest

from payers.models import FeeRate, FeeSchedule, Payer
from payers.selectors import FeeScheduleNotInForce, fee_quote_get, fee_table_get
from payers.services_catalog import RateUnit, Service

pytestmark = pytest.mark.django_db

FIRST_DAY_OF_FY2026 = datetime.date(2025, 7, 1)


@pytest.fixture
def wellpoint() -> Payer:
    return Payer.objects.get(short_name="Wellpoint")


@pytest.fixture
def molina() -> Payer:
    return Payer.objects.get(short_name="Molina")


def negotiated(payer: Payer, begins: datetime.date, **rates: str) -> FeeSchedule:
    schedule = FeeSchedule.objects.create(
        payer=payer, name=f"{payer} negotiated", effective_on=begins
    )
    for service, rate in rates.items():
        FeeRate.objects.create(
            schedule=schedule, service=Service[service], rate=Decimal(rate)
        )
    return schedule


def test_posted_rate_applies_from_july_1_2025(wellpoint: Payer) -> None:
    quote = fee_quote_get(wellpoint, Service.JOB_STABILIZATION, FIRST_DAY_OF_FY2026)

    assert quote.rate == Decimal("871.58")
    assert quote.unit == RateUnit.MILESTONE
    assert not quote.is_negotiated


def test_a_date_before_the_first_schedule_is_refused_plainly(wellpoint: Payer) -> None:
    with pytest.raises(FeeScheduleNotInForce) as refusal:
        fee_quote_get(wellpoint, Service.CAREER_DEVELOPMENT, datetime.date(2025, 6, 30))

    assert str(refusal.value) == (
        "No fee schedule is in force on 06/30/2025: "
        "the first schedule begins 07/01/2025."
    )


def test_negotiated_rate_wins_for_its_payer_only(
    wellpoint: Payer, molina: Payer
) -> None:
    negotiated(wellpoint, datetime.date(2026, 1, 1), JOB_DEVELOPMENT_1="2500.00")
    on = datetime.date(2026, 3, 1)

    assert fee_quote_get(wellpoint, Service.JOB_DEVELOPMENT_1, on).rate == Decimal(
        "2500.00"
    )
    assert fee_quote_get(molina, Service.JOB_DEVELOPMENT_1, on).rate == Decimal(
        "2394.53"
    )


def test_negotiated_schedule_falls_back_to_posted_for_services_it_omits(
    wellpoint: Payer,
) -> None:
    negotiated(wellpoint, datetime.date(2026, 1, 1), JOB_DEVELOPMENT_1="2500.00")

    quote = fee_quote_get(wellpoint, Service.COACHING_TIER_5, datetime.date(2026, 3, 1))

    assert quote.rate == Decimal("54.51")
    assert quote.unit == RateUnit.HOUR


def test_negotiated_rate_starts_on_its_effective_date(wellpoint: Payer) -> None:
    negotiated(wellpoint, datetime.date(2026, 1, 1), JOB_DEVELOPMENT_1="2500.00")

    day_before = fee_quote_get(
        wellpoint, Service.JOB_DEVELOPMENT_1, datetime.date(2025, 12, 31)
    )
    first_day = fee_quote_get(
        wellpoint, Service.JOB_DEVELOPMENT_1, datetime.date(2026, 1, 1)
    )

    assert day_before.rate == Decimal("2394.53")
    assert first_day.rate == Decimal("2500.00")


def test_ended_negotiated_schedule_gives_way_to_posted(wellpoint: Payer) -> None:
    schedule = negotiated(
        wellpoint, datetime.date(2026, 1, 1), JOB_DEVELOPMENT_1="2500.00"
    )
    schedule.ends_on = datetime.date(2026, 6, 30)
    schedule.save()

    last_day = fee_quote_get(
        wellpoint, Service.JOB_DEVELOPMENT_1, datetime.date(2026, 6, 30)
    )
    after = fee_quote_get(
        wellpoint, Service.JOB_DEVELOPMENT_1, datetime.date(2026, 7, 1)
    )

    assert last_day.rate == Decimal("2500.00")
    assert after.rate == Decimal("2394.53")


def test_newer_posted_schedule_supersedes_the_older(wellpoint: Payer) -> None:
    newer = FeeSchedule.objects.create(
        name="Posted rates, fiscal 2027", effective_on=datetime.date(2026, 7, 1)
    )
    FeeRate.objects.create(
        schedule=newer, service=Service.CAREER_DEVELOPMENT, rate=Decimal("1600.00")
    )

    before = fee_quote_get(
        wellpoint, Service.CAREER_DEVELOPMENT, datetime.date(2026, 6, 30)
    )
    after = fee_quote_get(
        wellpoint, Service.CAREER_DEVELOPMENT, datetime.date(2026, 7, 1)
    )

    assert before.rate == Decimal("1570.42")
    assert after.rate == Decimal("1600.00")


def test_90_day_milestone_is_u6() -> None:
    assert Service.JOB_STABILIZATION.code == "T2018"
    assert Service.JOB_STABILIZATION.modifier == "U6"
    assert "90 days" in Service.JOB_STABILIZATION.label


def test_the_fee_table_resolves_dates_as_the_single_lookup_does(
    wellpoint: Payer,
) -> None:
    negotiated(wellpoint, datetime.date(2026, 1, 1), COACHING_TIER_2="450.00")
    table = fee_table_get(wellpoint, [Service.COACHING_TIER_2, Service.COACHING_TIER_3])

    for day in (datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)):
        for service in (Service.COACHING_TIER_2, Service.COACHING_TIER_3):
            assert (
                table.rate_on(service, day)
                == fee_quote_get(wellpoint, service, day).rate
            )
    assert table.rate_on(Service.COACHING_TIER_2, datetime.date(2025, 6, 30)) is None
