"""Recording and voiding fidelity reviews, through the services."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from fidelity.models import FidelityReview
from fidelity.services import fidelity_review_void
from providers.models import ProviderSite
from tests.fidelity.helpers import NOT_REVIEWERS, record, scores

pytestmark = pytest.mark.django_db
D = datetime.date
# Noon in Iowa on December 1, 2026.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# Recording ------------------------------------------------------------------


def test_a_review_is_totalled_and_banded_by_the_rules(
    reviewer: User, provider_a: ProviderSite
) -> None:
    review = record(reviewer, provider_a, D(2026, 11, 20), total=114)

    review.refresh_from_db()
    assert (review.total, review.band) == (114, "good")
    assert review.band_label == "Good fidelity"
    assert review.recorded_by == reviewer
    assert review.history.get().history_user == reviewer


def test_scores_are_kept_item_by_item(reviewer: User, provider_a: ProviderSite) -> None:
    given = scores(100, caseload_size=2, assertive_engagement=5)
    review = record(reviewer, provider_a, TODAY, scores=given)

    review.refresh_from_db()
    assert review.scores() == given
    assert review.total == 99
    assert review.band == "fair"


def test_reviewers_and_notes_are_trimmed(
    reviewer: User, provider_a: ProviderSite
) -> None:
    review = record(
        reviewer, provider_a, TODAY, reviewers="  Ada Brennholt ", notes=" Good. "
    )

    assert (review.reviewers, review.notes) == ("Ada Brennholt", "Good.")


def test_a_review_dated_today_in_iowa_is_accepted(
    reviewer: User, provider_a: ProviderSite
) -> None:
    assert record(reviewer, provider_a, TODAY).reviewed_on == TODAY


def test_a_review_dated_tomorrow_is_refused(
    reviewer: User, provider_a: ProviderSite
) -> None:
    with pytest.raises(ValidationError) as refused:
        record(reviewer, provider_a, D(2026, 12, 2))

    assert refused.value.message_dict == {
        "reviewed_on": ["The review date cannot be in the future."]
    }
    assert not FidelityReview.objects.exists()


def test_late_evening_in_iowa_is_still_today_there(
    reviewer: User, provider_a: ProviderSite
) -> None:
    # 23:30 in Iowa on December 1 is already December 2 in UTC.
    with time_machine.travel(
        datetime.datetime(2026, 12, 2, 5, 30, tzinfo=datetime.UTC)
    ):
        with pytest.raises(ValidationError):
            record(reviewer, provider_a, D(2026, 12, 2))
        assert record(reviewer, provider_a, TODAY).reviewed_on == TODAY


def test_missing_and_out_of_range_scores_are_named_and_nothing_is_saved(
    reviewer: User, provider_a: ProviderSite
) -> None:
    given = scores()
    del given["vocational_unit"]
    given["disclosure"] = 6

    with pytest.raises(ValidationError) as refused:
        record(reviewer, provider_a, TODAY, scores=given)

    assert refused.value.message_dict == {
        "vocational_unit": ["Score “Vocational unit” from 1 to 5."],
        "disclosure": ["“Disclosure” is scored from 1 to 5, not 6."],
    }
    assert not FidelityReview.objects.exists()


def test_every_problem_is_reported_together(
    reviewer: User, provider_a: ProviderSite
) -> None:
    with pytest.raises(ValidationError) as refused:
        record(reviewer, provider_a, D(2027, 1, 1), reviewers=" ", scores={})

    problems = refused.value.message_dict
    assert len(problems) == 27
    assert problems["reviewers"] == ["Name the people who did the review."]


def test_a_second_review_of_the_same_day_is_refused_until_the_first_is_voided(
    reviewer: User, provider_a: ProviderSite, provider_b: ProviderSite
) -> None:
    first = record(reviewer, provider_a, TODAY)
    record(reviewer, provider_b, TODAY)

    with pytest.raises(ValidationError) as refused:
        record(reviewer, provider_a, TODAY)
    assert refused.value.message_dict == {
        "reviewed_on": ["This provider already has a review on that date."]
    }

    fidelity_review_void(actor=reviewer, review=first, reason="Wrong scores.")
    assert record(reviewer, provider_a, TODAY).pk != first.pk


def test_a_provider_switched_off_takes_no_review(
    reviewer: User, provider_a: ProviderSite
) -> None:
    provider_a.organization.is_active = False
    provider_a.organization.save()

    with pytest.raises(ValidationError) as refused:
        record(reviewer, provider_a, TODAY)

    assert "provider" in refused.value.message_dict


@pytest.mark.parametrize("who", NOT_REVIEWERS)
def test_only_a_program_reviewer_records_a_review(
    request: pytest.FixtureRequest, provider_a: ProviderSite, who: str
) -> None:
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        record(actor, provider_a, TODAY)

    assert not FidelityReview.objects.exists()


def test_a_reviewer_whose_organization_is_switched_off_may_not_record(
    reviewer: User, provider_a: ProviderSite
) -> None:
    reviewer.organization.is_active = False
    reviewer.organization.save()

    with pytest.raises(PermissionDenied):
        record(reviewer, provider_a, TODAY)


# Voiding --------------------------------------------------------------------


def test_a_voided_review_stays_on_the_record_with_its_reason(
    reviewer: User, provider_a: ProviderSite
) -> None:
    review = record(reviewer, provider_a, TODAY)
    # Longer than simple_history's default 100-character change reason.
    reason = "Scores of another provider were entered here by mistake. " * 3

    fidelity_review_void(actor=reviewer, review=review, reason=f" {reason} ")

    review.refresh_from_db()
    assert review.is_voided
    assert (review.voided_by, review.void_reason) == (reviewer, reason.strip())
    latest = review.history.latest()
    assert latest.history_change_reason == reason.strip()
    assert latest.history_user == reviewer
    assert FidelityReview.objects.count() == 1


def test_a_void_needs_a_reason(reviewer: User, provider_a: ProviderSite) -> None:
    review = record(reviewer, provider_a, TODAY)

    with pytest.raises(ValidationError) as refused:
        fidelity_review_void(actor=reviewer, review=review, reason="  ")

    assert refused.value.message_dict == {"reason": ["Say why this review is wrong."]}
    review.refresh_from_db()
    assert not review.is_voided


def test_a_review_is_voided_once(reviewer: User, provider_a: ProviderSite) -> None:
    review = record(reviewer, provider_a, TODAY)
    fidelity_review_void(actor=reviewer, review=review, reason="Wrong date.")

    with pytest.raises(ValidationError, match="already voided"):
        fidelity_review_void(actor=reviewer, review=review, reason="Again.")


@pytest.mark.parametrize("who", NOT_REVIEWERS)
def test_only_a_program_reviewer_voids_a_review(
    request: pytest.FixtureRequest,
    reviewer: User,
    provider_a: ProviderSite,
    who: str,
) -> None:
    review = record(reviewer, provider_a, TODAY)
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        fidelity_review_void(actor=actor, review=review, reason="Not mine to void.")

    review.refresh_from_db()
    assert not review.is_voided
