"""No health information in logs, error pages or task messages, even on errors.

Each test forces an error a real day brings (a Medicaid ID already on file,
a document that fails to render, a task that fails in the worker) and reads
back everything logged at every level, formatted as the portal's own log
handler formats it, and the messages tasks were sent with.
"""

import datetime
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import weasyprint
from celery.signals import before_task_publish
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.logging import WITHHELD, HealthSafeFormatter
from dashboards.tasks import render_report
from members.models import Member
from members.services import member_create
from payers.models import Payer
from providers.models import County, ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize

pytestmark = pytest.mark.django_db

MEDICAID_ID = "9000123Z"
FIRST_NAME, LAST_NAME = "Ngũgĩ", "O'Brien-Quillfeather"
BIRTH_DATE = "1988-02-29"


def health_information(text: str) -> list[str]:
    """The member's details that appear in the text."""
    details = (MEDICAID_ID, FIRST_NAME, LAST_NAME, "Quillfeather", BIRTH_DATE)
    return [detail for detail in details if detail in text]


class PortalLog:
    """Everything logged meanwhile, as the portal's console handler writes it."""

    def __init__(self, handler: logging.Handler, stream: io.StringIO) -> None:
        self.handler = handler
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def portal_log() -> Iterator[PortalLog]:
    """A copy of the configured console handler, writing to a string.

    The formatter and filters are the ones the settings gave the real
    handler, so the test fails if the settings stop using them.
    """
    root = logging.getLogger()
    configured = [
        handler
        for handler in root.handlers
        if isinstance(handler.formatter, HealthSafeFormatter)
    ]
    assert configured, "The portal's log handler has no HealthSafeFormatter."
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured[0].formatter)
    for log_filter in configured[0].filters:
        handler.addFilter(log_filter)

    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # Django's loggers do not pass their records up to the root.
    django_logger = logging.getLogger("django")
    django_logger.addHandler(handler)
    try:
        yield PortalLog(handler, stream)
    finally:
        root.removeHandler(handler)
        django_logger.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        birth_date=datetime.date.fromisoformat(BIRTH_DATE),
        medicaid_id=MEDICAID_ID,
        managing_organization=case_manager.organization,
    )
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


def member_form(**changes: Any) -> dict[str, Any]:
    data = {
        "first_name": FIRST_NAME,
        "last_name": "Quillfeather",
        "birth_date": BIRTH_DATE,
        "county": County.objects.get(name="Polk").pk,
        "payer": Payer.objects.get(short_name="Wellpoint").pk,
        "medicaid_id": MEDICAID_ID,
        "diagnosis_category": Member.DiagnosisCategory.SMI,
        "benefits_planning": Member.BenefitsPlanning.NOT_YET,
    }
    data.update(changes)
    return data


# A Medicaid ID already on file


def test_a_duplicate_medicaid_id_is_refused_by_the_field_and_logged_nowhere(
    member: Member, case_manager: User, portal_log: PortalLog
) -> None:
    client = Client()
    client.force_login(case_manager)

    page = client.post(reverse("members:create"), member_form())

    assert page.status_code == 200
    assert "This Medicaid ID is already recorded for another member." in (
        page.content.decode()
    )
    assert health_information(page.wsgi_request.get_full_path()) == []
    assert health_information(portal_log.text) == []


def test_the_database_refusing_a_duplicate_medicaid_id_leaves_no_trace_in_the_log(
    member: Member, case_manager: User, portal_log: PortalLog
) -> None:
    """PostgreSQL names the duplicate value in its error: "Key
    (medicaid_id)=(…) already exists". Even logged with its traceback, as
    an unexpected error would be, the value stays out."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Member.objects.create(
            first_name="Other",
            last_name="Person",
            birth_date="1990-01-01",
            county=member.county,
            payer=member.payer,
            managing_organization=member.managing_organization,
            medicaid_id=MEDICAID_ID,
        )
    logging.getLogger("tests").error(
        "Saving member %s failed.", member.pk, exc_info=refused.value
    )

    assert "IntegrityError" in portal_log.text
    assert WITHHELD in portal_log.text
    assert health_information(portal_log.text) == []


def test_a_duplicate_medicaid_id_through_the_service_says_which_field(
    member: Member, case_manager: User, portal_log: PortalLog
) -> None:
    data = member_form(
        county=member.county,
        payer=member.payer,
        first_name="Another",
        birth_date=member.birth_date,
    )

    with pytest.raises(ValidationError) as refused:
        member_create(actor=case_manager, data=data, duplicate_seen=True)

    assert "medicaid_id" in refused.value.message_dict
    assert health_information(portal_log.text) == []


# A document that fails to render


@pytest.fixture
def failing_renderer(monkeypatch: pytest.MonkeyPatch, member: Member) -> None:
    """WeasyPrint failing the way libraries do: quoting what it was given."""

    def fail(*args: Any, **kwargs: Any) -> bytes:
        raise ValueError(
            f"No glyph for {member.first_name} {member.last_name} "
            f"({member.medicaid_id})"
        )

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fail)


def test_a_document_that_fails_answers_500_and_logs_no_health_information(
    member: Member,
    case_manager: User,
    failing_renderer: None,
    portal_log: PortalLog,
) -> None:
    authorization = authorize(case_manager, member)
    client = Client(raise_request_exception=False)
    client.force_login(case_manager)

    answer = client.get(
        reverse("milestones:service-plan-pdf", args=[authorization.public_id])
    )

    assert answer.status_code == 500
    assert health_information(answer.content.decode()) == []
    assert "Internal Server Error: /authorizations/" in portal_log.text
    assert f"ValueError: {WITHHELD}" in portal_log.text
    assert "in fail" in portal_log.text  # the frame that raised
    assert health_information(portal_log.text) == []


def test_a_report_task_that_fails_in_the_worker_logs_no_health_information(
    member: Member,
    supervisor: User,
    failing_renderer: None,
    portal_log: PortalLog,
) -> None:
    result = render_report.apply(
        kwargs={"user_id": supervisor.pk, "filters": {}, "report_id": "r-1"}
    )

    assert result.failed()
    assert "dashboards.render_report" in portal_log.text
    assert "raised unexpected: ValueError" in portal_log.text
    assert health_information(portal_log.text) == []


# What tasks are sent with


@pytest.fixture
def published() -> Iterator[list[Any]]:
    """The body of every task message published meanwhile."""
    bodies: list[Any] = []

    def keep(body: Any = None, **kwargs: Any) -> None:
        bodies.append(body)

    before_task_publish.connect(keep, weak=False)
    try:
        yield bodies
    finally:
        before_task_publish.disconnect(keep)


def test_tasks_are_sent_ids_and_filters_never_a_members_details(
    member: Member,
    case_manager: User,
    supervisor: User,
    published: list[Any],
    django_capture_on_commit_callbacks: Any,
    portal_log: PortalLog,
) -> None:
    report_client = Client()
    report_client.force_login(supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        authorize(case_manager, member)  # queues the member's flag sweep
        asked = report_client.post(reverse("dashboards:report-pdf"))

    assert asked.status_code == 302
    names = sorted(
        json.dumps(body, default=str) for body in published if body is not None
    )
    assert len(names) >= 2  # a member sweep and the report
    assert all(health_information(text) == [] for text in names)
    assert health_information(portal_log.text) == []
