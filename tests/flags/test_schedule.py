"""When the monitors run: the beat schedule, its clock-change guard, the queue."""

import datetime
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

import flags.queue
from accounts.models import User
from flags.queue import member_flags_refresh_paused
from ips_portal.beat import daily_at
from ips_portal.celery import app
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

# Noon in Iowa on Monday, June 15, 2026.
NOW = datetime.datetime(2026, 6, 15, 17, 0, tzinfo=datetime.UTC)

SETTING = "FLAG_EXAMPLE_AT"


# The clock-change guard


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("05:30", 5, 30),
        ("00:59", 0, 59),
        ("03:00", 3, 0),
        ("23:59", 23, 59),
        (" 06:30 ", 6, 30),
    ],
)
def test_a_time_outside_the_clock_change_hours_runs_daily_at_it(
    text: str, hour: int, minute: int
) -> None:
    schedule = daily_at(text, SETTING)

    assert (schedule.hour, schedule.minute) == ({hour}, {minute})
    assert schedule == crontab(hour=hour, minute=minute)


@pytest.mark.parametrize("text", ["01:00", "01:30", "02:30", "02:59"])
def test_a_time_a_clock_change_skips_or_repeats_is_refused(text: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refusal:
        daily_at(text, SETTING)

    assert str(refusal.value) == (
        f"{SETTING} falls between 01:00 and 03:00, hours a clock change skips "
        "or repeats; choose another time."
    )


@pytest.mark.parametrize("text", ["25:00", "abc", "", "5.30"])
def test_a_time_that_is_not_hh_mm_is_refused_naming_the_setting(text: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refusal:
        daily_at(text, SETTING)

    assert str(refusal.value) == (
        f"{SETTING} is a time of day written HH:MM, not {text!r}."
    )


@pytest.mark.parametrize("variable", ["FLAG_SWEEP_AT", "FLAG_DIGEST_AT"])
def test_the_settings_refuse_to_load_with_a_time_in_the_clock_change_hours(
    variable: str,
) -> None:
    # Settings are read once per process, so a fresh one reads them.
    environment = {**os.environ, variable: "02:15"}
    environment.pop("DATABASE_URL", None)

    loaded = subprocess.run(
        [sys.executable, "-c", "import ips_portal.settings.test"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert loaded.returncode != 0
    assert f"ImproperlyConfigured: {variable} falls between 01:00 and 03:00" in (
        loaded.stderr
    )


# The schedule


def scheduled(task: str) -> crontab:
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == task
    ]
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    return schedule


def test_the_daily_tasks_are_scheduled_by_their_registered_names() -> None:
    app.loader.import_default_modules()

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks == {
        "flags.sweep_all",
        "flags.send_digests",
        "dashboards.refresh_coaching_months",
    }
    assert tasks <= set(app.tasks)
    assert "flags.sweep_member" in app.tasks


@pytest.mark.parametrize(
    "task",
    ["flags.sweep_all", "flags.send_digests", "dashboards.refresh_coaching_months"],
)
def test_each_runs_once_every_day_outside_the_clock_change_hours(task: str) -> None:
    schedule = scheduled(task)

    assert len(schedule.hour) == len(schedule.minute) == 1
    assert schedule.hour.isdisjoint({1, 2})
    assert schedule.day_of_week == set(range(7))
    assert schedule.day_of_month == set(range(1, 32))
    assert schedule.month_of_year == set(range(1, 13))


def test_the_digest_goes_out_after_the_sweep() -> None:
    def at(schedule: crontab) -> datetime.time:
        return datetime.time(min(schedule.hour), min(schedule.minute))

    assert at(scheduled("flags.sweep_all")) < at(scheduled("flags.send_digests"))


def test_the_schedule_keeps_iowa_time() -> None:
    assert settings.CELERY_TIMEZONE == "America/Chicago"
    assert str(app.conf.timezone) == "America/Chicago"


# Queueing a member's sweep after a change


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(
    frozen: None, case_manager: User, specialist: User, provider_a: ProviderSite
) -> Member:
    member = MemberFactory.create(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


Sent = list[tuple[str, Any, dict[str, Any]]]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """What the portal hands the broker, kept instead of being sent."""
    recorded: Sent = []

    def send_task(name: str, args: Any = None, **options: Any) -> None:
        recorded.append((name, args, options))

    monkeypatch.setattr(flags.queue.app, "send_task", send_task)
    return recorded


def record_a_job(specialist: User, member: Member) -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer="Heronsgate Hardware",
        title="Stock clerk",
        first_day_on=datetime.date(2026, 6, 1),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


@pytest.mark.django_db
def test_recording_a_job_queues_the_members_sweep_only_once_committed(
    django_capture_on_commit_callbacks: Any,
    sent: Sent,
    specialist: User,
    member: Member,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        record_a_job(specialist, member)
        assert sent == []

    assert callbacks
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [("flags.sweep_member", [member.pk], {})]
    assert type(sent[0][1][0]) is int


@pytest.mark.django_db
def test_a_bulk_load_queues_no_member_sweeps_while_paused(
    django_capture_on_commit_callbacks: Any,
    sent: Sent,
    specialist: User,
    member: Member,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        member_flags_refresh_paused(),
    ):
        record_a_job(specialist, member)

    assert sent == []

    # Outside the pause, queueing is back.
    with django_capture_on_commit_callbacks(execute=True):
        record_a_job(specialist, member)
    assert sent == [("flags.sweep_member", [member.pk], {})]


@pytest.mark.django_db
def test_a_change_rolled_back_queues_nothing(
    django_capture_on_commit_callbacks: Any,
    sent: Sent,
    specialist: User,
    member: Member,
) -> None:
    class Undone(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undone),
        transaction.atomic(),
    ):
        record_a_job(specialist, member)
        raise Undone

    assert callbacks == []
    assert sent == []
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_broker_that_cannot_be_reached_does_not_fail_the_request(
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    specialist: User,
    member: Member,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def send_task(name: str, args: Any = None, **options: Any) -> None:
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(flags.queue.app, "send_task", send_task)
    client.force_login(specialist)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("jobs:create", args=[member.public_id]),
            {
                "employer": "Heronsgate Hardware",
                "title": "Stock clerk",
                "first_day_on": "2026-06-01",
                "hours_per_week": "20",
                "hourly_wage": "15.50",
            },
        )

    assert callbacks
    assert response.status_code == 302
    assert Job.objects.filter(member=member).exists()
    assert "Connection refused" in caplog.text
    assert "daily sweep will catch up" in caplog.text
