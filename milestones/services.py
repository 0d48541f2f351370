"""Writes for milestone authorization rounds."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from access.policy import Action, require_action_on_member
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from core.uploads import CheckedUpload, upload_check
from flags.queue import member_flags_refresh
from jobends.models import TeamMeeting
from jobs.models import Job
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import (
    MILESTONE_SERVICES,
    MONTHLY_CAP,
    RETENTION_DAYS,
    CapRisk,
    Window,
    job_reaches,
    milestone_date_for_job,
    months_at_risk_of_cap,
    window_order_problems,
    windows_fitted_to_job,
)
from milestones.selectors import cap_lines_for_member, milestone_lines_awaiting
from payers.models import Payer
from payers.rules import authorization_payer_check
from payers.selectors import FeeScheduleNotInForce, fee_quote_get
from referrals.models import Episode


@dataclass(frozen=True)
class MilestoneLineInput:
    milestone: int
    window: Window
    authorization_number: str


class CapWarning(Exception):
    """The round could let a month's milestones exceed the monthly cap.

    Not an error: the case manager may authorize anyway once they have seen
    which months are at risk.
    """

    def __init__(self, risks: list[CapRisk]) -> None:
        super().__init__("Monthly cap at risk")
        self.risks = risks


@transaction.atomic
def authorization_round_create(
    *,
    actor: User,
    member: Member,
    payer: Payer,
    authorized_on: datetime.date,
    plan_dated_on: datetime.date,
    plan_reference: str,
    lines: list[MilestoneLineInput],
    cap_warning_seen: bool = False,
    meeting: TeamMeeting | None = None,
) -> AuthorizationRound:
    """Authorize one to four milestones for a member's open episode.

    The first round of an episode must hold all four milestones: IPS
    authorizes them up front. Windows must each end on or after they begin
    and follow milestone order. Units and rates come from the fee schedule
    in force for the payer on the authorization date and are kept on the
    lines. When milestones whose windows share a month could together
    exceed the monthly cap, counting the member's other rounds, CapWarning
    is raised unless ``cap_warning_seen``. The caller has checked that the
    member is in the actor's scope.
    """
    require_action_on_member(actor, Action.AUTHORIZE_SERVICES, member)
    Member.objects.select_for_update().get(pk=member.pk)
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError(
            "Milestones are authorized once a provider has accepted the "
            "member's referral."
        )

    authorization_payer_check(member.payer, payer)
    _check_lines(episode, lines)
    _check_meeting(episode, meeting, authorized_on)
    rates = _rates_on(payer, authorized_on, lines)
    if authorized_on < episode.opened_on:
        raise ValidationError(
            {
                "authorized_on": "The authorization date cannot be before the "
                f"provider accepted the member ({episode.opened_on:%m/%d/%Y})."
            }
        )
    if authorized_on > iowa_today():
        raise ValidationError(
            {"authorized_on": "The authorization date cannot be in the future."}
        )
    if payer.is_medicaid and not cap_warning_seen:
        proposed = [
            (
                f"Milestone {line.milestone} (this round)",
                line.window,
                rates[line.milestone],
            )
            for line in lines
        ]
        replaced = frozenset(line.milestone for line in lines)
        # Only the months this round touches: a month already over for other
        # reasons is for the ledger to flag, not for this round to repeat.
        touched = {month for line in lines for month in line.window.months()}
        risks = [
            risk
            for risk in months_at_risk_of_cap(
                cap_lines_for_member(member, superseded=replaced) + proposed
            )
            if risk.month in touched
        ]
        if risks:
            raise CapWarning(risks)

    authorization = AuthorizationRound(
        member=member,
        episode=episode,
        meeting=meeting,
        payer=payer,
        authorized_on=authorized_on,
        plan_dated_on=plan_dated_on,
        plan_reference=plan_reference.strip(),
        authorized_by=actor,
    )
    try:
        # Saving sets the round's changed_at: its lines come in the same
        # transaction, so the API never shows the round without them.
        with transaction.atomic():
            attribute_to(authorization, actor).save()
    except IntegrityError as error:
        # Two reauthorizations racing for the same meeting.
        raise ValidationError(
            {"meeting": "That meeting already led to an authorization round."}
        ) from error
    for line in sorted(lines, key=lambda line: line.milestone):
        milestone = MilestoneAuthorization(
            round=authorization,
            milestone=line.milestone,
            service=MILESTONE_SERVICES[line.milestone],
            window_begins_on=line.window.begins_on,
            window_ends_on=line.window.ends_on,
            units=1,
            rate=rates[line.milestone],
            authorization_number=line.authorization_number.strip(),
        )
        attribute_to(milestone, actor).save()
    member_flags_refresh(authorization.member_id)
    return authorization


def _check_meeting(
    episode: Episode, meeting: TeamMeeting | None, authorized_on: datetime.date
) -> None:
    """A reauthorization follows a team meeting; the first round does not."""
    is_first_round = not AuthorizationRound.objects.filter(
        episode=episode, voided_at__isnull=True
    ).exists()
    if is_first_round and meeting is None:
        return
    if meeting is None:
        raise ValidationError(
            {
                "meeting": "Before milestones are authorized again, record the team "
                "meeting: date, who attended, lessons learned and next steps."
            }
        )
    if meeting.episode_id != episode.pk:
        raise ValidationError({"meeting": "Choose a meeting from this time in IPS."})
    if AuthorizationRound.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            {"meeting": "That meeting already led to an authorization round."}
        )
    if meeting.met_on > authorized_on:
        raise ValidationError(
            {
                "meeting": "The meeting comes before the reauthorization: it is "
                f"dated {meeting.met_on:%m/%d/%Y}."
            }
        )


def _check_lines(episode: Episode, lines: list[MilestoneLineInput]) -> None:
    numbers = [line.milestone for line in lines]
    if not lines:
        raise ValidationError("Choose at least one milestone to authorize.")
    if len(set(numbers)) != len(numbers) or not set(numbers) <= {1, 2, 3, 4}:
        raise ValidationError("Each milestone can appear once in a round.")

    is_first_round = not AuthorizationRound.objects.filter(
        episode=episode, voided_at__isnull=True
    ).exists()
    if is_first_round and sorted(numbers) != [1, 2, 3, 4]:
        raise ValidationError(
            "The first authorization covers all four milestones, up front."
        )

    problems = window_order_problems({line.milestone: line.window for line in lines})
    if problems:
        raise ValidationError(
            {
                f"m{number}-window_ends_on": message
                for number, message in problems.items()
            }
        )
    for line in lines:
        if not line.authorization_number.strip():
            raise ValidationError(
                {
                    f"m{line.milestone}-authorization_number": (
                        "Enter the authorization number the payer issued."
                    )
                }
            )


def _rates_on(
    payer: Payer, authorized_on: datetime.date, lines: list[MilestoneLineInput]
) -> dict[int, Decimal]:
    try:
        return {
            line.milestone: fee_quote_get(
                payer, MILESTONE_SERVICES[line.milestone], authorized_on
            ).rate
            for line in lines
        }
    except FeeScheduleNotInForce as error:
        raise ValidationError({"authorized_on": str(error)}) from error


@dataclass(frozen=True)
class EvidenceUpload:
    kind: str
    file: UploadedFile


# What documents a milestone, as DOMAIN.md lists it. The service plan is the
# case manager's document and may follow later; the other is needed to log.
EVIDENCE_REQUIRED: dict[int, str] = {
    1: EvidenceDocument.Kind.EMPLOYMENT_PLAN,
    2: EvidenceDocument.Kind.SERVICE_DOCUMENTATION,
    3: EvidenceDocument.Kind.SERVICE_DOCUMENTATION,
    4: EvidenceDocument.Kind.SERVICE_DOCUMENTATION,
}
EVIDENCE_KINDS: dict[int, tuple[str, ...]] = {
    number: (EvidenceDocument.Kind.SERVICE_PLAN, required)
    for number, required in EVIDENCE_REQUIRED.items()
}


def evidence_field(kind: str) -> str:
    """The form field that carries a document of this kind."""
    return f"evidence_{kind}"


@transaction.atomic
def achievement_log(
    *,
    actor: User,
    line: MilestoneAuthorization,
    achieved_on: datetime.date | None = None,
    job: Job | None = None,
    evidence: list[EvidenceUpload],
    cap_warning_seen: bool = False,
    documents_follow: bool = False,
) -> MilestoneAchievement:
    """Log a milestone as achieved, with its documentation (rule — achievements).

    Milestone 1 takes the date the employment plan was completed. Milestone
    2 takes the job's first day; milestones 3 and 4 the job's day 45 and day
    90, which the job must reach. A date still in the future (by the Iowa
    calendar) is refused. A date outside the line's window is recorded and
    is not billable until the window changes. Each line is achieved once:
    a second entry, even a simultaneous one, is refused with a message. The
    caller has checked that the member is in the actor's scope.

    ``documents_follow`` lets a partner system, which sends no files, log
    the milestone without its required document; the team attaches it in
    the portal afterwards (``evidence_add``).
    """
    line = MilestoneAuthorization.objects.select_related(
        "round__episode", "round__member"
    ).get(pk=line.pk)
    _require_work_on_round(actor, line.round)
    achieved_on, job = _achievement_date(line, achieved_on, job)
    checked = _evidence_checked(
        line.milestone, evidence, is_required=not documents_follow
    )
    if line.achievements.filter(voided_at__isnull=True).exists():
        raise ValidationError(ALREADY_ACHIEVED)
    if not cap_warning_seen:
        _achievement_cap_check(line, achieved_on)

    achievement = MilestoneAchievement(
        line=line, job=job, achieved_on=achieved_on, recorded_by=actor
    )
    try:
        with transaction.atomic():
            attribute_to(achievement, actor).save()
    except IntegrityError as error:
        # Lost the race to a simultaneous entry of the same milestone.
        raise ValidationError(ALREADY_ACHIEVED) from error

    for upload, check in checked:
        _evidence_store(actor, achievement, upload, check)
    rounds_touch(round_ids=[line.round_id])
    member_flags_refresh(line.round.member_id)
    return achievement


def rounds_touch(
    *, round_ids: Iterable[int] = (), episode_ids: Iterable[int] = ()
) -> int:
    """Mark rounds as changed now, for the API's sync; one UPDATE.

    A change to a milestone line, to one of its achievements or to a job
    counts as a change of the authorization round (a job: every round of
    its episode, since any of them may pay for it). ``.update()`` leaves
    auto_now alone, so ``changed_at`` is set here by name. Returns how
    many rounds were touched.
    """
    rounds = Q(pk__in=list(round_ids)) | Q(episode_id__in=list(episode_ids))
    return AuthorizationRound.objects.filter(rounds).update(changed_at=timezone.now())


def _require_work_on_round(actor: User, authorization: AuthorizationRound) -> None:
    """Only the team of the round's own, open episode logs against it."""
    require_action_on_member(actor, Action.LOG_SERVICES, authorization.member)
    episode = authorization.episode
    provider = getattr(actor.organization, "provider_site", None)
    if episode.closed_on is not None or (
        provider is not None and episode.provider_id != provider.pk
    ):
        raise PermissionDenied


def _achievement_cap_check(
    line: MilestoneAuthorization, achieved_on: datetime.date
) -> None:
    """Warn before a billable Medicaid milestone pushes its month over the cap."""
    from billing.selectors import member_cap_ledger

    if not line.round.payer.is_medicaid or not line.window.contains(achieved_on):
        return
    month = member_cap_ledger(line.round.member, achieved_on, 1)[0]
    total = month.total + line.amount
    if total > MONTHLY_CAP:
        labels = (
            *(m.label for m in month.milestones),
            f"Milestone {line.milestone} (this entry)",
        )
        if month.coaching:
            labels += ("coaching",)
        raise CapWarning([CapRisk(month.month, total, labels)])


ALREADY_ACHIEVED = (
    "This milestone has already been achieved. If that entry is wrong, void it "
    "with a reason first."
)


def _achievement_date(
    line: MilestoneAuthorization,
    achieved_on: datetime.date | None,
    job: Job | None,
) -> tuple[datetime.date, Job | None]:
    if line.round.is_voided or line.round.episode.closed_on is not None:
        raise ValidationError("This authorization is no longer open for achievements.")

    episode = line.round.episode
    if line.milestone == 1:
        if achieved_on is None:
            raise ValidationError(
                {"achieved_on": "Enter the date the employment plan was completed."}
            )
        if achieved_on < episode.opened_on:
            raise ValidationError(
                {
                    "achieved_on": "The employment plan is made in IPS: the date "
                    "cannot be before the member joined "
                    f"({episode.opened_on:%m/%d/%Y})."
                }
            )
        job = None
    else:
        # A job held from an earlier time in IPS does not pay for this one.
        if job is None or job.episode_id != episode.pk:
            raise ValidationError(
                {"job": "Choose one of the member's jobs in this time in IPS."}
            )
        achieved_on = milestone_date_for_job(line.milestone, job.first_day_on)
        if not job.is_competitive:
            raise ValidationError(
                {
                    "job": "This job pays under Iowa's minimum wage: it is not "
                    "competitive employment and does not count for milestones."
                }
            )
        days = RETENTION_DAYS.get(line.milestone)
        if days and not job_reaches(job.first_day_on, job.ended_on, days):
            raise ValidationError(
                {
                    "job": f"This job ended on {job.ended_on:%m/%d/%Y}, before its "
                    f"day {days} ({achieved_on:%m/%d/%Y})."
                }
            )

    field = "achieved_on" if line.milestone == 1 else "job"
    if achieved_on > iowa_today():
        raise ValidationError(
            {
                field: f"{achieved_on:%m/%d/%Y} is still to come: the milestone can "
                "be logged from that day."
            }
        )
    if job is not None and achieved_on < job.first_day_on:
        raise ValidationError({field: "The date cannot be before the job's first day."})
    return achieved_on, job


def _evidence_checked(
    milestone: int, evidence: list[EvidenceUpload], is_required: bool = True
) -> list[tuple[EvidenceUpload, CheckedUpload]]:
    errors: dict[str, list[str]] = {}
    checked = []
    for upload in evidence:
        if upload.kind not in EVIDENCE_KINDS[milestone]:
            errors.setdefault("__all__", []).append(
                "That kind of document does not belong to this milestone."
            )
            continue
        try:
            checked.append((upload, upload_check(upload.file)))
        except ValidationError as error:
            errors.setdefault(evidence_field(upload.kind), []).extend(error.messages)

    required = EVIDENCE_REQUIRED[milestone]
    if is_required and required not in {upload.kind for upload in evidence}:
        label = EvidenceDocument.Kind(required).label
        errors.setdefault(evidence_field(required), []).append(
            f"Attach the {label.lower()}."
        )
    if errors:
        raise ValidationError(errors)
    return checked


def _evidence_store(
    actor: User,
    achievement: MilestoneAchievement,
    upload: EvidenceUpload,
    check: CheckedUpload,
) -> EvidenceDocument:
    document = EvidenceDocument(
        achievement=achievement,
        kind=upload.kind,
        original_name=(upload.file.name or "document")[-200:],
        content_type=check.content_type,
        extension=check.extension,
        size=check.size,
        sha256=check.sha256,
        uploaded_by=actor,
    )
    # The storage path comes from the document's own id (evidence_path).
    document.file.save("upload", upload.file, save=False)
    attribute_to(document, actor).save()
    return document


@transaction.atomic
def evidence_add(
    *, actor: User, achievement: MilestoneAchievement, upload: EvidenceUpload
) -> EvidenceDocument:
    """Attach another document to an achievement, such as the service plan."""
    _require_work_on_round(actor, achievement.line.round)
    if achievement.is_voided:
        raise ValidationError("Documents cannot be added to a voided achievement.")
    if upload.kind not in EVIDENCE_KINDS[achievement.line.milestone]:
        raise ValidationError({"kind": "That kind of document does not belong here."})
    try:
        check = upload_check(upload.file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return _evidence_store(actor, achievement, upload, check)


@transaction.atomic
def achievement_void(
    *, actor: User, achievement: MilestoneAchievement, reason: str
) -> MilestoneAchievement:
    """Void a wrong achievement with a reason; it stays on the record."""
    achievement = (
        MilestoneAchievement.objects.select_for_update()
        .select_related("line__round__episode", "line__round__member")
        .get(pk=achievement.pk)
    )
    _require_work_on_round(actor, achievement.line.round)
    if achievement.is_voided:
        raise ValidationError("This achievement is already voided.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this entry is wrong."})
    _refuse_if_billed(achievement, "voided")

    achievement.voided_at = timezone.now()
    achievement.voided_by = actor
    achievement.void_reason = reason.strip()
    attribute_to(achievement, actor, reason=reason.strip()).save()
    rounds_touch(round_ids=[achievement.line.round_id])
    member_flags_refresh(achievement.line.round.member_id)
    return achievement


def _refuse_if_billed(achievement: MilestoneAchievement, change: str) -> None:
    """Refuse to change what a bill was made from (rule — billed).

    A billed achievement is corrected through its claim line: the
    provider's billing voids the line with a reason, and the achievement
    can then change like any other.
    """
    from billing.selectors import billed_claim_for_achievement, billed_in_words

    billed = billed_claim_for_achievement(achievement.pk)
    if billed is not None and billed.batch is not None:
        raise ValidationError(
            f"This milestone is billed on {billed_in_words(billed.batch)}, so it "
            f"cannot be {change} here. The provider's billing voids that claim "
            "line first, with a reason; then it can be."
        )


@transaction.atomic
def milestone_window_change(
    *,
    actor: User,
    line: MilestoneAuthorization,
    window: Window,
    reason: str,
    cap_warning_seen: bool = False,
) -> MilestoneAuthorization:
    """Change one milestone's window, with the reason kept in its history.

    An achievement already logged outside the old window becomes billable
    when the new window holds its date. A billed achievement keeps its date
    inside the window: the bill was made on it. The round's windows must
    stay in milestone order; the monthly cap is checked as for a new round.
    """
    line = MilestoneAuthorization.objects.select_related(
        "round__member", "round__episode"
    ).get(pk=line.pk)
    require_action_on_member(actor, Action.AUTHORIZE_SERVICES, line.round.member)
    if line.round.is_voided:
        raise ValidationError("This authorization round is voided.")
    if line.round.episode.closed_on is not None:
        raise ValidationError("This authorization belongs to a time in IPS that ended.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the window changes."})
    achieved = line.achievements.filter(voided_at__isnull=True).first()
    if achieved is not None and not window.contains(achieved.achieved_on):
        _refuse_if_billed(achieved, "left outside its window")
    _windows_check(line.round, {line.pk: window})
    _cap_check(line.round.member, line.round.payer, {line.pk: window}, cap_warning_seen)

    line.window_begins_on, line.window_ends_on = window.begins_on, window.ends_on
    attribute_to(line, actor, reason=reason.strip()).save()
    rounds_touch(round_ids=[line.round_id])
    member_flags_refresh(line.round.member_id)
    return line


@transaction.atomic
def milestone_windows_fit_to_job(
    *, actor: User, job: Job, cap_warning_seen: bool = False
) -> list[MilestoneAuthorization]:
    """Fit the windows of milestones 2–4 still awaited to a recorded job.

    Milestone 2 takes the month of the first day, milestones 3 and 4 the
    months of day 45 and day 90 (rule — windows proposed). Lines already
    achieved keep their windows. All changed lines are saved together, each
    with a history entry naming the case manager and the job.
    """
    require_action_on_member(actor, Action.AUTHORIZE_SERVICES, job.member)
    awaiting = milestone_lines_awaiting(job.member)
    fitted = {
        number: window
        for number, window in windows_fitted_to_job(job.first_day_on).items()
        if number in awaiting
        and (
            number == 2
            or job_reaches(job.first_day_on, job.ended_on, RETENTION_DAYS[number])
        )
    }
    if not fitted:
        raise ValidationError(
            "No milestone this job can still reach is awaiting achievement."
        )
    changes = {
        awaiting[number].pk: window
        for number, window in fitted.items()
        if awaiting[number].window != window
    }
    if not changes:
        raise ValidationError("The windows already fit this job.")

    lines = [line for line in awaiting.values() if line.pk in changes]
    for authorization in {line.round for line in lines}:
        _windows_check(authorization, changes)
    _cap_check(job.member, lines[0].round.payer, changes, cap_warning_seen)

    for line in lines:
        line.window_begins_on = changes[line.pk].begins_on
        line.window_ends_on = changes[line.pk].ends_on
        line.updated_at = timezone.now()
    bulk_update_with_history(
        lines,
        MilestoneAuthorization,
        ["window_begins_on", "window_ends_on", "updated_at"],
        default_user=actor,
        default_change_reason=f"Fitted to the job starting {job.first_day_on:%m/%d/%Y}",
    )
    rounds_touch(round_ids={line.round_id for line in lines})
    member_flags_refresh(job.member_id)
    return lines


def _windows_check(
    authorization: AuthorizationRound, changes: dict[int, Window]
) -> None:
    """Keep a round's windows in milestone order after a change.

    Lines already achieved are done with: their windows no longer constrain
    the others (a job that starts while milestone 1's window is still open
    must be able to take milestone 2's window to its month).
    """
    achieved = set(
        MilestoneAchievement.objects.filter(
            line__round=authorization, voided_at__isnull=True
        ).values_list("line_id", flat=True)
    )
    windows = {
        line.milestone: changes.get(line.pk, line.window)
        for line in authorization.lines.all()
        if line.pk in changes or line.pk not in achieved
    }
    problems = window_order_problems(windows)
    if problems:
        raise ValidationError(" ".join(problems.values()))


def _cap_check(
    member: Member, payer: Payer, changes: dict[int, Window], cap_warning_seen: bool
) -> None:
    if not payer.is_medicaid or cap_warning_seen:
        return
    touched = {month for window in changes.values() for month in window.months()}
    risks = [
        risk
        for risk in months_at_risk_of_cap(cap_lines_for_member(member, changes))
        if risk.month in touched
    ]
    if risks:
        raise CapWarning(risks)
