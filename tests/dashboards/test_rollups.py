"""The coaching summaries agree with coaching's own reader, and follow changes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from coaching.models import CoachingEntry
from coaching.selectors import coaching_month_for_members
from dashboards.models import CoachingMonthSummary, RollupMark
from dashboards.rollups import coaching_months_refresh
from tests.dashboards.builders import AS_OF, Dataset, People, build

D = datetime.date


def summaries() -> dict[tuple[str, datetime.date], tuple]:
    return {
        (row.member.first_name, row.month): (
            row.earned_tier,
            row.authorized_tier,
            row.billable_tier,
            row.amount,
        )
        for row in CoachingMonthSummary.objects.select_related("member")
    }


def test_each_member_month_is_the_coaching_rule_s_answer(dataset: Dataset) -> None:
    # Ada (tier 2 from 05/03): May 180 minutes → tier 2, $436.40; June 30
    # minutes → tier 1 pays $81.68; July nothing logged. Fay (tier 1 from
    # 05/31): May, June, July without a contact.
    found = summaries()

    assert found[("Ada", D(2026, 5, 1))] == (2, 2, 2, Decimal("436.40"))
    assert found[("Ada", D(2026, 6, 1))] == (1, 2, 1, Decimal("81.68"))
    assert found[("Ada", D(2026, 7, 1))] == (None, 2, None, Decimal("0.00"))
    assert found[("Fay", D(2026, 6, 1))] == (None, 1, None, Decimal("0.00"))
    assert len(found) == 6  # Ada and Fay, May to July
    # The same answers as the reader billing uses, month by month.
    ada = dataset.members["Ada"].pk
    for month in (D(2026, 5, 1), D(2026, 6, 1)):
        summary, _ = coaching_month_for_members([ada], month)[ada]
        assert found[("Ada", month)][3] == summary.amount


def test_a_refresh_of_changes_redoes_only_the_members_that_changed(
    people: People,
) -> None:
    with time_machine.travel(datetime.datetime(2026, 7, 10, 15, tzinfo=datetime.UTC)):
        data = build(people)
        coaching_months_refresh(today=AS_OF)
        before = RollupMark.objects.get().changes_from

    # An hour later Ada's June gets 2 more hours: 150 minutes earns tier 2.
    with time_machine.travel(datetime.datetime(2026, 7, 10, 16, tzinfo=datetime.UTC)):
        CoachingEntry.objects.create(
            member=data.members["Ada"],
            coached_on=D(2026, 6, 20),
            minutes=120,
            kind=CoachingEntry.Kind.PHONE,
            logged_by=people.author,
        )
        written = coaching_months_refresh(changed_only=True, today=AS_OF)

    assert written == 3  # Ada's May, June and July; Fay's rows are kept
    assert summaries()[("Ada", D(2026, 6, 1))] == (2, 2, 2, Decimal("436.40"))
    assert RollupMark.objects.get().changes_from > before
    assert CoachingMonthSummary.objects.count() == 6


@pytest.mark.django_db
def test_nothing_changed_writes_nothing() -> None:
    RollupMark.objects.create(
        name="coaching_months", changes_from=timezone.now(), refreshed_at=timezone.now()
    )

    assert coaching_months_refresh(changed_only=True, today=AS_OF) == 0
