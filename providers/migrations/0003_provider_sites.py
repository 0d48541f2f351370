"""The eight IPS provider sites of February 2026, their counties and staff.

Provider numbers are visibly fake ("DEMO-…"), and so are the staff: made-up
names, example.org addresses and 555-01xx telephone numbers. Staff accounts
get no usable password here; the demo command sets one on demo machines.
"""

from django.db import migrations

SITES = [
    {
        "name": "43 North Iowa",
        "slug": "43-north-iowa",
        "city": "Mason City",
        "current": ["Cerro Gordo", "Floyd", "Franklin", "Hardin", "Mitchell"],
        "planned": [],
    },
    {
        "name": "Goodwill, Inc. of N.E. Iowa",
        "slug": "goodwill-ne-iowa",
        "city": "Waterloo",
        "current": ["Black Hawk"],
        "planned": ["Winneshiek", "Fayette", "Buchanan", "Delaware", "Dubuque"],
    },
    {
        "name": "Robert Young Center",
        "slug": "robert-young-center",
        "city": "Davenport",
        "current": ["Jackson", "Clinton", "Cedar", "Muscatine", "Scott"],
        "planned": [],
    },
    {
        "name": "Vera French Community Mental Health Center",
        "slug": "vera-french",
        "city": "Davenport",
        "current": ["Jackson", "Clinton", "Cedar", "Muscatine", "Scott"],
        "planned": [],
    },
    {
        "name": "Hope Haven – Imagine the Possibilities",
        "slug": "hope-haven-imagine",
        "city": "Burlington",
        "current": ["Washington", "Louisa", "Jefferson", "Henry", "Des Moines", "Lee"],
        "planned": [],
    },
    {
        "name": "First Resources Corp.",
        "slug": "first-resources",
        "city": "Ottumwa",
        "current": ["Mahaska", "Keokuk", "Wapello", "Appanoose", "Davis", "Van Buren"],
        "planned": [],
    },
    {
        "name": "Hope Haven, Inc.",
        "slug": "hope-haven-inc",
        "city": "Rock Valley",
        "current": [
            "Lyon", "Osceola", "Dickinson", "Emmet", "Sioux", "O'Brien", "Clay",
            "Palo Alto", "Plymouth",
        ],
        "planned": [],
    },
    {
        "name": "Goodwill of Central Iowa / Eyerly Ball",
        "slug": "goodwill-central-eyerly-ball",
        "city": "Des Moines",
        "current": ["Polk"],
        "planned": ["Dallas", "Story", "Warren"],
    },
]  # fmt: skip

# One supervisor and two to four specialists per site, all invented. A bar
# separates first and last names where a space alone would be ambiguous.
STAFF_NAMES = [
    ["Ardith Kellerman", "Tomas Vandersloot", "Mina Okafor"],
    ["Della Hruska", "Reuben Achterberg", "Lan Nguyễn", "Cormac Duffy"],
    ["Priya Venkataraman", "Elmer Bogenrief", "Zoë Lindqvist"],
    ["Harriet Oyelaran", "Dale Rasmussen", "Ines Castellanos", "Wendell Fiske"],
    ["Colleen Mbeki", "Jasper Ruhnke", "Rosa Ibarra"],
    ["Nadine Chau", "Otto Pfannenstiel", "Keiko Armitage", "Samuel Tesfaye"],
    ["Greta Van Wyk", "Luis Ortega-Baines", "Maren Holthaus"],
    ["Beatrix Mwangi", "Felix Ostrowski", "José María|Quintero", "Aisha Rahimi",
     "Grant Dunwoody"],
]  # fmt: skip


def create_sites(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    County = apps.get_model("providers", "County")
    ProviderSite = apps.get_model("providers", "ProviderSite")
    ServiceArea = apps.get_model("providers", "ServiceArea")
    counties = {county.name: county for county in County.objects.all()}

    for number, (site, staff) in enumerate(
        zip(SITES, STAFF_NAMES, strict=True), start=1
    ):
        organization = Organization.objects.create(
            name=site["name"],
            kind="provider_site",
            phone=f"515-555-01{number:02d}",
            email=f"ips@{site['slug']}.example.org",
        )
        provider = ProviderSite.objects.create(
            organization=organization,
            slug=site["slug"],
            medicaid_provider_number=f"DEMO-{number:04d}",
            city=site["city"],
        )
        for status in ("current", "planned"):
            for name in site[status]:
                ServiceArea.objects.create(
                    provider=provider, county=counties[name], status=status
                )
        create_staff(User, organization, site["slug"], number, staff)


def create_staff(User, organization, slug, site_number, names):
    for position, full_name in enumerate(names):
        separator = "|" if "|" in full_name else " "
        first_name, last_name = full_name.split(separator, 1)
        if position == 0:
            role, title, username = (
                "ips_supervisor",
                "IPS supervisor",
                f"supervisor.{slug}",
            )
        else:
            role, title = "ips_specialist", "IPS specialist"
            username = f"specialist{position}.{slug}"
        User.objects.create(
            username=username,
            password="!",  # unusable: no sign-in until a password is set
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            phone=f"515-555-01{(site_number - 1) * 6 + position + 50:02d}",
            organization=organization,
            role=role,
            job_title=title,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organizations"),
        ("providers", "0002_iowa_counties"),
    ]

    operations = [migrations.RunPython(create_sites, migrations.RunPython.noop)]
