"""Checks on uploaded files: their content decides their type, not their name."""

import hashlib
from dataclasses import dataclass

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

PDF_AND_IMAGES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def upload_check(
    upload: UploadedFile,
    allowed: dict[str, str] = PDF_AND_IMAGES,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> CheckedUpload:
    """Check an uploaded file and say what it really is.

    Refuses an empty file, one over ``max_bytes``, and one whose first bytes
    are not one of the allowed types, whatever its name or the browser
    claims. Reads the file once, in chunks.
    """
    size = upload.size or 0
    if size == 0:
        raise ValidationError("This file is empty.")
    if size > max_bytes:
        raise ValidationError(
            f"This file is larger than the {max_bytes // 1_048_576} MB limit."
        )

    upload.seek(0)
    head = upload.read(8192)
    try:
        content_type = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        content_type = ""
    if content_type not in allowed:
        raise ValidationError(
            "Upload a PDF, PNG or JPEG file. This file is not one, "
            "whatever its name says."
        )

    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type, allowed[content_type], size, digest.hexdigest())
