"""Pure rules about counties and service areas."""

import re
import unicodedata

_NOT_A_LETTER = re.compile(r"[^a-z]")
_COUNTY_SUFFIX = re.compile(r"\s+county\s*$", re.IGNORECASE)


def county_name_key(name: str) -> str:
    """Return the key under which a county name is matched.

    The key keeps letters only, lower-cased and without accents, and drops
    a trailing "County". So "Black Hawk", "Blackhawk" and "BLACK HAWK
    COUNTY" share one key, and so do "O'Brien", "O’Brien" (a curly
    apostrophe) and "OBrien". Real misspellings such as "Dickenson" do not
    reduce to the right key: they are listed as aliases instead.
    """
    name = _COUNTY_SUFFIX.sub("", name.strip())
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_A_LETTER.sub("", ascii_only.lower())
