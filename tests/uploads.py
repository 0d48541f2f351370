"""Small, valid files built byte by byte for upload tests. All invented."""

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
)


def png_bytes() -> bytes:
    """A one-pixel PNG: signature, IHDR and IEND chunks."""
    header = b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", 13) + header + struct.pack(">I", zlib.crc32(header))
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + iend


def pdf(name: str = "document.pdf", size: int = 0) -> SimpleUploadedFile:
    """A valid PDF, padded to ``size`` bytes when asked."""
    return SimpleUploadedFile(name, PDF_BYTES.ljust(size, b" "), "application/pdf")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, "image/jpeg")


def text_named_pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    """Plain text that only its name and claimed type call a PDF."""
    return SimpleUploadedFile(name, b"Just some notes, not a PDF.\n", "application/pdf")


def empty_pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"", "application/pdf")
