"""Pure rules about members."""

import re

MEDICAID_ID_PATTERN = re.compile(r"^[0-9]{7}[A-Z]$")


def medicaid_id_normalize(raw: str) -> str:
    """Return a Medicaid ID in its stored form: no spaces or dashes, upper case.

    Iowa Medicaid member IDs are seven digits and one letter ("1234567A").
    Normalizing does not validate; see ``medicaid_id_is_valid``.
    """
    return re.sub(r"[\s-]", "", raw).upper()


def medicaid_id_is_valid(normalized: str) -> bool:
    return bool(MEDICAID_ID_PATTERN.match(normalized))
