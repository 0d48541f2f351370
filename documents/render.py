"""Render printable documents to PDF with WeasyPrint, from templates.

Every document extends ``documents/base.html``: a running header with the
producing organization, the title and when it was produced; a footer with
the confidentiality notice and "page N of M".

The renderer is shut in. Templates name the project's own files as
``asset:<path under static/>``; the fetcher serves those, and inline
``data:`` images (charts), and refuses everything else, so a document never
reaches the network or reads a file outside ``static/``. Fontconfig is
pointed at ``documents/fonts.conf``, which lists only the fonts the project
ships (and one it installs, for Chinese, Japanese and Korean), so names
render the same on every machine and no other system font is read. A
character Noto Sans lacks, an Arabic or Burmese name or a check mark in a
note, is drawn from the fallback fonts that file lists, in its order.
"""

from __future__ import annotations

import datetime
import logging
import mimetypes
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

FONTCONFIG_FILE = Path(__file__).resolve().parent / "fonts.conf"
ASSET_SCHEME = "asset:"
CONFIDENTIALITY_NOTICE = (
    "Confidential: contains protected health information. Share only with people "
    "who need it to serve the member, and dispose of it securely."
)

_fontconfig_lock = threading.Lock()

# The first line of every ToUnicode map WeasyPrint writes, and the end of a
# line of it that maps a glyph to no text at all.
_TO_UNICODE_START = b"/CIDInit /ProcSet findresource begin"
_NO_TEXT = b" <>"


@contextmanager
def _project_fonts_only() -> Iterator[None]:
    """Point fontconfig at the project's fonts while it loads its configuration.

    Fontconfig reads FONTCONFIG_FILE when a configuration is loaded: when
    WeasyPrint is imported and when each font configuration is made. The
    variable is put back afterwards so other programs (a browser the tests
    start, say) keep the machine's own fonts.
    """
    with _fontconfig_lock:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
        try:
            yield
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous


with _project_fonts_only():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse


class AssetNotFound(ValueError):
    """A document named an asset that is not among the project's static files."""


def asset_path(name: str) -> Path:
    """Return the file behind ``asset:<name>``, inside the project's static folders.

    Raises AssetNotFound for a name that is missing or that climbs out of
    the static folders.
    """
    for root in settings.STATICFILES_DIRS:
        base = Path(root).resolve()
        candidate = (base / name).resolve()
        if candidate.is_relative_to(base) and candidate.is_file():
            return candidate
    raise AssetNotFound(f"No project asset named {name!r}.")


class ProjectAssetFetcher(URLFetcher):  # type: ignore[misc]
    """Fetch only the project's own assets and inline data; refuse the rest.

    Refused addresses are kept in ``refused`` so tests can see them.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        if url.startswith(ASSET_SCHEME):
            try:
                path = asset_path(url.removeprefix(ASSET_SCHEME))
            except AssetNotFound:
                self._refuse(url)
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "font/ttf"
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": content_type}
            )
        if url.startswith("data:"):
            return super().fetch(url, headers)
        self._refuse(url)
        raise ValueError("Documents load nothing from outside the project.")

    def _refuse(self, url: str) -> None:
        # Only the scheme is logged: an address is no place for member
        # data, but a log is no place to find out that one held some.
        scheme = url.split(":", 1)[0][:20]
        logger.warning("Refused a document's request for a %s: address.", scheme)
        self.refused.append(url)


def produced_at_text(moment: datetime.datetime) -> str:
    """When a document was made, in Iowa time with its zone: 12/01/2026 9:05 AM CST."""
    local = timezone.localtime(moment)
    return local.strftime("%m/%d/%Y %I:%M %p %Z").replace(" 0", " ")


def organization_name(user: Any) -> str:
    organization = getattr(user, "organization", None)
    return organization.name if organization is not None else "IPS Portal"


def render_pdf(
    template_name: str,
    context: Mapping[str, Any],
    *,
    title: str,
    produced_by: Any,
    produced_at: datetime.datetime | None = None,
    fetcher: ProjectAssetFetcher | None = None,
) -> bytes:
    """Render a document template to PDF bytes.

    ``produced_by`` is the user the document is made for: the header names
    their organization. The template receives ``document`` (title,
    organization, produced_at, produced_by, notice) beside ``context``.
    """
    moment = produced_at or timezone.now()
    document = {
        "title": title,
        "organization": organization_name(produced_by),
        "produced_at": produced_at_text(moment),
        "produced_by": produced_by.get_full_name() if produced_by else "",
        "notice": CONFIDENTIALITY_NOTICE,
    }
    html = render_to_string(template_name, {**context, "document": document})
    fetcher = fetcher or ProjectAssetFetcher()
    with _project_fonts_only():
        fonts = FontConfiguration()
    page = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=ASSET_SCHEME)
    pdf: bytes = page.write_pdf(font_config=fonts, finisher=_map_glyphs_to_text)
    return pdf


def _map_glyphs_to_text(document: Any, pdf: Any) -> None:
    """Give every glyph of a shaped cluster a readable text mapping.

    When a script draws one cluster as several glyphs (the Burmese vowel
    "ေ" is drawn before its consonant in "မော"), WeasyPrint maps the
    cluster's text to one glyph and the others to an empty string, which
    the PDF format does not allow (Kozea/WeasyPrint#2841, open). Readers
    then make a letter up from the glyph's number: "Ŵမော". Mapping those
    glyphs to U+0000 instead makes PDFium, the reader of Chrome and of the
    tests, leave them out, so a copied name reads as it was written.
    """
    for pdf_object in pdf.objects:
        lines = getattr(pdf_object, "stream", None)
        if not lines or lines[0] != _TO_UNICODE_START:
            continue
        for index, line in enumerate(lines):
            if isinstance(line, bytes) and line.endswith(_NO_TEXT):
                lines[index] = line.removesuffix(_NO_TEXT) + b" <0000>"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Answer a download of a rendered document.

    The file name must say what the document is, never whom it is about:
    it lands in download folders and browser histories.
    """
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
