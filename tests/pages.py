"""Reading pages as a person does: a field's block and the errors shown in it."""

import html
import re


def field_block(page: str, field_id: str) -> str:
    """The markup of one form field (label, errors, widget), unescaped.

    ``field_id`` is the widget's HTML id, such as "id_ended_on".
    """
    blocks = re.split(r'(?=<div class="field[ "])', page)
    found = [block for block in blocks if f'id="{field_id}"' in block]
    assert len(found) == 1, f"no single field block for {field_id}"
    return html.unescape(found[0])


def errors_next_to(page: str, field_id: str) -> str:
    """The text of the errors shown inside the field's own block ("" if none)."""
    errors = re.search(
        r'<ul class="field__errors"[^>]*>(.*?)</ul>', field_block(page, field_id), re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", errors[1]).split()) if errors else ""


def field_block_named(page: str, name: str) -> str:
    """``field_block`` for a form without a prefix, by field name."""
    return field_block(page, f"id_{name}")


def errors_next_to_named(page: str, name: str) -> str:
    """``errors_next_to`` for a form without a prefix, by field name."""
    return errors_next_to(page, f"id_{name}")
