import csv
from collections.abc import Iterator
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from access.policy import Action, record_member_read, require
from accounts.models import User
from billing.exports import batch_rows
from billing.models import ClaimBatch, ClaimLine
from billing.services import (
    claim_batch_create,
    claim_line_release,
    claim_line_void,
    month_has_ended,
)
from core.dates import add_months, iowa_today, month_start
from core.forms import MonthField
from providers.models import ProviderSite


def _provider_of(actor: User) -> ProviderSite:
    require(actor, Action.BILL_CLAIMS)
    provider = getattr(actor.organization, "provider_site", None)
    if provider is None:
        raise PermissionDenied
    return provider


@login_required
@require_http_methods(["GET"])
def billing_view(request: HttpRequest) -> HttpResponse:
    """A supervisor's billing: a month's held lines and its claim batches."""
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    try:
        month = MonthField().clean(request.GET.get("month")) or None
    except ValidationError:
        month = None
    month = month or month_start(add_months(iowa_today(), -1))

    batches = (
        ClaimBatch.objects.filter(provider=provider, month=month)
        .annotate(line_count=Count("lines"), total=Sum("lines__amount"))
        .select_related("created_by")
    )
    held = list(
        ClaimLine.objects.filter(
            provider=provider, month=month, is_held=True, voided_at__isnull=True
        ).select_related("member")
    )
    record_member_read(
        actor,
        [line.member_id for line in held],
        purpose="claims.held",
        request=request,
    )
    return render(
        request,
        "billing/billing.html",
        {
            "month": month,
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "batches": list(batches),
            "held": held,
            "has_ended": month_has_ended(month, iowa_today()),
        },
    )


@login_required
@require_POST
def batch_create_view(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    try:
        month = MonthField().clean(request.POST.get("month"))
    except ValidationError as error:
        raise Http404("No such month.") from error
    try:
        batch = claim_batch_create(actor=actor, provider=provider, month=month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('billing:home')}?month={month:%Y-%m}")
    if batch is None:
        messages.info(
            request,
            f"Nothing is waiting to be billed for {month:%B %Y}; lines over the "
            "cap, if any, are held below.",
        )
    else:
        messages.success(request, f"Claim batch {batch.number} for {month:%B %Y} made.")
    return redirect(f"{reverse('billing:home')}?month={month:%Y-%m}")


@login_required
@require_POST
def release_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    line = ClaimLine.objects.filter(public_id=public_id, provider=provider).first()
    if line is None:
        raise Http404("No such line.")
    try:
        claim_line_release(actor=actor, line=line)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Released: it joins the next batch for its month.")
    return redirect(f"{reverse('billing:home')}?month={line.month:%Y-%m}")


class _Echo:
    """A file-like object whose write hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_http_methods(["GET"])
def batch_download(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    """The batch as CSV, streamed, UTF-8 with a byte-order mark."""
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    batch = ClaimBatch.objects.filter(public_id=public_id, provider=provider).first()
    if batch is None:
        raise Http404("No such batch.")
    record_member_read(
        actor,
        ClaimLine.objects.filter(batch=batch).values_list("member_id", flat=True),
        purpose="claims.export",
        request=request,
    )

    def content() -> Iterator[str]:
        writer = csv.writer(_Echo(), lineterminator="\r\n")
        yield "\ufeff"
        for row in batch_rows(batch):
            yield writer.writerow(row)

    filename = f"claims-{provider.slug}-{batch.month:%Y-%m}-{batch.number}.csv"
    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET"])
def batch_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A batch's lines, each voidable with a reason."""
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    batch = ClaimBatch.objects.filter(public_id=public_id, provider=provider).first()
    if batch is None:
        raise Http404("No such batch.")
    lines = list(
        ClaimLine.objects.filter(batch=batch)
        .select_related("member", "payer")
        .order_by("member__last_name", "member__first_name", "service_on", "pk")
    )
    record_member_read(
        actor,
        [line.member_id for line in lines],
        purpose="claims.view",
        request=request,
    )
    return render(request, "billing/batch.html", {"batch": batch, "lines": lines})


@login_required
@require_POST
def void_view(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = cast(User, request.user)
    provider = _provider_of(actor)
    line = (
        ClaimLine.objects.filter(public_id=public_id, provider=provider)
        .select_related("batch")
        .first()
    )
    if line is None:
        raise Http404("No such line.")
    try:
        claim_line_void(actor=actor, line=line, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Line voided; it stays in the batch's record.")
    if line.batch is not None:
        return redirect("billing:batch", line.batch.public_id)
    return redirect(f"{reverse('billing:home')}?month={line.month:%Y-%m}")
