"""Read back the PDFs the portal renders, as a person's PDF reader would.

Text comes from PDFium (pypdfium2), the engine of a widely used browser's
viewer; the fonts a file embeds come from pypdf.
"""

import io

import pypdfium2
from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """Return the text of each page, whitespace folded to single spaces."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            # PDFium marks a hyphen that ends a line with U+0002.
            text = textpage.get_text_bounded().replace("\x02", "-")
            textpage.close()
            page.close()
            pages.append(" ".join(text.split()))
        return pages
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """Return the text of the whole document, whitespace folded."""
    return " ".join(pdf_pages(pdf))


def pdf_fonts(pdf: bytes) -> set[str]:
    """Return the base names of the fonts the document embeds, without subset tags."""
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            name = str(font.get_object()["/BaseFont"]).lstrip("/")
            names.add(name.split("+", 1)[-1])
    return names


def first_page_png(pdf: bytes, scale: float = 1.5) -> bytes:
    """Rasterize the first page to PNG, as the samples under docs/samples are."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=scale).to_pil()
        page.close()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
