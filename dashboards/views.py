"""The dashboards: one page whose content follows the user's scope.

A case manager sees their organization's members, a supervisor their
provider, a reviewer every provider side by side. Each table downloads as
CSV and each chart is an SVG image, and every board together downloads as
a PDF report, all under the same filters.

The pages show counts, rates, amounts and staff names, never a member's
record, so no member read is recorded (``access.policy
.record_member_read`` is for reads of member records). The smallest cell
is still a count: a dashboard cannot be narrowed to one named member.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlencode

from csp.constants import NONE
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.sessions import not_activity
from billing.exports import safe_text
from core.dates import iowa_today
from dashboards.forms import DashboardFilterForm, filters_query
from dashboards.queue import coaching_refresh_request
from dashboards.report import (
    BOARDS,
    CHARTS,
    board_sections,
    boards_visible,
    chart_svg,
    dashboard_report_filters_in_words,
    dashboard_report_get,
    dashboard_report_open,
    dashboard_report_request,
    filter_values,
)
from dashboards.scope import DashboardScope, dashboard_scope
from dashboards.tables import COMPARISON_TABLES, TABLES, Figures, csv_filename
from documents.render import pdf_response
from jobs.rules import IOWA_MINIMUM_WAGE


def _form(request: HttpRequest) -> tuple[User, DashboardScope, DashboardFilterForm]:
    actor = cast(User, request.user)
    scope = dashboard_scope(actor)
    form = DashboardFilterForm(request.GET, scope=scope, as_of=iowa_today())
    return actor, scope, form


def _audience(actor: User, scope: DashboardScope) -> str:
    if scope.organization_id is not None:
        return f"The members {actor.organization} manages."
    if scope.provider_ids is not None:
        return f"The members referred to and served by {actor.organization}."
    return "Every IPS provider in Iowa, side by side."


def _page_context(
    actor: User, scope: DashboardScope, form: DashboardFilterForm, board: str
) -> dict[str, Any]:
    """What every dashboard page holds, figures or not."""
    return {
        "form": form,
        "audience": _audience(actor, scope),
        "board": board,
        "board_title": BOARDS[board][0],
        "boards": boards_visible(scope),
        "sections": [],
    }


@login_required
@require_http_methods(["GET"])
def dashboard_view(request: HttpRequest, board: str = "outcomes") -> HttpResponse:
    """One dashboard of the signed-in user's scope."""
    actor, scope, form = _form(request)
    if board not in dict(boards_visible(scope)):
        raise Http404("No such dashboard.")
    context = _page_context(actor, scope, form, board)
    if not form.is_valid():
        return render(request, "dashboards/dashboard.html", context)

    filters = form.filters()
    figures = Figures(scope, filters)
    context["sections"] = board_sections(board, figures)
    context.update(
        filters=filters,
        query=filters_query(filters),
        report_values=filter_values(filters),
        figures=figures,
        minimum_wage=IOWA_MINIMUM_WAGE,
    )
    if board == "money":
        coaching_as_of = figures.money.coaching_as_of
        context["coaching_as_of"] = coaching_as_of
        context["coaching_refresh_queued"] = coaching_refresh_request(coaching_as_of)
    return render(request, "dashboards/dashboard.html", context)


class _Echo:
    """A file-like object whose write hands the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_http_methods(["GET"])
def table_download(request: HttpRequest, slug: str) -> HttpResponseBase:
    """One table as CSV: UTF-8 with a byte-order mark, formula-safe text."""
    _, scope, form = _form(request)
    if slug not in TABLES or (
        slug in COMPARISON_TABLES and not scope.is_every_provider
    ):
        raise Http404("No such table.")
    if not form.is_valid():
        return HttpResponseBadRequest(_problems(form), content_type="text/plain")
    filters = form.filters()
    table = TABLES[slug](Figures(scope, filters))

    def content() -> Iterator[str]:
        writer = csv.writer(_Echo(), lineterminator="\r\n")
        yield "\ufeff"
        yield writer.writerow([safe_text(label) for label in table.header])
        for row in table.rows:
            yield writer.writerow(
                [
                    cell.value if cell.is_numeric else safe_text(cell.value)
                    for cell in row
                ]
            )

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{csv_filename(slug, filters)}"'
    )
    return response


def _problems(form: DashboardFilterForm) -> str:
    return "\n".join(
        f"{field}: {' '.join(str(error) for error in errors)}"
        for field, errors in form.errors.items()
    )


# An SVG opened on its own is a document: its inline styles need this, and
# nothing else (no scripts, no loads).
SVG_POLICY: dict[str, Any] = {
    "default-src": [NONE],
    "style-src": ["'unsafe-inline'"],
    "script-src": [NONE],
    "img-src": [NONE],
    "font-src": [NONE],
    "connect-src": [NONE],
    "form-action": [NONE],
}


@login_required
@require_http_methods(["GET"])
@csp_replace(SVG_POLICY)  # type: ignore[arg-type]  # its types know no URL arguments
def chart_view(request: HttpRequest, name: str) -> HttpResponse:
    """One chart as an SVG image, under the same filters as the page."""
    _, scope, form = _form(request)
    if name not in CHARTS:
        raise Http404("No such chart.")
    if not form.is_valid():
        return HttpResponseBadRequest(_problems(form), content_type="text/plain")
    svg = chart_svg(name, Figures(scope, form.filters()))
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_http_methods(["POST"])
def report_download(request: HttpRequest) -> HttpResponse:
    """Ask for every dashboard of the user's scope as a PDF, under the filters.

    A POST from the page's button, whose form carries the filters shown:
    asking makes something, so no link, prefetch or reload asks by itself.
    The worker renders it (see dashboards.report), unless the same filters
    were asked for a few minutes ago; this answers with the report's page,
    which says when it is ready. Bad filters get the page with each problem
    named next to its field, as the page itself answers them. A provider
    outside the user's scope is not found: the report does not say
    whether such a provider exists.
    """
    actor = cast(User, request.user)
    scope = dashboard_scope(actor)
    form = DashboardFilterForm(request.POST, scope=scope, as_of=iowa_today())
    if not form.is_valid():
        if "provider" in form.errors:
            raise Http404("No such provider.")
        context = _page_context(actor, scope, form, "outcomes")
        return render(request, "dashboards/dashboard.html", context, status=400)

    report_id = dashboard_report_request(actor, form.filters())
    return redirect("dashboards:report", report_id)


# Seconds between looks at a report still being rendered.
REPORT_CHECK_EVERY = 3


@login_required
@not_activity
@require_http_methods(["GET"])
def report_status(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """A requested report's page: being prepared, ready, or failed.

    Only the person who asked finds it: to anyone else, whatever their
    role, it is not found, as an id never given out would be. While the
    report is prepared the page reloads itself every few seconds; those
    reloads are the page's, not the person's, so they do not keep an
    unattended session signed in (accounts.sessions).
    """
    actor = cast(User, request.user)
    found = dashboard_report_get(actor, str(report_id))
    if found is None:
        raise Http404("No such report.")
    # The filters it was asked with, for the links back to the dashboard
    # and the button that asks again.
    chosen = {name: value for name, value in found.filters.items() if value}
    context = {
        "report": found,
        "report_id": report_id,
        "filters_in_words": dashboard_report_filters_in_words(actor, found),
        "values": found.filters,
        "query": urlencode(chosen),
    }
    response = render(request, "dashboards/report_status.html", context)
    if found.state == "pending":
        response["Refresh"] = str(REPORT_CHECK_EVERY)
    return response


@login_required
@require_http_methods(["GET"])
def report_file(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """A rendered report, for the person who asked for it only (else not found)."""
    opened = dashboard_report_open(cast(User, request.user), str(report_id))
    if opened is None:
        raise Http404("No such report, or not ready yet.")
    pdf, filename = opened
    return pdf_response(pdf, filename)
