"""The dashboard report: every dashboard of a user's scope, as one PDF.

The report holds what the pages hold for the same filters: the same
``Figures``, the same tables built by the same functions, the same charts
drawn by the same functions. So the dashboards' layout lives here too,
shared with the page: the boards, their sections, and the chart a section
draws.

Like the pages, the report counts and never names a member: a member's
record is not read, so no member read is recorded, and its file name says
only what it is and for which period.

A report is made by the worker, not while the request waits. Measured on
the demo data (228 members) on a two-CPU machine (scripts/render-samples):
the program's report (12 pages) takes 3.5 seconds, a provider's (8 pages)
2; an earlier measurement while other work loaded the machine took 8 to 15
seconds. The metrics take a tenth of a second and drawing the four charts
about one and a half; WeasyPrint takes the rest, most of it drawing the
money chart's dotted and circled hatching again for every bar. So the
page's button asks for the report (a POST: asking makes something); the
worker renders it into the file storage, under the asking user's id and a
random report id, beside the filters it was asked with; a page says when
it is ready and links to it. Asking again for the same filters within a
few minutes hands back the same report. Only that user may open it, and a
day later it is deleted.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.dates import iowa_today
from dashboards import charts
from dashboards.forms import DashboardFilterForm
from dashboards.metrics import coaching_summaries_as_of
from dashboards.queue import REFRESH_AFTER
from dashboards.rollups import coaching_months_refresh
from dashboards.rules import percent
from dashboards.scope import DashboardFilters, DashboardScope, dashboard_scope
from dashboards.tables import TABLES, Figures, Table, amount, days, number
from documents.render import ProjectAssetFetcher, render_pdf
from ips_portal.celery import app
from payers.models import Payer
from providers.models import County, ProviderSite

logger = logging.getLogger(__name__)

TITLE = "Dashboard report"
PROGRAM = "Iowa IPS program"

# Where rendered reports wait for their download, one folder per user and
# report; MEDIA_ROOT (or the object store) is served by no URL.
REPORTS_FOLDER = "dashboard-reports"
REPORTS_KEPT_FOR = datetime.timedelta(days=1)
REQUESTED_MARKER = "requested"
FAILED_MARKER = "failed"
# Asking again for the same filters within this time hands back the report
# being made, or made, instead of queueing another: the worker renders one
# report at a time, a few seconds each, and a figure a few minutes old is
# what the person just saw on the page.
REPORTS_REUSED_FOR = datetime.timedelta(minutes=5)
# How long, and in what steps, a second identical request waits for the
# first to be marked (``_one_request_at_a_time``).
REQUEST_WAIT_SECONDS = 5.0
REQUEST_WAIT_STEP = 0.1
# How long each filter's name may be in a file name.
FILENAME_HINT_LENGTH = 24

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


@dataclass(frozen=True)
class ChartSpec:
    """A chart: its caption, what it shows in words, and how it is drawn."""

    name: str
    title: str
    description: str
    draw: Callable[[Figures], bytes]


CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for spec in (
        ChartSpec(
            "employment",
            "Competitive employment rate by quarter",
            "Bars give each quarter's rate; dashed lines mark the minimal, "
            "average and excellent standards.",
            lambda figures: charts.employment_rate_chart(
                figures.employment, figures.benchmarks
            ),
        ),
        ChartSpec(
            "funnel",
            "Milestone funnel",
            "Members referred in the period, and how many reached each milestone.",
            lambda figures: charts.funnel_chart(figures.funnel),
        ),
        ChartSpec(
            "caseload",
            "Caseload per specialist",
            "Members on each specialist's caseload against the fidelity limit; "
            "bars over the limit are cross-hatched.",
            lambda figures: charts.caseload_chart(figures.caseloads),
        ),
        ChartSpec(
            "money",
            "Milestones and coaching by month and payer",
            "Amounts of each month, stacked by payer of the service.",
            lambda figures: charts.money_chart(figures.money),
        ),
    )
}
# The section each chart heads, by the section's key.
SECTION_CHARTS = {"employment", "funnel", "caseload", "money"}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: list[Table]
    chart: ChartSpec | None


def boards_visible(scope: DashboardScope) -> list[tuple[str, str]]:
    """The boards a scope shows, as (slug, title), in their order."""
    return [
        (slug, title)
        for slug, (title, _) in BOARDS.items()
        if slug not in COMPARISON_BOARDS or scope.is_every_provider
    ]


def board_sections(board: str, figures: Figures) -> list[Section]:
    """One board's sections with their tables, as the page shows them."""
    return [
        Section(
            key,
            title,
            [TABLES[slug](figures) for slug in slugs],
            CHARTS[key] if key in SECTION_CHARTS else None,
        )
        for key, title, slugs in BOARDS[board][1]
    ]


def chart_svg(name: str, figures: Figures) -> bytes:
    """Draw one chart of ``CHARTS`` from the figures, as SVG."""
    return CHARTS[name].draw(figures)


class DashboardReportFiltersInvalid(ValueError):
    """The filters given for a report do not pass the page's filter form."""

    def __init__(self, form: DashboardFilterForm) -> None:
        super().__init__("The dashboard filters are not valid.")
        self.form = form


def _validated(
    user: User, filters: Mapping[str, Any]
) -> tuple[DashboardScope, DashboardFilters]:
    scope = dashboard_scope(user)
    form = DashboardFilterForm(filters, scope=scope, as_of=iowa_today())
    if not form.is_valid():
        raise DashboardReportFiltersInvalid(form)
    return scope, form.filters()


def dashboard_report_pdf(
    user: User,
    filters: Mapping[str, Any],
    *,
    fetcher: ProjectAssetFetcher | None = None,
    produced_at: datetime.datetime | None = None,
) -> bytes:
    """Render the report of the user's dashboards under plain filter values.

    ``filters`` holds what the page's query string holds (``provider``,
    ``county``, ``payer``, ``period_from``, ``period_to``; absent means
    all, and the last four quarters). Raises PermissionDenied for a role
    without dashboards, and DashboardReportFiltersInvalid, carrying the
    bound form, for values the page would refuse, a provider outside the
    scope among them.
    """
    scope, validated = _validated(user, filters)
    return dashboard_report_render(
        user, scope, validated, fetcher=fetcher, produced_at=produced_at
    )


def dashboard_report_render(
    user: User,
    scope: DashboardScope,
    filters: DashboardFilters,
    *,
    fetcher: ProjectAssetFetcher | None = None,
    produced_at: datetime.datetime | None = None,
) -> bytes:
    """Render the report for a scope and filters the page's form validated.

    Every board the scope shows, in the page's order: each section's chart,
    as an inline SVG image under a caption, and its tables. Coaching
    summaries missing or stale are brought up to date first. Then the
    queries are one to see when they were, the metrics' own, each made
    once, and at most three to name the provider, county and payer chosen:
    none depends on how many rows the tables hold.
    """
    started = time.perf_counter()
    _coaching_summaries_brought_up_to_date()
    figures = Figures(scope, filters)
    boards = [
        {
            "slug": slug,
            "title": title,
            "sections": [
                _printed(section, figures) for section in board_sections(slug, figures)
            ],
        }
        for slug, title in boards_visible(scope)
    ]
    providers = _provider_names(scope, filters)
    context = {
        "subject": _subject(user, scope, providers),
        "filters": filters,
        "filters_in_words": _filters_in_words(filters, providers),
        "key_figures": _key_figures(figures),
        "figures": figures,
        "boards": boards,
    }
    pdf = render_pdf(
        "documents/dashboard_report.html",
        context,
        title=TITLE,
        produced_by=user,
        produced_at=produced_at,
        fetcher=fetcher,
    )
    logger.info(
        "Dashboard report for user %s rendered in %.2f s.",
        user.pk,
        time.perf_counter() - started,
    )
    return pdf


def _coaching_summaries_brought_up_to_date() -> None:
    """Refresh the coaching summaries first if the Money board would ask to.

    The board shows the summaries it has and queues a refresh when they
    are missing or older than ``dashboards.queue.REFRESH_AFTER``, to appear
    on a later look. A report is printed and kept, and is made by the
    worker already, so it does that refresh itself and waits for it: it
    never prints $0.00 of coaching not yet worked out. A first refresh is
    a full one, a later one covers the changes. One query when fresh.
    """
    as_of = coaching_summaries_as_of()
    if as_of is not None and timezone.now() - as_of < REFRESH_AFTER:
        return
    coaching_months_refresh(changed_only=as_of is not None)


def dashboard_report_filename(filters: DashboardFilters) -> str:
    """The report's file name: what it is, its period and its filters.

    A provider, county or payer chosen is named, shortened, so that two
    reports of the same period keep apart in a download folder: never a
    member, whom a report does not name. A query for each one chosen.
    """
    hints = []
    if filters.provider_id is not None:
        hints.append(ProviderSite.objects.get(pk=filters.provider_id).slug)
    if filters.county_id is not None:
        hints.append(slugify(County.objects.get(pk=filters.county_id).name))
    if filters.payer_id is not None:
        hints.append(slugify(Payer.objects.get(pk=filters.payer_id).short_name))
    suffix = "".join(
        f"-{hint[:FILENAME_HINT_LENGTH].strip('-')}" for hint in hints if hint
    )
    return (
        f"ips-dashboard-report-{filters.period_from:%Y%m%d}-"
        f"{filters.period_end:%Y%m%d}{suffix}.pdf"
    )


def filter_values(filters: DashboardFilters) -> dict[str, str]:
    """The filters as the plain values a query string (or a task) carries.

    The period is written out, so a report asked for late in the evening
    and rendered after midnight still covers the period that was shown.
    """
    return {
        "provider": str(filters.provider_id or ""),
        "county": str(filters.county_id or ""),
        "payer": str(filters.payer_id or ""),
        "period_from": filters.period_from.isoformat(),
        "period_to": filters.period_to.isoformat(),
    }


# Asking for a report, rendering it in the worker, and handing it over ----------


@dataclass(frozen=True)
class StoredReport:
    """Where a requested report stands, and its file name once ready.

    ``filters`` are the plain values it was asked with (``filter_values``);
    ``changed_at`` is when it was asked for, or made once ready.
    """

    state: Literal["pending", "ready", "failed"]
    filename: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    changed_at: datetime.datetime | None = None


def _folder(user_id: int, report_id: str) -> str:
    return f"{REPORTS_FOLDER}/{user_id}/{report_id}"


def _mark(user_id: int, report_id: str, marker: str, content: bytes = b"") -> None:
    default_storage.save(
        f"{_folder(user_id, report_id)}/{marker}", ContentFile(content)
    )


def dashboard_report_request(user: User, filters: DashboardFilters) -> str:
    """Queue the rendering of the user's report; return the report's id.

    When the user asked for the same filters less than ``REPORTS_REUSED_FOR``
    ago and that report is still being made or is ready, its id is given
    back and nothing is queued: asking ten times renders once. A report
    that failed is asked for again.

    The task is sent once the request's transaction commits, with the
    user's id, the report id and the plain filter values only. If the
    broker cannot be reached, the report is marked failed at once, so its
    page says so instead of waiting for ever.
    """
    values = filter_values(filters)
    with _one_request_at_a_time(user.pk, values):
        earlier = _recent_report(user.pk, values)
        if earlier is not None:
            logger.info("Dashboard report %s asked for again.", earlier)
            return earlier
        report_id = str(uuid.uuid4())
        _mark(user.pk, report_id, REQUESTED_MARKER, json.dumps(values).encode())

    kwargs = {"user_id": user.pk, "filters": values, "report_id": report_id}

    def queue() -> None:
        try:
            app.send_task("dashboards.render_report", kwargs=kwargs)
        except Exception:
            logger.warning(
                "Could not queue dashboard report %s.", report_id, exc_info=True
            )
            _mark(user.pk, report_id, FAILED_MARKER)

    transaction.on_commit(queue, robust=True)
    return report_id


@contextmanager
def _one_request_at_a_time(user_id: int, values: Mapping[str, str]) -> Iterator[None]:
    """Hold off a second identical request until the first has been marked.

    Without it, a double click's two requests could both look, both find
    no report and both queue one. The cache is shared by the web
    processes; a request waits at most ``REQUEST_WAIT_SECONDS`` for the
    other, then goes ahead.
    """
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    key = f"dashboards:report-request:{user_id}:{digest[:32]}"
    is_held = False
    for _ in range(int(REQUEST_WAIT_SECONDS / REQUEST_WAIT_STEP)):
        is_held = cache.add(key, True, timeout=REQUEST_WAIT_SECONDS)
        if is_held:
            break
        time.sleep(REQUEST_WAIT_STEP)
    try:
        yield
    finally:
        if is_held:
            cache.delete(key)


def _recent_report(user_id: int, values: Mapping[str, str]) -> str | None:
    """The user's latest report with these filters that may be handed back.

    One still being made, or one made, less than ``REPORTS_REUSED_FOR``
    ago; None if there is none.
    """
    try:
        report_ids, _ = default_storage.listdir(f"{REPORTS_FOLDER}/{user_id}")
    except FileNotFoundError:
        return None
    newest_kept = timezone.now() - REPORTS_REUSED_FOR
    candidates = []
    for report_id in report_ids:
        found = _stored(user_id, report_id)
        if (
            found is not None
            and found.state != "failed"
            and found.filters == values
            and found.changed_at is not None
            and found.changed_at >= newest_kept
        ):
            candidates.append((found.changed_at, report_id))
    return max(candidates)[1] if candidates else None


def dashboard_report_store(
    user_id: int, filters: Mapping[str, str], report_id: str
) -> StoredReport:
    """Render a requested report and keep it for its user: the worker's part.

    The scope and the filters are worked out again from the user as they
    are now: a person who lost their dashboards since asking gets no
    report. Every report older than ``REPORTS_KEPT_FOR`` is deleted on
    the way.
    """
    _forget_old_reports()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    try:
        if user is None:
            raise PermissionDenied
        scope, validated = _validated(user, filters)
        pdf = dashboard_report_render(user, scope, validated)
    except (PermissionDenied, DashboardReportFiltersInvalid):
        logger.warning(
            "Dashboard report %s for user %s refused: no dashboards, or bad filters.",
            report_id,
            user_id,
        )
        _mark(user_id, report_id, FAILED_MARKER)
        return StoredReport("failed", filters=filters)
    except Exception:
        _mark(user_id, report_id, FAILED_MARKER)
        raise

    filename = dashboard_report_filename(validated)
    default_storage.save(f"{_folder(user_id, report_id)}/{filename}", ContentFile(pdf))
    return StoredReport("ready", filename, filters, timezone.now())


def dashboard_report_get(user: User, report_id: str) -> StoredReport | None:
    """Where the user's report stands; None for a report they did not ask for.

    Looks only in the user's own folder, so another person's report, or
    an id that was never given out, is not found whoever asks.
    """
    return _stored(user.pk, report_id)


def _stored(user_id: int, report_id: str) -> StoredReport | None:
    folder = _folder(user_id, report_id)
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return None
    if REQUESTED_MARKER not in files:
        return None
    with default_storage.open(f"{folder}/{REQUESTED_MARKER}", "rb") as marker:
        # Reports asked for before the filters were kept have an empty marker.
        filters = json.loads(marker.read() or b"{}")

    def at(name: str) -> datetime.datetime:
        return default_storage.get_modified_time(f"{folder}/{name}")

    if FAILED_MARKER in files:
        return StoredReport("failed", filters=filters, changed_at=at(FAILED_MARKER))
    for name in files:
        if name.endswith(".pdf"):
            return StoredReport("ready", name, filters, at(name))
    return StoredReport("pending", filters=filters, changed_at=at(REQUESTED_MARKER))


def dashboard_report_open(user: User, report_id: str) -> tuple[bytes, str] | None:
    """The user's rendered report and its file name; None until it is ready."""
    found = dashboard_report_get(user, report_id)
    if found is None or found.state != "ready":
        return None
    with default_storage.open(
        f"{_folder(user.pk, report_id)}/{found.filename}", "rb"
    ) as stored:
        return stored.read(), found.filename


def dashboard_report_filters_in_words(
    user: User, report: StoredReport
) -> list[tuple[str, str]]:
    """The period and filters a report was asked with, as the report prints them.

    Empty for a report whose filters were not kept. A provider, county or
    payer named costs a query each.
    """
    values = report.filters
    if not values.get("period_from") or not values.get("period_to"):
        return []
    filters = DashboardFilters(
        period_from=datetime.date.fromisoformat(values["period_from"]),
        period_to=datetime.date.fromisoformat(values["period_to"]),
        as_of=iowa_today(),
        provider_id=int(values["provider"]) if values.get("provider") else None,
        county_id=int(values["county"]) if values.get("county") else None,
        payer_id=int(values["payer"]) if values.get("payer") else None,
    )
    try:
        providers = _provider_names(dashboard_scope(user), filters)
    except PermissionDenied:
        providers = []
    return _filters_in_words(filters, providers)


def _forget_old_reports() -> None:
    """Delete every report older than ``REPORTS_KEPT_FOR``, whoever asked."""
    oldest_kept = timezone.now() - REPORTS_KEPT_FOR
    try:
        user_folders, _ = default_storage.listdir(REPORTS_FOLDER)
    except FileNotFoundError:
        return
    for user_folder in user_folders:
        report_ids, _ = default_storage.listdir(f"{REPORTS_FOLDER}/{user_folder}")
        for report_id in report_ids:
            folder = f"{REPORTS_FOLDER}/{user_folder}/{report_id}"
            for name in default_storage.listdir(folder)[1]:
                if default_storage.get_modified_time(f"{folder}/{name}") < oldest_kept:
                    default_storage.delete(f"{folder}/{name}")


# The report's parts ------------------------------------------------------------


def _printed(section: Section, figures: Figures) -> dict[str, Any]:
    chart = None
    if section.chart is not None:
        svg = chart_svg(section.chart.name, figures)
        chart = {
            "title": section.chart.title,
            "description": section.chart.description,
            "uri": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
        }
    return {
        "key": section.key,
        "title": section.title,
        "tables": section.tables,
        "chart": chart,
    }


def _provider_names(scope: DashboardScope, filters: DashboardFilters) -> list[str]:
    """The providers the report counts by name; none for every provider."""
    if filters.provider_id is not None:
        ids = [filters.provider_id]
    elif scope.provider_ids is not None:
        ids = sorted(scope.provider_ids)
    else:
        return []
    return list(
        ProviderSite.objects.filter(pk__in=ids)
        .order_by("organization__name")
        .values_list("organization__name", flat=True)
    )


def _subject(user: User, scope: DashboardScope, providers: list[str]) -> str:
    """Whose work the report counts, in words: a provider, or the program."""
    named = ", ".join(providers)
    if scope.organization_id is not None:
        managed = f"Members managed by {user.organization}"
        return f"{managed}, at {named}" if named else managed
    return named or PROGRAM


def _filters_in_words(
    filters: DashboardFilters, providers: list[str]
) -> list[tuple[str, str]]:
    period = f"{filters.period_from:%m/%d/%Y} – {filters.period_end:%m/%d/%Y}"
    if filters.period_to > filters.period_end:
        period += " (to today)"
    provider = "All providers"
    if filters.provider_id is not None or providers:
        provider = ", ".join(providers)
    county = "All counties"
    if filters.county_id is not None:
        county = County.objects.get(pk=filters.county_id).name
    payer = "All payers"
    if filters.payer_id is not None:
        payer = Payer.objects.get(pk=filters.payer_id).name
    return [
        ("Period", period),
        ("Provider", provider),
        ("County", county),
        ("Payer", payer),
    ]


def _key_figures(figures: Figures) -> list[tuple[str, str, str]]:
    """The few figures a reader looks for first, as (label, figure, note).

    Taken from the same metrics the tables show, and written by the same
    cell builders, so a key figure reads exactly as in its table.
    """
    key: list[tuple[str, str, str]] = []
    if figures.employment:
        latest = figures.employment[-1]
        key.append(
            (
                f"Competitive employment, {latest.quarter.label}",
                percent(latest.rate),
                f"{latest.employed:,} of {latest.active:,} members in IPS"
                + (" (to date)" if latest.quarter.is_partial else ""),
            )
        )
    steps = {step.key: step for step in figures.funnel.steps}
    key.append(
        (
            "Referred in the period",
            number(steps["referred"].members).text,
            f"{steps['day_90'].members:,} of them reached 90 days on a job",
        )
    )
    authorization = figures.delays.authorization
    key.append(
        (
            "Median days, referral to authorization",
            days(authorization).text,
            f"over {authorization.count:,} episodes",
        )
    )
    money = figures.money
    key.append(
        (
            "Milestones and coaching",
            amount(money.total).text,
            f"{amount(money.milestones).text} milestones, "
            f"{amount(money.coaching).text} coaching",
        )
    )
    over = sum(1 for row in figures.caseloads if row.is_over_limit)
    key.append(
        (
            "Specialists over the caseload limit",
            number(over).text,
            f"of {len(figures.caseloads):,} specialists",
        )
    )
    key.append(
        (
            "Open flags today",
            number(sum(row.total for row in figures.flags)).text,
            "whatever the period",
        )
    )
    return key
