"""The dashboards: one page whose content follows the user's scope.

A case manager sees their organization's members, a supervisor their
provider, a reviewer every provider side by side. Each table downloads as
CSV and each chart is an SVG image, both under the same filters.

The pages show counts, rates, amounts and staff names, never a member's
record, so no member read is recorded (``access.policy
.record_member_read`` is for reads of member records). The smallest cell
is still a count: a dashboard cannot be narrowed to one named member.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, cast

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
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from billing.exports import safe_text
from core.dates import iowa_today
from dashboards import charts
from dashboards.forms import DashboardFilterForm, filters_query
from dashboards.queue import coaching_refresh_request
from dashboards.scope import DashboardScope, dashboard_scope
from dashboards.tables import COMPARISON_TABLES, TABLES, Figures, csv_filename
from jobs.rules import IOWA_MINIMUM_WAGE

# The dashboards, each a page of sections, each section with its tables.
# Split so that each page reads a few of the large tables, not all of them:
# every page stays under a second at 100,000 members (benchmarks/).
BOARDS: dict[str, tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]]] = {
    "outcomes": (
        "Outcomes",
        (
            ("employment", "Competitive employment", ("employment",)),
            ("delays", "Time from referral", ("delays",)),
        ),
    ),
    "milestones": (
        "Milestones",
        (
            ("funnel", "Milestone funnel", ("funnel",)),
            (
                "job-ends",
                "Job ends, reauthorizations and exits",
                ("job-ends", "reauthorizations", "exits"),
            ),
        ),
    ),
    "caseloads": (
        "Caseloads and flags",
        (
            ("caseload", "Caseloads", ("caseload",)),
            ("flags", "Open flags", ("flags",)),
        ),
    ),
    "money": (
        "Money",
        (
            ("money", "Money", ("money", "medicaid")),
            ("coaching", "Coaching tiers", ("coaching-tiers",)),
        ),
    ),
    "providers": (
        "Providers compared",
        (("providers", "Providers compared", ("providers",)),),
    ),
}
# Only a reader across every provider compares them.
COMPARISON_BOARDS = frozenset({"providers"})


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


def _boards(scope: DashboardScope) -> list[tuple[str, str]]:
    return [
        (slug, title)
        for slug, (title, _) in BOARDS.items()
        if slug not in COMPARISON_BOARDS or scope.is_every_provider
    ]


@login_required
@require_http_methods(["GET"])
def dashboard_view(request: HttpRequest, board: str = "outcomes") -> HttpResponse:
    """One dashboard of the signed-in user's scope."""
    actor, scope, form = _form(request)
    boards = _boards(scope)
    if board not in dict(boards):
        raise Http404("No such dashboard.")
    context: dict[str, Any] = {
        "form": form,
        "audience": _audience(actor, scope),
        "board": board,
        "board_title": BOARDS[board][0],
        "boards": boards,
        "sections": [],
    }
    if not form.is_valid():
        return render(request, "dashboards/dashboard.html", context)

    filters = form.filters()
    figures = Figures(scope, filters)
    context["sections"] = [
        {
            "key": key,
            "title": title,
            "tables": [TABLES[slug](figures) for slug in slugs],
        }
        for key, title, slugs in BOARDS[board][1]
    ]
    context.update(
        filters=filters,
        query=filters_query(filters),
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
    if name not in charts.CHARTS:
        raise Http404("No such chart.")
    if not form.is_valid():
        return HttpResponseBadRequest(_problems(form), content_type="text/plain")
    figures = Figures(scope, form.filters())
    if name == "employment":
        svg = charts.employment_rate_chart(figures.employment, figures.benchmarks)
    elif name == "funnel":
        svg = charts.funnel_chart(figures.funnel)
    elif name == "money":
        svg = charts.money_chart(figures.money)
    else:
        svg = charts.caseload_chart(figures.caseloads)
    return HttpResponse(svg, content_type="image/svg+xml")
