import pytest

from providers.models import County
from providers.rules import county_name_key
from providers.selectors import county_find


@pytest.mark.parametrize(
    ("spelling", "county"),
    [
        ("Black Hawk", "Black Hawk"),
        ("Blackhawk", "Black Hawk"),
        ("BLACK HAWK COUNTY", "Black Hawk"),
        ("Dickenson", "Dickinson"),
        ("Dickinson County", "Dickinson"),
        ("O'Brien", "O'Brien"),
        ("O\u2019Brien", "O'Brien"),
        ("OBrien", "O'Brien"),
        ("  obrien ", "O'Brien"),
        ("Des Moines", "Des Moines"),
        ("Van  Buren", "Van Buren"),
        ("Pottawatamie", "Pottawattamie"),
    ],
)
@pytest.mark.django_db
def test_variant_spellings_map_to_the_real_county(spelling: str, county: str) -> None:
    assert county_find(spelling) == County.objects.get(name=county)


@pytest.mark.parametrize("spelling", ["", "   ", "Cook", "Hennepin County", "'"])
@pytest.mark.django_db
def test_names_that_are_no_iowa_county_find_nothing_and_create_nothing(
    spelling: str,
) -> None:
    assert county_find(spelling) is None
    assert County.objects.count() == 99


def test_name_key_ignores_case_spaces_punctuation_and_the_word_county() -> None:
    assert county_name_key("Black Hawk County") == "blackhawk"
    assert county_name_key("O\u2019Brien") == county_name_key("O'Brien") == "obrien"
    assert county_name_key("Palo Alto") == "paloalto"


def test_name_key_drops_accents() -> None:
    assert county_name_key("Dubúque") == "dubuque"
