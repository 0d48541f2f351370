"""The Iowa job-end form as a printable document.

The document carries what the job-end page shows: the job and how it
ended, the form's two questions, every perspective on the ending with who
wrote it and when, what the job taught for the next search, the chosen next
step and the team meetings that followed. Times are given in Iowa time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from core.dates import IOWA, iowa_today
from documents.render import render_pdf
from jobends.models import (
    EmployerContactConsent,
    JobEnd,
    JobEndPerspective,
    TeamMeeting,
)
from jobends.selectors import consent_current
from members.models import Member

TITLE = "Job-end form"

# The change reason job_end_form_complete gives the member's history row.
FORM_CHANGE_REASON = "Updated from a job-end form"

# The form's save writes the job end, then the member, in one transaction:
# the member's row follows the completion time by well under this.
SAME_SAVE = datetime.timedelta(minutes=1)

# The updates the form carries to the member, with the words the form uses.
UPDATES = (
    ("job_support_needs", "Job support needs"),
    ("disclosure", "Disclosure decision"),
    ("disclosure_notes", "About disclosure"),
    ("job_preferences", "Job preferences"),
)


@dataclass(frozen=True)
class PerspectiveEntry:
    text: str
    written_by: str
    written_at: str


@dataclass(frozen=True)
class PerspectiveBlock:
    """Everything written from one source, or why nothing is."""

    label: str
    entries: list[PerspectiveEntry]
    absent: str


@dataclass(frozen=True)
class Update:
    label: str
    now: str
    as_saved: str | None
    is_choice: bool


def iowa_time(moment: datetime.datetime) -> str:
    """Say a moment as an Iowa reader would: 12/01/2026 at 9:05 AM CST."""
    local = moment.astimezone(IOWA)
    clock = local.strftime("%I:%M %p").removeprefix("0")
    return f"{local:%m/%d/%Y} at {clock} {local:%Z}"


def job_end_for_form(job_end: JobEnd) -> JobEnd:
    """Load a job end with everything its form shows, in three queries.

    Takes a job end however it was loaded (the caller has already checked
    scope) and reads it again with its job, member, team, perspectives and
    meetings, so the cost does not grow with the number of entries.
    """
    return (
        JobEnd.objects.select_related(
            "job__member__managing_organization",
            "job__member__case_manager",
            "job__episode__provider__organization",
            "job__episode__specialist",
            "recorded_by",
            "form_completed_by",
        )
        .prefetch_related(
            Prefetch(
                "perspectives",
                queryset=JobEndPerspective.objects.select_related(
                    "written_by"
                ).order_by("written_at", "pk"),
            ),
            Prefetch(
                "meetings",
                queryset=TeamMeeting.objects.select_related("recorded_by").order_by(
                    "met_on", "recorded_at"
                ),
            ),
        )
        .get(pk=job_end.pk)
    )


def _consent_words(consent: EmployerContactConsent | None, on: datetime.date) -> str:
    if consent is None or consent.given_on > on:
        return "No consent to contact employers is on file."
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return (
            f"The member gave consent to contact employers on "
            f"{consent.given_on:%m/%d/%Y} and withdrew it on "
            f"{consent.withdrawn_on:%m/%d/%Y}."
        )
    return (
        "The member's consent to contact employers is in force, given on "
        f"{consent.given_on:%m/%d/%Y}."
    )


def _perspective_blocks(
    job_end: JobEnd, member: Member, consent_words: str
) -> list[PerspectiveBlock]:
    """One block per source the form asks about, in the form's order."""
    by_source: dict[str, list[PerspectiveEntry]] = {}
    for perspective in job_end.perspectives.all():
        by_source.setdefault(perspective.source, []).append(
            PerspectiveEntry(
                text=perspective.text,
                written_by=perspective.written_by.get_full_name(),
                written_at=iowa_time(perspective.written_at),
            )
        )

    absent: dict[str, str] = {
        JobEndPerspective.Source.EMPLOYER: f"Not recorded. {consent_words}"
    }
    if not member.ivrs_counselor_name:
        absent[JobEndPerspective.Source.IVRS] = (
            "Not recorded. No IVRS counselor is on the member's record."
        )
    return [
        PerspectiveBlock(
            label=label,
            entries=by_source.get(source, []),
            absent=absent.get(source, "Not recorded."),
        )
        for source, label in JobEndPerspective.Source.choices
    ]


def _member_as_saved_with_form(job_end: JobEnd, member: Member) -> Any | None:
    """Return the member's history row as the form left it, or None.

    When the form changed the member, that row is the one its save wrote,
    just after the completion time; when it changed nothing, the member's
    state at the completion time is what the form held. One or two queries.
    """
    completed_at = job_end.form_completed_at
    if completed_at is None:
        return None
    saved = (
        member.history.filter(
            history_date__gte=completed_at,
            history_date__lt=completed_at + SAME_SAVE,
            history_change_reason=FORM_CHANGE_REASON,
            history_user_id=job_end.form_completed_by_id,
        )
        .order_by("history_date")
        .first()
    )
    if saved is not None:
        return saved
    return (
        member.history.filter(history_date__lte=completed_at)
        .order_by("-history_date")
        .first()
    )


def _shown(record: Any, field: str) -> str:
    if field == "disclosure":
        return str(Member.Disclosure(record.disclosure).label)
    return str(getattr(record, field))


def _updates(member: Member, as_saved: Any | None) -> list[Update]:
    """The member's values now, and the form's where they have changed since."""
    updates = []
    for field, label in UPDATES:
        now = _shown(member, field)
        then = _shown(as_saved, field) if as_saved is not None else now
        updates.append(
            Update(
                label=label,
                now=now,
                as_saved=then if then != now else None,
                is_choice=field == "disclosure",
            )
        )
    return updates


def job_end_form_context(job_end: JobEnd) -> dict[str, Any]:
    """Gather the form's sections. Five to six queries, whatever the entries."""
    job_end = job_end_for_form(job_end)
    member = job_end.job.member
    consent_words = _consent_words(consent_current(member), iowa_today())
    as_saved = _member_as_saved_with_form(job_end, member)
    completed_at = job_end.form_completed_at

    return {
        "job_end": job_end,
        "job": job_end.job,
        "episode": job_end.job.episode,
        "member": member,
        "recorded_at": iowa_time(job_end.recorded_at),
        "completed_at": iowa_time(completed_at) if completed_at else "",
        "perspectives": _perspective_blocks(job_end, member, consent_words),
        "updates": _updates(member, as_saved),
        "meetings": list(job_end.meetings.all()),
    }


def job_end_form_pdf(job_end: JobEnd, user: Any) -> bytes:
    """Render the Iowa job-end form for a job end the user may read.

    The caller checks scope and records the read; this only renders.
    """
    return render_pdf(
        "documents/job_end_form.html",
        job_end_form_context(job_end),
        title=TITLE,
        produced_by=user,
    )
