"""The claim batch as CSV: exact money, safe cells, streamed row by row."""

from collections.abc import Iterator
from decimal import Decimal

from billing.models import ClaimBatch, ClaimLine
from payers.services_catalog import Service

HEADER = (
    "Member",
    "Medicaid ID",
    "Provider number",
    "Service code",
    "Modifier",
    "Units",
    "Rate",
    "Amount",
    "Date of service",
    "Authorization number",
    "Payer",
)

# A cell starting with one of these can be read as a formula by spreadsheet
# programs; a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Neutralize a text cell that a spreadsheet could read as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def money(value: Decimal) -> str:
    """A plain decimal string, never a float, never neutralized."""
    return f"{value:.2f}"


def batch_rows(batch: ClaimBatch) -> Iterator[tuple[str, ...]]:
    """The header, then one row per line, in a stable order. One query.

    No diagnosis, and nothing that changes between downloads, so the same
    batch always gives the same bytes.
    """
    yield HEADER
    lines = (
        ClaimLine.objects.filter(batch=batch)
        .select_related("member", "payer", "provider")
        .order_by("member__last_name", "member__first_name", "service_on", "pk")
        .iterator(chunk_size=500)
    )
    for line in lines:
        service = Service(line.service)
        date_of_service = (
            f"{line.service_on:%m/%d/%Y}"
            if line.kind == ClaimLine.Kind.MILESTONE
            else f"{line.month:%m/%Y}"
        )
        yield (
            safe_text(f"{line.member.last_name}, {line.member.first_name}"),
            safe_text(line.member.medicaid_id or ""),
            safe_text(line.provider.medicaid_provider_number),
            service.code,
            service.modifier,
            money(line.units),
            money(line.rate),
            money(line.amount),
            date_of_service,
            safe_text(line.authorization_number),
            safe_text(line.payer.name),
        )
