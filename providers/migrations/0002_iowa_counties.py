"""Iowa's 99 counties with their FIPS codes, and spellings seen in sources.

Iowa numbers its counties alphabetically by odd numbers, 19001 (Adair) to
19197 (Wright). Spellings that differ only in spaces, case or punctuation ("Blackhawk",
"OBrien", "O’Brien" with a curly apostrophe) match by their name key. The
aliases are the real misspellings seen in source documents.
"""

import re
import unicodedata

from django.db import migrations

COUNTY_NAMES = [
    "Adair", "Adams", "Allamakee", "Appanoose", "Audubon", "Benton",
    "Black Hawk", "Boone", "Bremer", "Buchanan", "Buena Vista", "Butler",
    "Calhoun", "Carroll", "Cass", "Cedar", "Cerro Gordo", "Cherokee",
    "Chickasaw", "Clarke", "Clay", "Clayton", "Clinton", "Crawford",
    "Dallas", "Davis", "Decatur", "Delaware", "Des Moines", "Dickinson",
    "Dubuque", "Emmet", "Fayette", "Floyd", "Franklin", "Fremont", "Greene",
    "Grundy", "Guthrie", "Hamilton", "Hancock", "Hardin", "Harrison",
    "Henry", "Howard", "Humboldt", "Ida", "Iowa", "Jackson", "Jasper",
    "Jefferson", "Johnson", "Jones", "Keokuk", "Kossuth", "Lee", "Linn",
    "Louisa", "Lucas", "Lyon", "Madison", "Mahaska", "Marion", "Marshall",
    "Mills", "Mitchell", "Monona", "Monroe", "Montgomery", "Muscatine",
    "O'Brien", "Osceola", "Page", "Palo Alto", "Plymouth", "Pocahontas",
    "Polk", "Pottawattamie", "Poweshiek", "Ringgold", "Sac", "Scott",
    "Shelby", "Sioux", "Story", "Tama", "Taylor", "Union", "Van Buren",
    "Wapello", "Warren", "Washington", "Wayne", "Webster", "Winnebago",
    "Winneshiek", "Woodbury", "Worth", "Wright",
]  # fmt: skip

ALIASES = {
    "Dickenson": "Dickinson",
    "Cerro Gordon": "Cerro Gordo",
    "Pottawatamie": "Pottawattamie",
    "Winnesheik": "Winneshiek",
}


def name_key(name):
    # A frozen copy of providers.rules.county_name_key: migrations must not
    # change when the application code does.
    name = re.sub(r"\s+county\s*$", "", name.strip(), flags=re.IGNORECASE)
    ascii_only = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z]", "", ascii_only.lower())


def load_counties(apps, schema_editor):
    County = apps.get_model("providers", "County")
    CountyAlias = apps.get_model("providers", "CountyAlias")
    assert len(COUNTY_NAMES) == 99

    counties = {}
    for index, name in enumerate(COUNTY_NAMES):
        fips_code = f"19{2 * index + 1:03d}"
        counties[name] = County.objects.create(
            fips_code=fips_code, name=name, name_key=name_key(name)
        )

    for spelling, name in ALIASES.items():
        assert name_key(spelling) not in {name_key(n) for n in COUNTY_NAMES}
        CountyAlias.objects.create(
            county=counties[name], spelling=spelling, name_key=name_key(spelling)
        )


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]

    operations = [migrations.RunPython(load_counties, migrations.RunPython.noop)]
