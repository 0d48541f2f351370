"""Read back the PDFs the portal renders, as a person's PDF reader would.

Text comes from PDFium (pypdfium2), the engine of a widely used browser's
viewer; the fonts a file embeds come from pypdf.
"""

import io

import pypdfium2
from pypdf import PdfReader

# The left and right margins of every page (static/documents/print.css),
# in points: text stays between them.
SIDE_MARGIN = 15 / 25.4 * 72


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


def pdf_lines(pdf: bytes) -> list[str]:
    """Return every line of text as it is laid out, page after page.

    A line that ends in a hyphen keeps it, and the word goes on on the
    next line: "DEMO-" then "PA-0177-1".
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        lines = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\x02", "-\n")
            textpage.close()
            page.close()
            lines.extend(line.strip() for line in text.splitlines())
        return lines
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """Return the text of the whole document, whitespace folded."""
    return " ".join(pdf_pages(pdf))


def pdf_text_off_the_page(pdf: bytes, margin: float = 0.0) -> list[str]:
    """Return the characters drawn outside the page's width, less ``margin``.

    ``margin`` is in points (1/72 inch) on the left and on the right. Each
    character found is given as "page N: 'c'" so a failure says where.
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        outside = []
        for number, page in enumerate(document, start=1):
            width = page.get_width()
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                character = textpage.get_text_range(index, 1)
                if character.isspace():
                    continue  # line ends PDFium adds, not drawn
                left, _, right, _ = textpage.get_charbox(index)
                # A point and a half of slack: some letters' shapes (the
                # hook of a J) reach a little past where the text begins.
                if left < margin - 1.5 or right > width - margin + 1.5:
                    outside.append(f"page {number}: {character!r}")
            textpage.close()
            page.close()
        return outside
    finally:
        document.close()


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
