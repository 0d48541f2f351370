"""The fidelity rules: the scale's items, the total, the bands, overdue."""

import datetime

import pytest
from django.test import override_settings

from fidelity.rules import (
    AREA_HIGHEST,
    ITEM_KEYS,
    ITEMS,
    Area,
    Band,
    ScoresInvalid,
    area_totals,
    fidelity_band,
    fidelity_total,
    is_review_overdue,
    review_overdue_on,
    score_problems,
)
from tests.fidelity.helpers import scores

D = datetime.date


# The scale ------------------------------------------------------------------


def test_the_scale_has_25_items_in_three_areas_in_domain_order() -> None:
    by_area = {area: [i.label for i in ITEMS if i.area == area] for area in Area}

    assert [len(by_area[area]) for area in Area] == [3, 8, 14]
    assert by_area[Area.STAFFING] == [
        "Caseload size",
        "Employment services staff",
        "Vocational generalists",
    ]
    assert by_area[Area.ORGANIZATION] == [
        "Integration with treatment through team assignment",
        "Integration with treatment through frequent contact",
        "Collaboration with vocational rehabilitation",
        "Vocational unit",
        "Supervisor's role",
        "Zero exclusion",
        "Agency focus on competitive work",
        "Executive support",
    ]
    assert by_area[Area.SERVICES] == [
        "Work incentives planning",
        "Disclosure",
        "Ongoing work-based assessment",
        "Rapid job search",
        "Individualized job search",
        "Frequency of employer contact",
        "Quality of employer contact",
        "Diversity of job types",
        "Diversity of employers",
        "Competitive jobs",
        "Individualized follow-along",
        "Time-unlimited follow-along",
        "Community-based services",
        "Assertive engagement and outreach",
    ]


def test_item_keys_are_unique_identifiers_numbered_within_their_area() -> None:
    assert len(set(ITEM_KEYS)) == 25
    assert all(key.isidentifier() and key == key.lower() for key in ITEM_KEYS)
    assert [i.number for i in ITEMS if i.area == Area.STAFFING] == [1, 2, 3]
    assert ITEMS[-1].number == 14


def test_each_area_can_score_five_points_an_item() -> None:
    assert AREA_HIGHEST == {
        Area.STAFFING: 15,
        Area.ORGANIZATION: 40,
        Area.SERVICES: 70,
    }


# The total ------------------------------------------------------------------


def test_the_lowest_and_highest_totals_are_25_and_125() -> None:
    assert fidelity_total(dict.fromkeys(ITEM_KEYS, 1)) == 25
    assert fidelity_total(dict.fromkeys(ITEM_KEYS, 5)) == 125


def test_the_total_adds_every_item() -> None:
    assert fidelity_total(scores(100, caseload_size=1, disclosure=5)) == 98


def test_a_missing_item_is_named_and_nothing_is_totalled() -> None:
    partial = scores()
    del partial["zero_exclusion"]

    with pytest.raises(ScoresInvalid) as refused:
        fidelity_total(partial)

    assert refused.value.problems == {
        "zero_exclusion": "Score “Zero exclusion” from 1 to 5."
    }


@pytest.mark.parametrize("score", [0, 6, -1, 2.5, "3", True, None])
def test_a_score_outside_1_to_5_or_not_a_whole_number_is_refused(
    score: object,
) -> None:
    problems = score_problems({**scores(), "disclosure": score})

    assert list(problems) == ["disclosure"]
    assert "Disclosure" in problems["disclosure"]


@pytest.mark.parametrize("score", [1, 5])
def test_scores_of_1_and_5_are_accepted(score: int) -> None:
    assert score_problems({**scores(), "disclosure": score}) == {}


def test_an_item_not_on_the_scale_is_refused() -> None:
    problems = score_problems({**scores(), "coffee_quality": 5})

    assert problems == {
        "coffee_quality": "“coffee_quality” is not an item of the fidelity scale."
    }


def test_every_problem_is_reported_at_once() -> None:
    assert len(score_problems({"caseload_size": 9})) == 25


def test_area_totals_split_the_total_by_area() -> None:
    totals = area_totals(scores(100, caseload_size=5, assertive_engagement=1))

    assert totals == {Area.STAFFING: 13, Area.ORGANIZATION: 32, Area.SERVICES: 53}
    assert sum(totals.values()) == 98


# The bands ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (25, Band.NOT_SUPPORTED_EMPLOYMENT),
        (73, Band.NOT_SUPPORTED_EMPLOYMENT),
        (74, Band.FAIR),
        (99, Band.FAIR),
        (100, Band.GOOD),
        (114, Band.GOOD),
        (115, Band.EXEMPLARY),
        (125, Band.EXEMPLARY),
    ],
)
def test_each_band_edge(total: int, band: Band) -> None:
    assert fidelity_band(total) == band


@pytest.mark.parametrize("total", [24, 126, 0])
def test_a_total_the_scale_cannot_give_has_no_band(total: int) -> None:
    with pytest.raises(ValueError, match="25 to 125"):
        fidelity_band(total)


def test_bands_have_the_scales_names() -> None:
    assert [band.label for band in Band] == [
        "Exemplary fidelity",
        "Good fidelity",
        "Fair fidelity",
        "Not supported employment",
    ]
    assert Band.NOT_SUPPORTED_EMPLOYMENT == "not_supported_employment"


# Overdue --------------------------------------------------------------------


def test_a_review_is_current_for_365_days_and_overdue_the_day_after() -> None:
    reviewed_on = D(2025, 12, 3)

    assert review_overdue_on(reviewed_on) == D(2026, 12, 4)
    assert not is_review_overdue(reviewed_on, D(2026, 12, 2))
    assert not is_review_overdue(reviewed_on, D(2026, 12, 3))
    assert is_review_overdue(reviewed_on, D(2026, 12, 4))


def test_a_review_on_february_29_goes_overdue_on_march_1_a_year_later() -> None:
    reviewed_on = D(2024, 2, 29)

    assert review_overdue_on(reviewed_on) == D(2025, 3, 1)
    assert not is_review_overdue(reviewed_on, D(2025, 2, 28))
    assert is_review_overdue(reviewed_on, D(2025, 3, 1))


def test_a_year_holding_february_29_ends_on_the_anniversary() -> None:
    # 365 days after 03/01/2023 is 02/29/2024: the year is counted in days.
    reviewed_on = D(2023, 3, 1)

    assert not is_review_overdue(reviewed_on, D(2024, 2, 29))
    assert is_review_overdue(reviewed_on, D(2024, 3, 1))


def test_a_review_dated_today_is_current() -> None:
    assert not is_review_overdue(D(2026, 12, 1), D(2026, 12, 1))


def test_no_review_at_all_is_overdue() -> None:
    assert is_review_overdue(None, D(2026, 12, 1))


def test_the_interval_comes_from_the_settings() -> None:
    thresholds = {"fidelity_review_days": 30}
    with override_settings(FLAG_THRESHOLDS=thresholds):
        assert review_overdue_on(D(2026, 1, 1)) == D(2026, 2, 1)
        assert not is_review_overdue(D(2026, 1, 1), D(2026, 1, 31))
        assert is_review_overdue(D(2026, 1, 1), D(2026, 2, 1))
