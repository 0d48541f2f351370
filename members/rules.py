"""Pure rules about members."""

import re
import unicodedata

MEDICAID_ID_PATTERN = re.compile(r"^[0-9]{7}[A-Z]$")


def medicaid_id_normalize(raw: str) -> str:
    """Return a Medicaid ID in its stored form: no spaces or dashes, upper case.

    Iowa Medicaid member IDs are seven digits and one letter ("1234567A").
    Normalizing does not validate; see ``medicaid_id_is_valid``.
    """
    return re.sub(r"[\s-]", "", raw).upper()


def medicaid_id_is_valid(normalized: str) -> bool:
    return bool(MEDICAID_ID_PATTERN.match(normalized))


_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bc`")


def name_fold(text: str) -> str:
    """Return a name as search compares it: no accents, case or apostrophes.

    "Zoë", "ZOE" and "zoe" fold alike; so do "Nguyễn" and "nguyen", and
    "O’Brien", "O'Brien" and "OBrien". Hyphens and commas count as spaces,
    so "Nguyễn, Lan" (as lists show names) finds Lan Nguyễn. Letters with
    no plain-Latin form (such as "ß" → "ss") follow Unicode case folding.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.translate(_APOSTROPHES).replace("-", " ").replace(",", " ")
    bare = bare.casefold()
    return " ".join(bare.split())
