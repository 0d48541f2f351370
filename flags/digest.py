"""The daily email digest: counts of new and overdue flags, and links.

The digest carries no health information: no names, initials or dates of
birth, only how many flags of each kind and where to see them. A user gets
at most one a day, however many times the task runs.
"""

import datetime
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse

from accounts.models import User
from core.dates import iowa_today
from flags.models import DigestSent, Flag
from flags.selectors import flags_for

logger = logging.getLogger(__name__)

RECIPIENT_ROLES = (
    User.Role.CASE_MANAGER,
    User.Role.IPS_SPECIALIST,
    User.Role.IPS_SUPERVISOR,
    User.Role.PROGRAM_REVIEWER,
)


@dataclass(frozen=True)
class DigestLine:
    kind: str
    label: str
    new: int
    overdue: int
    link: str
    # The flags the line is about: a flag both new and overdue counts once.
    flags: int


def digest_lines(
    user: User, today: datetime.date, since: datetime.datetime | None
) -> list[DigestLine]:
    """Counts by kind of the user's flags opened since ``since`` or overdue.

    One query. ``since`` is when the user's last digest went out; with no
    digest before, every open flag is new.
    """
    new = Q(opened_at__gt=since) if since is not None else Q(pk__isnull=False)
    overdue = Q(due_on__lt=today)
    rows = (
        flags_for(user)
        .values("kind")
        .annotate(
            new=Count("pk", filter=new),
            overdue=Count("pk", filter=overdue),
            flags=Count("pk", filter=new | overdue),
        )
        .filter(flags__gt=0)
        .order_by("kind")
    )
    inbox = settings.PORTAL_BASE_URL.rstrip("/") + reverse("flags:inbox")
    return [
        DigestLine(
            row["kind"],
            Flag.Kind(row["kind"]).label,
            row["new"],
            row["overdue"],
            f"{inbox}?{urlencode({'kind': row['kind']})}",
            row["flags"],
        )
        for row in rows
    ]


def digest_text(lines: list[DigestLine]) -> tuple[str, str]:
    """The subject and body of a digest: counts and links only."""
    new = sum(line.new for line in lines)
    overdue = sum(line.overdue for line in lines)
    subject = f"IPS Portal flags: {new} new, {overdue} overdue"
    body = [
        "Flags in your IPS Portal work queue that are new since your last "
        "digest or past their due date:",
        "",
    ]
    for line in lines:
        body.append(f"{line.label}: {line.new} new, {line.overdue} overdue")
        body.append(f"  {line.link}")
    body += ["", "Sign in to see them. This email holds no member details."]
    return subject, "\n".join(body)


def digests_send(today: datetime.date | None = None) -> int:
    """Send today's digest to every user with new or overdue flags.

    Returns how many were sent. Each send claims the (user, day) row first,
    in the same transaction, so a second run or a parallel one sends
    nothing more; a send that fails is logged, leaves no row and is tried
    again on the next run, and the other users still get theirs.
    """
    today = today or iowa_today()
    last_sent = dict(
        DigestSent.objects.values_list("user_id").annotate(last=Max("sent_at"))
    )
    users = (
        User.objects.filter(
            role__in=RECIPIENT_ROLES,
            is_active=True,
            is_api_client=False,
            organization__is_active=True,
        )
        .exclude(email="")
        .select_related("organization__provider_site")
    )
    sent = 0
    for user in users:
        lines = digest_lines(user, today, last_sent.get(user.pk))
        if not lines:
            continue
        subject, body = digest_text(lines)
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    user=user,
                    day=today,
                    flag_count=sum(line.flags for line in lines),
                )
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            continue  # already sent today
        except Exception:
            # A refused address or a mail server that is down must not cost
            # the others their digest. No row was kept, so the next run tries
            # this one again.
            logger.exception("Flag digest for user %s not sent", user.pk)
            continue
        sent += 1
    logger.info("Flag digests sent: %d", sent)
    return sent
