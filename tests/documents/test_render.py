"""The document renderer: fonts, header and footer, and nothing fetched from outside."""

import datetime
import logging
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from documents.render import (
    CONFIDENTIALITY_NOTICE,
    AssetNotFound,
    ProjectAssetFetcher,
    asset_path,
    produced_at_text,
    render_pdf,
)
from tests.documents.pdf import pdf_fonts, pdf_pages, pdf_text
from tests.factories import UserFactory

TEMPLATES_HERE = Path(__file__).parent / "templates"
NAMES = ["Nguyễn", "O'Brien", "Zoë", "Ngũgĩ", "José María"]


def render_sample(
    fetcher: ProjectAssetFetcher | None = None, **context: object
) -> bytes:
    user = UserFactory.build(first_name="Rae", last_name="Tester", organization=None)
    with override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [TEMPLATES_HERE, Path(__file__).parents[2] / "templates"],
                "APP_DIRS": True,
            }
        ]
    ):
        return render_pdf(
            "documents/sample.html",
            {"names": NAMES, "rows": range(3), **context},
            title="Sample document",
            produced_by=user,
            produced_at=timezone.make_aware(datetime.datetime(2026, 12, 3, 14, 5)),
            fetcher=fetcher,
        )


def test_names_render_with_the_fonts_the_project_ships() -> None:
    pdf = render_sample()

    text = pdf_text(pdf)
    for name in NAMES:
        assert name in text
    # Latin names need nothing but Noto Sans; the heading's check mark
    # comes from a symbols font the project ships, never the machine's.
    assert pdf_fonts(pdf) == {"Portal-Sans", "Portal-Sans-Bold", "Noto-Sans-Symbols2"}


# Names from Iowa's refugee communities, in their own scripts, and the
# symbols people type into notes.
WORLD_NAMES = ["محمد 王芳 Zoë", "မောင် Ngũgĩ"]
# Nepali, Tigrinya and Korean. PDFium reads a space into "कृ ष्ण", where a
# vowel sign sits under its letter: they are checked without spaces.
MORE_NAMES = ["कृष्ण", "ሰላም", "김민준"]
SYMBOLS = "✓ → ≥ ≤ ★"
FALLBACK_FONTS = {
    "Noto-Sans-Arabic",
    "Noto-Sans-Arabic-Bold",
    "Noto-Sans-Myanmar",
    "Noto-Sans-Myanmar-Bold",
    "Noto-Sans-Devanagari",
    "Noto-Sans-Devanagari-Bold",
    "Noto-Sans-Ethiopic",
    "Noto-Sans-Ethiopic-Bold",
    "WenQuanYi-Micro-Hei",
    "Noto-Sans-Math",
    "Noto-Sans-Symbols2",
}


def test_names_in_other_scripts_print_in_the_fallback_fonts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="weasyprint")

    names = [*WORLD_NAMES, *MORE_NAMES]

    pdf = render_sample(names=names, note=f"{', '.join(names)}: {SYMBOLS}")

    text = pdf_text(pdf)
    # The heading (bold) and the note (regular) read back exactly as written.
    assert f"{', '.join(WORLD_NAMES)}, " in text
    assert f"{MORE_NAMES[-1]}: {SYMBOLS}" in text
    assert ",".join(MORE_NAMES) + "✓" in text.replace(" ", "")
    assert pdf_fonts(pdf) >= FALLBACK_FONTS
    # No character was left without a font (drawn as an empty box).
    assert [r.message for r in caplog.records if ".notdef" in r.message] == []


def test_fallback_fonts_are_embedded_as_subsets() -> None:
    plain = render_sample()

    pdf = render_sample(names=[*NAMES, *WORLD_NAMES, *MORE_NAMES], note=SYMBOLS)

    # Eleven fonts more, a few glyphs each, add some 11 kB: a whole font
    # would be 200 kB or more, the Chinese one 5 MB.
    assert len(pdf) - len(plain) < 30_000


def test_every_page_has_the_header_footer_and_page_number() -> None:
    pdf = render_sample(rows=range(120))

    pages = pdf_pages(pdf)
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert "IPS Portal" in page
        assert "Sample document" in page
        assert "Produced 12/03/2026 2:05 PM CST by Rae Tester" in page
        assert " ".join(CONFIDENTIALITY_NOTICE.split()) in page
        assert f"Page {number} of {len(pages)}" in page


def test_long_words_wrap_inside_the_page() -> None:
    long_word = "Quillfeather-Tiberius-Vale" * 12

    pdf = render_sample(note=long_word)

    # Nothing is cut off: every letter is still there, across lines.
    assert long_word in pdf_text(pdf).replace(" ", "")


def test_the_renderer_fetches_nothing_from_outside_the_project() -> None:
    fetcher = ProjectAssetFetcher()

    pdf = render_sample(fetcher=fetcher)

    assert fetcher.refused == [
        "http://127.0.0.1:9/tracker.png",
        "file:///etc/hostname",
        "asset:../manage.py",
    ]
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    "name", ["../manage.py", "/etc/hostname", "documents/missing.css", "fonts"]
)
def test_asset_paths_stay_inside_the_static_folder(name: str) -> None:
    with pytest.raises(AssetNotFound):
        asset_path(name)


def test_the_shipped_fonts_are_assets() -> None:
    assert asset_path("fonts/noto-sans/NotoSans-Regular.ttf").is_file()
    assert asset_path("documents/print.css").is_file()


def test_every_shipped_font_comes_with_its_licence() -> None:
    fonts = Path(__file__).parents[2] / "static" / "fonts"

    folders = [folder for folder in fonts.iterdir() if folder.is_dir()]

    assert len(folders) == 7
    for folder in folders:
        assert "SIL Open Font License" in (folder / "OFL.txt").read_text()
        assert list(folder.glob("*.ttf")), folder.name


UTC = datetime.UTC


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (
            datetime.datetime(2026, 12, 3, 20, 5, tzinfo=datetime.UTC),
            "12/03/2026 2:05 PM CST",
        ),
        (
            datetime.datetime(2026, 7, 1, 14, 0, tzinfo=datetime.UTC),
            "07/01/2026 9:00 AM CDT",
        ),
    ],
)
def test_the_time_produced_names_iowas_zone(
    moment: datetime.datetime, text: str
) -> None:
    assert produced_at_text(moment) == text
