"""Iowa Medicaid member IDs: seven digits and one letter, stored upper-cased."""

import pytest

from members.rules import medicaid_id_is_valid, medicaid_id_normalize


@pytest.mark.parametrize(
    "typed",
    [
        "1234567A",
        "1234567a",
        " 1234567a ",
        "123 4567 A",
        "123-4567-a",
        "1-2-3-4-5-6-7-A",
        "\t1234567\u00a0a\n",
    ],
)
def test_spaces_dashes_and_lower_case_normalize_to_the_stored_form(
    typed: str,
) -> None:
    assert medicaid_id_normalize(typed) == "1234567A"


def test_normalizing_an_empty_id_gives_an_empty_string() -> None:
    assert medicaid_id_normalize("  - ") == ""


def test_normalizing_does_not_validate() -> None:
    assert medicaid_id_normalize("12a") == "12A"


@pytest.mark.parametrize("normalized", ["1234567A", "0000000Z", "9876543Q"])
def test_seven_digits_and_one_letter_is_a_valid_id(normalized: str) -> None:
    assert medicaid_id_is_valid(normalized)


@pytest.mark.parametrize(
    "normalized",
    [
        "",
        "123456A",  # six digits
        "12345678A",  # eight digits
        "1234567",  # no letter
        "1234567AB",  # two letters
        "A1234567",  # letter first
        "12345678",  # eight digits, no letter
        "1234567a",  # not normalized: lower case
        "123 4567A",  # not normalized: a space
        "1234567É",  # a letter outside A-Z
        "ABCDEFGH",
    ],
)
def test_anything_but_seven_digits_and_one_letter_is_invalid(normalized: str) -> None:
    assert not medicaid_id_is_valid(normalized)


@pytest.mark.parametrize(
    "typed",
    [
        "\uff11\uff12\uff13\uff14\uff15\uff16\uff17A",  # full-width 1234567
        "\u0661\u0662\u0663\u0664\u0665\u0666\u0667A",  # Arabic-Indic 1234567
    ],
)
def test_only_ascii_digits_count_as_the_seven_digits(typed: str) -> None:
    """Unicode digits would let a second spelling of an ID past uniqueness."""
    assert not medicaid_id_is_valid(medicaid_id_normalize(typed))
