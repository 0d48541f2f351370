"""Time the dashboards over a large made-up caseload (not a test).

Builds the sweep benchmark's caseload (``benchmarks.sweep.build``: members
in IPS at every provider site, rounds, milestones, jobs, job ends, team
meetings and coaching periods over the past year), adds coaching logged
in every month of every coaching period, refreshes the coaching
summaries, then asks for each dashboard as a reviewer, a supervisor and a
case manager through Django's test client, as a browser would: each page,
its chart, and a CSV. Prints the server time and queries of each.

Run it on its own database, never on one holding real records:

    scripts/benchmark-dashboards [members]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization, User
from benchmarks.sweep import BATCH, build
from coaching.models import CoachingEntry, CoachingPeriod
from core.dates import add_months, iowa_today, month_start
from dashboards.rollups import coaching_months_refresh
from members.models import Member
from providers.models import ProviderSite

RUNS = 5
BOARDS = {
    "outcomes": "employment",
    "milestones": "funnel",
    "caseloads": "caseload",
    "money": "money",
    "providers": None,
}


def coaching_logged(seed: int = 11) -> int:
    """Log two to four contacts in each month of every coaching period."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    today = iowa_today()
    author = User.objects.filter(role=User.Role.IPS_SPECIALIST).first()
    entries = []
    periods = CoachingPeriod.objects.values_list("member_id", "begins_on", "ends_on")
    for member_id, begins_on, ends_on in periods.iterator(chunk_size=BATCH):
        month = month_start(begins_on)
        while month <= min(ends_on, today):
            for _ in range(rng.randint(2, 4)):
                day = month + datetime.timedelta(days=rng.randint(0, 27))
                if begins_on <= day <= min(ends_on, today):
                    entries.append(
                        CoachingEntry(
                            member_id=member_id,
                            coached_on=day,
                            minutes=rng.choice((30, 45, 60, 90, 120, 180)),
                            kind=CoachingEntry.Kind.IN_PERSON,
                            logged_by=author,
                        )
                    )
            month = add_months(month, 1)
    with transaction.atomic():
        CoachingEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def readers() -> dict[str, User]:
    """A reviewer, provider A's supervisor and the benchmark's case manager."""
    state = Organization.objects.get(kind=Organization.Kind.STATE_PROGRAM)
    reviewer, _ = User.objects.get_or_create(
        username="bench.reviewer",
        defaults={"organization": state, "role": User.Role.PROGRAM_REVIEWER},
    )
    site = ProviderSite.objects.select_related("organization").get(slug="43-north-iowa")
    supervisor, _ = User.objects.get_or_create(
        username="bench.supervisor",
        defaults={"organization": site.organization, "role": User.Role.IPS_SUPERVISOR},
    )
    case_manager = User.objects.get(username="bench.case-manager")
    return {
        "reviewer": reviewer,
        "supervisor": supervisor,
        "case manager": case_manager,
    }


def timed(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = (
            b"".join(getattr(response, "streaming_content", []))
            if response.streaming
            else response.content
        )
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {body[:500]!r}")
    return seconds, len(queries)


def time_dashboards() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for label, user in readers().items():
        client = Client()
        client.force_login(user)
        client.get("/dashboards/")  # the first request warms imports and caches
        urls = []
        for board, chart in BOARDS.items():
            if board == "providers" and label != "reviewer":
                continue
            urls.append(f"/dashboards/{board}/")
            if chart:
                urls.append(f"/dashboards/charts/{chart}.svg")
        urls.append("/dashboards/tables/money.csv")
        for url in urls:
            runs = [timed(client, url) for _ in range(RUNS)]
            seconds = [run[0] for run in runs]
            print(
                f"{label:>12} {url:<36} median {statistics.median(seconds):.3f} s, "
                f"slowest {max(seconds):.3f} s, {runs[0][1]} queries"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("members", type=int, nargs="?", default=100_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Time the dashboards on the records already built.",
    )
    options = parser.parse_args(argv)
    if not options.reuse:
        started = time.perf_counter()
        build(options.members)
        logged = coaching_logged()
        print(
            f"built {options.members} members and {logged} coaching entries in "
            f"{time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        rows = coaching_months_refresh()
        print(
            f"coaching summaries: {rows} member-months in "
            f"{time.perf_counter() - started:.1f} s"
        )
    print(f"members: {Member.objects.count()}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    time_dashboards()
