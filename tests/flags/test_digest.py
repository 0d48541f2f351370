"""The daily email digest: counts and links, once a day, no member details."""

import datetime
import itertools
import re
import smtplib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from accounts.models import Organization, User
from flags.digest import digests_send
from flags.models import DigestSent, Flag
from flags.tasks import send_digests
from jobs.services import job_record
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Flag.Kind
UTC = datetime.UTC

# Winter, so Iowa is six hours behind UTC. 06:30 in Iowa on Tuesday,
# January 13, 2026, when the digest is scheduled.
NOW = datetime.datetime(2026, 1, 13, 12, 30, tzinfo=UTC)
TODAY = D(2026, 1, 13)
NEXT_MORNING = NOW + datetime.timedelta(days=1)
# 22:30 in Iowa on January 13 is already January 14 in UTC.
LATE_EVENING = datetime.datetime(2026, 1, 14, 4, 30, tzinfo=UTC)

BASE_URL = "https://ips.example.org"

# The supervisors the reference data gives providers A and B.
SUPERVISOR_A = "supervisor.43-north-iowa"
SUPERVISOR_B = "supervisor.robert-young-center"

subject_ids = itertools.count(70_000)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def portal_address(settings: Any) -> None:
    # A trailing slash, as an operator might write it.
    settings.PORTAL_BASE_URL = BASE_URL + "/"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


REFUSED = "refused@example.org"


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that refuses one address and delivers the rest."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            if REFUSED in message.recipients():
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user")})
        mail.outbox.extend(email_messages)
        return len(email_messages)


# Building members and flags


def provider_of(user: User) -> ProviderSite:
    """The provider a specialist or supervisor works at."""
    assert user.organization is not None
    return user.organization.provider_site


def member_in_ips(specialist: User, **fields: Any) -> Member:
    member = MemberFactory.create(**fields)
    EpisodeFactory(
        member=member,
        provider=provider_of(specialist),
        specialist=specialist,
        opened_on=D(2026, 1, 5),
    )
    return member


def open_flag(
    kind: str,
    member: Member | None,
    *,
    due_on: datetime.date,
    opened_at: datetime.datetime,
    specialist: User | None = None,
    **fields: Any,
) -> Flag:
    """An open flag placed as the sweep places it: the member's episode team."""
    if member is not None:
        episode = member.episodes.get()
        specialist = episode.specialist
    assert specialist is not None
    return Flag.objects.create(
        kind=kind,
        subject_id=next(subject_ids),
        member=member,
        provider=provider_of(specialist),
        specialist=specialist,
        due_on=due_on,
        severity=Flag.Severity.WARNING,
        opened_at=opened_at,
        **fields,
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    """A time on a January day in Iowa (UTC−6), as UTC."""
    return datetime.datetime.combine(day, datetime.time(hour + 6), tzinfo=UTC)


@dataclass
class World:
    members: list[Member]
    employers: list[str]


@pytest.fixture
def world(
    case_manager: User,
    specialist: User,
    outsider: User,
    other_mco: Organization,
) -> World:
    """Members at two providers and two MCOs, with flags old and new.

    Rosalind has a case manager; Osgood has none, so every case manager of
    his MCO is told; Philippa is another provider's and another MCO's.
    """
    rosalind = member_in_ips(
        specialist,
        first_name="Rosalind",
        last_name="Thistlewood",
        birth_date=D(1979, 3, 14),
        medicaid_id="9123456K",
        case_manager=case_manager,
        managing_organization=case_manager.organization,
    )
    osgood = member_in_ips(
        specialist,
        first_name="Osgood",
        last_name="Pennyworth",
        birth_date=D(1990, 11, 2),
        medicaid_id="9234567L",
        managing_organization=case_manager.organization,
    )
    philippa = member_in_ips(
        outsider,
        first_name="Philippa",
        last_name="Marchbank",
        birth_date=D(1968, 7, 29),
        medicaid_id="9345678M",
        managing_organization=other_mco,
    )
    employers = ["Bramblecrest Orchards", "Cobblestone Creamery"]
    job = job_record(
        actor=specialist,
        member=rosalind,
        employer=employers[0],
        title="Orchard hand",
        first_day_on=D(2026, 1, 6),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )
    other_job = job_record(
        actor=outsider,
        member=philippa,
        employer=employers[1],
        title="Cheese packer",
        first_day_on=D(2026, 1, 6),
        hours_per_week=Decimal("25"),
        hourly_wage=Decimal("16.00"),
    )

    open_flag(
        Kind.AUTHORIZATION_DELAY,
        rosalind,
        due_on=D(2026, 1, 12),
        opened_at=at(D(2026, 1, 11), 5),
    )
    open_flag(
        Kind.JOB_END_FORM_MISSING,
        rosalind,
        due_on=D(2026, 1, 20),
        opened_at=at(D(2026, 1, 12), 5),
        job=job,
    )
    open_flag(
        Kind.MILESTONE_WINDOW_CLOSING,
        osgood,
        due_on=D(2026, 1, 18),
        opened_at=at(TODAY, 5),
    )
    # Due today: not overdue yet.
    open_flag(
        Kind.CASELOAD_OVER_LIMIT,
        None,
        specialist=specialist,
        due_on=TODAY,
        opened_at=at(TODAY, 5),
    )
    open_flag(
        Kind.COACHING_LAPSED,
        philippa,
        due_on=D(2026, 1, 2),
        opened_at=at(D(2026, 1, 2), 5),
        job=other_job,
    )
    return World([rosalind, osgood, philippa], employers)


# Reading a digest


def digests_by_user(users: dict[str, User]) -> dict[str, EmailMessage]:
    """Each fixture name's digest; fails on a second email to one address."""
    names = {user.email: name for name, user in users.items()}
    received: dict[str, EmailMessage] = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        name = names[message.to[0]]
        assert name not in received, f"two digests for {name}"
        received[name] = message
    return received


def counts(message: EmailMessage) -> dict[str, tuple[int, int, str]]:
    """Each kind's label in the body, with its new and overdue counts and link."""
    body = str(message.body)
    found = re.findall(r"^(.+): (\d+) new, (\d+) overdue\n  (\S+)$", body, re.M)
    return {
        label: (int(new), int(overdue), link) for label, new, overdue, link in found
    }


def line(kind: str, new: int, overdue: int) -> tuple[str, tuple[int, int, str]]:
    link = f"{BASE_URL}/flags/?kind={kind}"
    return Kind(kind).label, (new, overdue, link)


# Who gets what


EVERYONE = [
    "case_manager",
    "specialist",
    "supervisor",
    "outsider",
    "outsider_supervisor",
    "outsider_case_manager",
    "reviewer",
    "administrator",
]


@pytest.fixture
def everyone(request: pytest.FixtureRequest, world: World) -> dict[str, User]:
    """The people fixtures, and every account the reference data holds.

    Each provider comes with a supervisor and specialists already; the
    supervisor is told about the provider's flags like any other.
    """
    people = {name: request.getfixturevalue(name) for name in EVERYONE}
    known = [user.pk for user in people.values()]
    for user in User.objects.exclude(pk__in=known):
        people[user.username] = user
    return people


def to(user: User) -> list[EmailMessage]:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_each_team_member_gets_counts_by_kind_with_links_to_the_inbox(
    everyone: dict[str, User],
) -> None:
    sent = digests_send()

    received = digests_by_user(everyone)
    provider_a_staff = dict(
        [
            line(Kind.AUTHORIZATION_DELAY, 1, 1),
            line(Kind.CASELOAD_OVER_LIMIT, 1, 0),
            line(Kind.JOB_END_FORM_MISSING, 1, 0),
            line(Kind.MILESTONE_WINDOW_CLOSING, 1, 0),
        ]
    )
    provider_b = dict([line(Kind.COACHING_LAPSED, 1, 1)])
    expected = {
        "case_manager": dict(
            [
                line(Kind.AUTHORIZATION_DELAY, 1, 1),
                line(Kind.MILESTONE_WINDOW_CLOSING, 1, 0),
            ]
        ),
        "specialist": provider_a_staff,
        "supervisor": provider_a_staff,
        SUPERVISOR_A: provider_a_staff,
        "outsider": provider_b,
        "outsider_supervisor": provider_b,
        "outsider_case_manager": provider_b,
        SUPERVISOR_B: provider_b,
    }
    assert sent == len(mail.outbox) == len(expected)
    assert {name: counts(message) for name, message in received.items()} == expected
    assert received["case_manager"].subject == "IPS Portal flags: 2 new, 1 overdue"
    assert received["specialist"].subject == "IPS Portal flags: 4 new, 1 overdue"
    assert received["outsider"].subject == "IPS Portal flags: 1 new, 1 overdue"
    # One flag new and overdue at once is one flag in the record.
    rows = DigestSent.objects.values_list("user__username", "day", "flag_count")
    assert sorted(rows) == sorted(
        (everyone[name].username, TODAY, len(lines)) for name, lines in expected.items()
    )


def test_every_case_manager_of_the_mco_is_told_about_a_member_without_one(
    case_manager: User, specialist: User, mco: Organization
) -> None:
    colleague = User.objects.create_user(
        "colleague-cm",
        email="colleague-cm@example.org",
        organization=mco,
        role=User.Role.CASE_MANAGER,
    )
    assigned = member_in_ips(specialist, case_manager=case_manager)
    unassigned = member_in_ips(specialist)
    open_flag(Kind.MONTH_OVER_CAP, assigned, due_on=D(2026, 1, 31), opened_at=NOW)
    open_flag(Kind.COACHING_LAPSED, unassigned, due_on=TODAY, opened_at=NOW)

    digests_send()

    [mine] = to(case_manager)
    [theirs] = to(colleague)
    assert counts(mine) == dict(
        [line(Kind.COACHING_LAPSED, 1, 0), line(Kind.MONTH_OVER_CAP, 1, 0)]
    )
    assert counts(theirs) == dict([line(Kind.COACHING_LAPSED, 1, 0)])


def test_a_link_in_the_digest_opens_the_inbox_at_that_kind(
    client: Client, case_manager: User, world: World
) -> None:
    digests_send()

    [message] = [m for m in mail.outbox if m.to == [case_manager.email]]
    link = counts(message)[Kind.MILESTONE_WINDOW_CLOSING.label][2]
    client.force_login(case_manager)
    response = client.get(link.removeprefix(BASE_URL))

    assert response.status_code == 200
    assert [flag.kind for flag, _ in response.context["rows"]] == [
        Kind.MILESTONE_WINDOW_CLOSING
    ]


def health_details(member: Member) -> list[str]:
    """What of the member would identify them or their health in an email."""
    birth = member.birth_date
    return [
        member.first_name,
        member.last_name,
        str(member.medicaid_id),
        birth.isoformat(),
        f"{birth:%m/%d/%Y}",
        f"{birth.month}/{birth.day}/{birth.year}",
        f"{birth:%B} {birth.day}, {birth.year}",
        f"{birth:%m%d%Y}",
    ]


def initials(member: Member) -> re.Pattern[str]:
    """ "R.T.", "R. T." or "RT" as a word of its own."""
    first, last = member.first_name[0], member.last_name[0]
    return re.compile(rf"(?<![A-Za-z]){first}\.?\s?{last}(?![a-z])")


def test_no_digest_names_a_member_or_holds_their_details(
    everyone: dict[str, User], world: World
) -> None:
    digests_send()

    assert len(mail.outbox) == 8
    for message in mail.outbox:
        for text in (str(message.subject), str(message.body)):
            for member in world.members:
                for detail in health_details(member):
                    assert detail.lower() not in text.lower(), detail
                assert not initials(member).search(text), member.first_name
            for employer in world.employers:
                assert employer.lower() not in text.lower()
                assert employer.split()[0].lower() not in text.lower()
        # Plain text only: no HTML part that could say more.
        assert getattr(message, "alternatives", []) == []
        assert not message.attachments


# Once a day


def run_digests() -> list[EmailMessage]:
    """Run the digest; the emails it sent, as many as it says it sent."""
    before = len(mail.outbox)
    sent = digests_send()
    emails = mail.outbox[before:]
    assert sent == len(emails)
    return emails


def test_a_second_run_the_same_iowa_day_sends_nothing(
    frozen: time_machine.Traveller, everyone: dict[str, User], specialist: User
) -> None:
    first = run_digests()
    # A change in the afternoon raises a new flag; it waits for tomorrow.
    frozen.move_to(at(TODAY, 15))
    member = member_in_ips(specialist)
    open_flag(Kind.COACHING_LAPSED, member, due_on=TODAY, opened_at=at(TODAY, 15))

    second = run_digests()

    assert (len(first), second) == (8, [])
    assert DigestSent.objects.count() == 8


def test_the_next_day_only_new_or_overdue_flags_bring_a_digest(
    frozen: time_machine.Traveller, specialist: User
) -> None:
    member = member_in_ips(specialist)
    waiting = open_flag(
        Kind.MONTH_OVER_CAP,
        member,
        due_on=D(2026, 1, 16),
        opened_at=at(D(2026, 1, 12), 5),
    )
    assert len(to(specialist)) == 0
    run_digests()
    assert len(to(specialist)) == 1

    # Wednesday: the flag is neither new any more nor overdue.
    frozen.move_to(NEXT_MORNING)
    assert run_digests() == []

    # A flag opened on Wednesday is new on Thursday; the older one is not.
    open_flag(
        Kind.COACHING_LAPSED,
        member,
        due_on=D(2026, 1, 20),
        opened_at=at(D(2026, 1, 14), 9),
    )
    frozen.move_to(at(D(2026, 1, 15), 6))
    run_digests()
    assert counts(to(specialist)[-1]) == dict([line(Kind.COACHING_LAPSED, 1, 0)])

    # Saturday: nothing new, but the first flag is past its due date.
    frozen.move_to(at(D(2026, 1, 17), 6))
    run_digests()
    assert counts(to(specialist)[-1]) == dict([line(waiting.kind, 0, 1)])

    days = DigestSent.objects.filter(user=specialist).order_by("day")
    assert list(days.values_list("day", flat=True)) == [
        D(2026, 1, 13),
        D(2026, 1, 15),
        D(2026, 1, 17),
    ]


def test_at_half_past_ten_in_the_evening_the_digest_day_is_the_iowa_date(
    frozen: time_machine.Traveller, specialist: User
) -> None:
    member = member_in_ips(specialist)
    open_flag(Kind.MONTH_OVER_CAP, member, due_on=TODAY, opened_at=at(TODAY, 5))
    frozen.move_to(LATE_EVENING)

    run_digests()

    # Due "today" in Iowa is not overdue, whatever the UTC date says.
    [evening] = to(specialist)
    assert counts(evening) == dict([line(Kind.MONTH_OVER_CAP, 1, 0)])
    assert DigestSent.objects.get(user=specialist).day == TODAY

    # Half an hour later it is still January 13 in Iowa: nothing more.
    later = LATE_EVENING + datetime.timedelta(minutes=30)
    frozen.move_to(later)
    open_flag(Kind.COACHING_LAPSED, member, due_on=TODAY, opened_at=later)
    assert run_digests() == []

    # The next Iowa morning, the same UTC date, is a new digest day.
    frozen.move_to(NEXT_MORNING)
    run_digests()
    assert counts(to(specialist)[-1]) == dict(
        [line(Kind.COACHING_LAPSED, 1, 1), line(Kind.MONTH_OVER_CAP, 0, 1)]
    )
    latest = DigestSent.objects.filter(user=specialist).latest("sent_at")
    assert latest.day == D(2026, 1, 14)


# Who never gets one


def no_email(user: User) -> None:
    user.email = ""
    user.save()


def inactive(user: User) -> None:
    user.is_active = False
    user.save()


def organization_inactive(user: User) -> None:
    assert user.organization is not None
    user.organization.is_active = False
    user.organization.save()


def as_is(user: User) -> None:
    pass


@pytest.mark.parametrize(
    ("change", "expected"),
    [(no_email, 0), (inactive, 0), (organization_inactive, 0), (as_is, 1)],
)
def test_a_user_without_an_email_inactive_or_in_an_inactive_organization_gets_none(
    specialist: User, change: Any, expected: int
) -> None:
    member = member_in_ips(specialist)
    open_flag(Kind.COACHING_LAPSED, member, due_on=D(2026, 1, 2), opened_at=NOW)
    address = specialist.email
    change(specialist)

    run_digests()

    assert len([m for m in mail.outbox if m.to == [address]]) == expected
    assert DigestSent.objects.filter(user=specialist).count() == expected


def test_an_inactive_organization_takes_its_supervisors_digest_too(
    specialist: User, supervisor: User
) -> None:
    member = member_in_ips(specialist)
    open_flag(Kind.COACHING_LAPSED, member, due_on=D(2026, 1, 2), opened_at=NOW)
    organization_inactive(supervisor)

    assert run_digests() == []


def test_a_provider_without_a_site_gives_its_supervisor_nothing(
    provider_a: ProviderSite,
) -> None:
    organization = Organization.objects.create(
        name="Example Unlisted Provider", kind=provider_a.organization.kind
    )
    User.objects.create_user(
        "unsited-supervisor",
        email="unsited@example.org",
        organization=organization,
        role=User.Role.IPS_SUPERVISOR,
    )
    Flag.objects.create(
        kind=Kind.CASELOAD_OVER_LIMIT,
        subject_id=next(subject_ids),
        due_on=D(2026, 1, 2),
        severity=Flag.Severity.WARNING,
        opened_at=NOW,
    )

    assert run_digests() == []


# When the mail fails


def test_a_failing_mail_server_keeps_no_record_so_the_next_run_sends_it(
    settings: Any,
    frozen: time_machine.Traveller,
    specialist: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    member = member_in_ips(specialist)
    open_flag(Kind.COACHING_LAPSED, member, due_on=D(2026, 1, 2), opened_at=NOW)
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"

    assert digests_send() == 0

    assert not DigestSent.objects.exists()
    assert f"Flag digest for user {specialist.pk} not sent" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frozen.move_to(at(TODAY, 7))
    run_digests()
    assert counts(to(specialist)[0]) == dict([line(Kind.COACHING_LAPSED, 1, 1)])
    assert DigestSent.objects.filter(user=specialist).exists()


def test_one_refused_address_does_not_stop_the_others(
    settings: Any, specialist: User, supervisor: User
) -> None:
    member = member_in_ips(specialist)
    open_flag(Kind.COACHING_LAPSED, member, due_on=D(2026, 1, 2), opened_at=NOW)
    specialist.email = REFUSED
    specialist.save()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"

    emails = run_digests()

    assert len(to(supervisor)) == 1
    assert REFUSED not in [address for email in emails for address in email.to]
    assert DigestSent.objects.filter(user=supervisor).exists()
    assert not DigestSent.objects.filter(user=specialist).exists()


# The task


def test_the_send_digests_task_returns_how_many_were_sent(
    everyone: dict[str, User],
) -> None:
    result = send_digests.apply()

    assert result.get() == len(mail.outbox) == 8
    assert send_digests.apply().get() == 0
