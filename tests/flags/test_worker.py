"""The monitors on a real Celery worker, through the real Redis broker.

The worker is a separate process, so it has to read the database this test
writes: the test is transactional (its records are committed) and hands
the worker the test database's own name. SQLite's in-memory test database
lives inside this process and cannot be shared, so there the test is
skipped, but only after Redis has answered: a missing broker fails the
run, it is never a reason to skip.

The worker sweeps on today's real date in Iowa, so the records are built
relative to it; no clock can be frozen across two processes.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection

from accounts.models import User
from core.business_days import authorization_delay_cutoff, authorization_due_on
from core.dates import add_months, iowa_today, month_end, month_start
from flags.models import Flag, FlagEvent
from jobs.services import job_record
from members.models import Member
from milestones.rules import milestone_windows_propose
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

ROOT = Path(__file__).resolve().parents[2]

# CI's Redis database for tests (.ci/run), unless the environment names one.
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"

# Seconds for the worker to start, when it must, and to run one task.
DEADLINE = 120


def broker_url() -> str:
    # The test settings queue everything else in memory, which no other
    # process can reach; only a Redis URL the environment named is taken.
    configured = settings.WORKER_TEST_BROKER_URL
    if configured.startswith(("redis://", "rediss://")):
        return configured
    return DEFAULT_BROKER_URL


def require_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        problem = str(error)
    else:
        problem = ""
    finally:
        client.close()
    if problem:
        pytest.fail(
            f"Redis does not answer at {url} ({problem}). This test needs a "
            "real broker: start Redis (.ci/run does) or set CELERY_BROKER_URL.",
            pytrace=False,
        )


def shared_database_url() -> str:
    """The URL of the database this test writes, for the worker to read."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            user += ":" + quote(database["PASSWORD"], safe="")
        port = f":{database['PORT']}" if database["PORT"] else ""
        return (
            f"postgres://{user}@{database['HOST'] or ''}{port}"
            f"/{quote(database['NAME'], safe='')}"
        )
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{database['NAME']}"
    pytest.skip(
        "A worker process cannot open SQLite's in-memory test database; "
        "run with DATABASE_URL set to PostgreSQL (CI does)."
    )


@contextmanager
def celery_worker(
    *, queue: str, broker: str, database_url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A worker on its own queue and the test database, stopped on exit."""
    env = {
        **os.environ,
        # The development settings, as the run command's worker has: the
        # test settings send every task to an in-memory broker.
        "DJANGO_SETTINGS_MODULE": "ips_portal.settings.dev",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        # Celery reads this one from the environment: the test, and only
        # the test, gets the tasks' return values back.
        "CELERY_RESULT_BACKEND": broker,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "ips_portal",
        "worker",
        "--pool=solo",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]
    with log.open("wb") as output:
        worker = subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)


def result_of(result: AsyncResult, worker: subprocess.Popen[bytes], log: Path) -> Any:
    """Wait for a task's return value; fail with the worker's log if none."""
    deadline = time.monotonic() + DEADLINE
    while not result.ready():
        if worker.poll() is not None:
            pytest.fail(
                f"The worker stopped with status {worker.returncode}:\n"
                f"{log.read_text(errors='replace')[-4000:]}"
            )
        if time.monotonic() > deadline:
            pytest.fail(
                f"The worker returned nothing for task {result.id} in {DEADLINE} s:\n"
                f"{log.read_text(errors='replace')[-4000:]}"
            )
        time.sleep(0.2)
    value = result.get(timeout=5)  # the task's own error, if it failed
    result.forget()
    return value


@contextmanager
def client_app(broker: str, queue: str) -> Iterator[Celery]:
    """A Celery client of its own, so the suite's app keeps its settings."""
    app = Celery(
        "flags-worker-test", broker=broker, backend=broker, set_as_current=False
    )
    try:
        yield app
    finally:
        app.close()
        # The queue and kombu's bindings for it carry its unique name.
        client = redis.Redis.from_url(broker)
        try:
            leftovers = list(client.scan_iter(match=f"*{queue}*"))
            if leftovers:
                client.delete(*leftovers)
        finally:
            client.close()


def waiting_for_authorization(
    case_manager: User, specialist: User, provider: ProviderSite, today: datetime.date
) -> Member:
    """A member accepted on the last day whose authorization is now late."""
    member = MemberFactory(
        managing_organization=case_manager.organization, case_manager=case_manager
    )
    EpisodeFactory(
        member=member,
        provider=provider,
        specialist=specialist,
        opened_on=authorization_delay_cutoff(today),
    )
    return member


def working_past_milestone_3(
    case_manager: User, specialist: User, provider: ProviderSite, today: datetime.date
) -> Member:
    """A member whose job's day 45 falls after milestone 3's window.

    The windows are proposed for a job this month, so milestone 3 is next
    month; the job starts on the last day of this month, and its day 45,
    44 days later, is always in the month after next.
    """
    member = MemberFactory(
        managing_organization=case_manager.organization, case_manager=case_manager
    )
    EpisodeFactory(
        member=member,
        provider=provider,
        specialist=specialist,
        opened_on=add_months(today, -2),
    )
    authorize(
        case_manager,
        member,
        milestone_windows_propose(add_months(today, -1), month_start(today)),
        authorized_on=today,
        plan_dated_on=add_months(today, -1),
    )
    job_record(
        actor=specialist,
        member=member,
        employer="Prairie Grocers (demo)",
        title="Stocker",
        first_day_on=month_end(today),
        hours_per_week=20,
        hourly_wage=15,
    )
    return member


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_opens_flags_in_the_daily_sweep_and_closes_one_for_its_member(
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broker = broker_url()
    require_redis(broker)
    # Celery takes the broker from this variable before any argument.
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    database_url = shared_database_url()

    today = iowa_today()
    waiting = waiting_for_authorization(case_manager, specialist, provider_a, today)
    working = working_past_milestone_3(case_manager, specialist, provider_a, today)
    job = working.jobs.get()
    milestone_3 = working.authorization_rounds.get().lines.get(milestone=3)

    # A queue of its own: nothing else on this Redis reaches this worker.
    queue = f"flags-worker-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    with (
        client_app(broker, queue) as app,
        celery_worker(
            queue=queue, broker=broker, database_url=database_url, log=log
        ) as worker,
    ):
        swept = result_of(app.send_task("flags.sweep_all", queue=queue), worker, log)

        delay = Flag.objects.get(kind=Flag.Kind.AUTHORIZATION_DELAY)
        assert delay.status == Flag.Status.OPEN
        assert delay.member == waiting
        assert delay.subject_id == waiting.referrals.get().pk
        assert delay.due_on == authorization_due_on(authorization_delay_cutoff(today))
        gap = Flag.objects.get(
            kind=Flag.Kind.PREDICTED_MILESTONE_GAP, job=job, qualifier="day_45"
        )
        assert gap.status == Flag.Status.OPEN
        assert gap.line == milestone_3
        assert gap.member == working
        assert gap.due_on == job.day_45_on
        # Whether day 90 or a closing window is flagged too depends on the
        # date; whatever the sweep reports opening is in the database.
        assert swept["opened"][Flag.Kind.AUTHORIZATION_DELAY] == 1
        assert sum(swept["opened"].values()) == Flag.objects.count()

        # The case manager authorizes; the member's sweep closes the flag
        # and leaves the other member's alone.
        authorize(
            case_manager,
            waiting,
            milestone_windows_propose(today, add_months(today, 1)),
            authorized_on=today,
            plan_dated_on=today,
        )
        changes = result_of(
            app.send_task("flags.sweep_member", args=[waiting.pk], queue=queue),
            worker,
            log,
        )

    delay.refresh_from_db()
    assert delay.status == Flag.Status.RESOLVED
    assert delay.closed_at is not None
    assert delay.events.filter(what=FlagEvent.What.RESOLVED).exists()
    assert changes >= 1
    gap.refresh_from_db()
    assert gap.status == Flag.Status.OPEN
