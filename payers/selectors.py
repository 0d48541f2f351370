"""Fee lookups: the rate in force for a payer, a service and a date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from payers.models import FeeRate, FeeSchedule, Payer
from payers.services_catalog import UNIT_OF_SERVICE, Service


class FeeScheduleNotInForce(ValueError):
    """No fee schedule covers the date asked about."""


@dataclass(frozen=True)
class FeeQuote:
    service: Service
    rate: Decimal
    unit: str
    schedule: FeeSchedule

    @property
    def is_negotiated(self) -> bool:
        return self.schedule.payer_id is not None


def fee_quote_get(payer: Payer, service: Service, on: datetime.date) -> FeeQuote:
    """Return the rate in force for the payer and service on a date.

    A payer's own negotiated schedule in force that day wins when it lists
    the service; otherwise the posted schedule in force that day applies.
    Among schedules in force, the one that began latest wins. A date before
    the first posted schedule raises FeeScheduleNotInForce with a message
    fit to show next to the date field. One query (two on a refusal).
    """
    in_force = Q(schedule__effective_on__lte=on) & (
        Q(schedule__ends_on__isnull=True) | Q(schedule__ends_on__gte=on)
    )
    rates = list(
        FeeRate.objects.select_related("schedule")
        .filter(in_force, service=service)
        .filter(Q(schedule__payer=payer) | Q(schedule__payer__isnull=True))
        .order_by("-schedule__effective_on")
    )
    if not rates:
        raise FeeScheduleNotInForce(_not_in_force_message(on))

    negotiated = [rate for rate in rates if rate.schedule.payer_id is not None]
    chosen = (negotiated or rates)[0]
    return FeeQuote(
        service=Service(service),
        rate=chosen.rate,
        unit=UNIT_OF_SERVICE[service],
        schedule=chosen.schedule,
    )


def _not_in_force_message(on: datetime.date) -> str:
    first = (
        FeeSchedule.objects.filter(payer__isnull=True).order_by("effective_on").first()
    )
    asked = on.strftime("%m/%d/%Y")
    if first is None:
        return f"No fee schedule is in force on {asked}."
    begins = first.effective_on.strftime("%m/%d/%Y")
    return (
        f"No fee schedule is in force on {asked}: the first schedule begins {begins}."
    )


@dataclass(frozen=True)
class FeeTable:
    """Every rate a payer may be charged for some services, to resolve by date.

    For pages that need rates for several dates at once: one query in
    ``fee_table_get``, then ``rate_on`` in memory, by the same rule as
    ``fee_quote_get``.
    """

    rates: tuple[FeeRate, ...]

    def rate_on(self, service: str, on: datetime.date) -> Decimal | None:
        in_force = [
            fee_rate
            for fee_rate in self.rates
            if fee_rate.service == service
            and fee_rate.schedule.effective_on <= on
            and (fee_rate.schedule.ends_on is None or fee_rate.schedule.ends_on >= on)
        ]
        in_force.sort(key=lambda r: r.schedule.effective_on, reverse=True)
        negotiated = [r for r in in_force if r.schedule.payer_id is not None]
        candidates = negotiated or in_force
        return candidates[0].rate if candidates else None


def fee_table_get(payer: Payer, services: list[str]) -> FeeTable:
    """Load the posted and the payer's own rates for these services. One query."""
    rates = FeeRate.objects.select_related("schedule").filter(
        Q(schedule__payer=payer) | Q(schedule__payer__isnull=True),
        service__in=services,
    )
    return FeeTable(tuple(rates))


def fee_tables_get(payers: list[Payer], services: list[str]) -> dict[int, FeeTable]:
    """``fee_table_get`` for several payers at once, by payer id. One query."""
    rates = list(
        FeeRate.objects.select_related("schedule").filter(
            Q(schedule__payer__in=payers) | Q(schedule__payer__isnull=True),
            service__in=services,
        )
    )
    return {
        payer.pk: FeeTable(
            tuple(rate for rate in rates if rate.schedule.payer_id in (None, payer.pk))
        )
        for payer in payers
    }
