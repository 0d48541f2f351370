"""The API's writes: milestone achievements and coaching entries.

Each write goes through the same service as the web form, acting as the
caller: a token's own service account, or the signed-in person. The
services hold the rules (scope, once only, dates, windows, the monthly
cap); the views here parse the body, find the records it names within the
caller's scope, call the service and answer. Files are not part of the
API: documents are attached in the portal.
"""

from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access.policy import Action, member_get, record_member_read, require
from accounts.models import User
from api.idempotency import HEADER, KEY_HELP, KEY_PATTERN, idempotent_write
from api.schema import error_response
from api.views import ApiViewMixin
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.services import coaching_entry_log
from core.money import dollars
from jobs.models import Job
from milestones.models import MilestoneAchievement, MilestoneAuthorization
from milestones.rules import MONTHLY_CAP, CapRisk, milestone_date_for_job
from milestones.selectors import authorization_round_get
from milestones.services import (
    ALREADY_ACHIEVED,
    EVIDENCE_REQUIRED,
    CapWarning,
    achievement_log,
)

# Request bodies


class ClosedSerializer(serializers.Serializer[Any]):
    """A request body of the named fields only: any other key is refused.

    Silently dropping an unknown key would let a client believe it set
    something it cannot, such as who recorded an entry or its provider.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            accepted = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data) - accepted)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not accepted here."] for name in unknown}
                )
        return super().to_internal_value(data)


class AchievementLogSerializer(ClosedSerializer):
    """A milestone achieved. Any key not listed here is refused (400)."""

    authorization = serializers.UUIDField(
        help_text="The authorization round's id, as the API lists it."
    )
    milestone = serializers.IntegerField(
        min_value=1, max_value=4, help_text="1 to 4: which milestone was achieved."
    )
    achieved_on = serializers.DateField(
        required=False,
        help_text="Milestone 1: the day the employment plan was completed "
        "(required). Milestones 2–4 take their date from the job (its first "
        "day, day 45, day 90); leave it out, or send exactly that date.",
    )
    job = serializers.UUIDField(
        required=False,
        help_text="Milestones 2–4: the member's job that reached the milestone "
        "(required). Not sent for milestone 1.",
    )
    cap_warning_seen = serializers.BooleanField(
        default=False,
        help_text="Log even though the month goes over the monthly cap, after a "
        "409 cap_warning answer.",
    )


class CoachingEntryLogSerializer(ClosedSerializer):
    """Coaching given on one day. Any key not listed here is refused (400)."""

    member = serializers.UUIDField(help_text="The member's id.")
    coached_on = serializers.DateField(help_text="The day of the coaching.")
    minutes = serializers.IntegerField(
        min_value=1, max_value=1440, help_text="Minutes of coaching on that day."
    )
    kind = serializers.ChoiceField(choices=CoachingEntry.Kind.choices)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    cap_warning_seen = serializers.BooleanField(
        default=False,
        help_text="Log even though the month goes over the monthly cap, after a "
        "409 cap_warning answer.",
    )
    after_billing_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why coaching is logged in a month already billed; required "
        "then, and kept in the entry's history.",
    )


# Answers

# The words of the milestone lines the API reads (api.serializers).
ACHIEVEMENT_STATUSES = [
    ("achieved", "Achieved inside its window: billable"),
    ("outside_window", "Achieved outside its window: not billable until it changes"),
    ("voided", "Voided with a reason: it stays on the record"),
]


class AchievementSerializer(serializers.Serializer[MilestoneAchievement]):
    """A milestone achievement as logged."""

    id = serializers.UUIDField(source="public_id")
    authorization = serializers.UUIDField(source="line.round.public_id")
    member = serializers.UUIDField(source="line.round.member.public_id")
    milestone = serializers.IntegerField(source="line.milestone")
    achieved_on = serializers.DateField()
    job = serializers.UUIDField(source="job.public_id", allow_null=True)
    billable = serializers.BooleanField(source="is_billable")
    status = serializers.SerializerMethodField()
    documents_to_attach = serializers.SerializerMethodField(
        help_text="Documents the milestone needs that are not attached yet. "
        "The API takes no files: attach them in the portal."
    )
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=ACHIEVEMENT_STATUSES))
    def get_status(self, achievement: MilestoneAchievement) -> str:
        if achievement.is_voided:
            return "voided"
        return "achieved" if achievement.is_billable else "outside_window"

    def get_documents_to_attach(self, achievement: MilestoneAchievement) -> list[str]:
        required = EVIDENCE_REQUIRED[achievement.line.milestone]
        attached = {document.kind for document in achievement.documents.all()}
        return [] if required in attached else [str(required)]


class CoachingEntrySerializer(serializers.Serializer[CoachingEntry]):
    """A day's coaching as logged."""

    id = serializers.UUIDField(source="public_id")
    member = serializers.UUIDField(source="member.public_id")
    coached_on = serializers.DateField()
    minutes = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CoachingEntry.Kind.choices)
    note = serializers.CharField()
    billable = serializers.SerializerMethodField(
        help_text="Whether a coaching authorization is in force on that day. "
        "The month's tier and amount follow from all of its entries."
    )
    logged_at = serializers.DateTimeField()

    def get_billable(self, entry: CoachingEntry) -> bool:
        return CoachingPeriod.objects.filter(
            member_id=entry.member_id,
            begins_on__lte=entry.coached_on,
            ends_on__gte=entry.coached_on,
        ).exists()


class CapWarningRaised(APIException):
    """A month over the monthly cap: logged only once the client says so."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "cap_warning"

    def __init__(self, risks: list[CapRisk]) -> None:
        months = "; ".join(
            f"{risk.month:%B %Y}: {dollars(risk.total)} ({', '.join(risk.line_labels)})"
            for risk in risks
        )
        super().__init__(
            f"Nothing was logged: this entry would take the member's Medicaid "
            f"services over the monthly cap of {dollars(MONTHLY_CAP)} ({months}). "
            'To log it anyway, send the same request with "cap_warning_seen": '
            "true; the month's lines are then held for review before billing."
        )


IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": KEY_PATTERN},
    location=OpenApiParameter.HEADER,
    required=False,
    description=KEY_HELP + " A retry "
    "with the same key and body returns the first answer and logs nothing "
    "again; the same key with another body is refused (422).",
)

WRITE_ERRORS = {
    400: error_response("The body is not valid, or the portal's rules refuse it."),
    401: error_response("No token, or a token that is unknown, revoked or expired."),
    403: error_response("The token lacks the grant, or the role may not log this."),
    404: error_response("No such record in the caller's scope."),
    409: error_response('Over the monthly cap: resend with "cap_warning_seen": true.'),
    422: error_response("The Idempotency-Key was used for a different request."),
    429: error_response("Too many requests."),
}


# Views


class WriteView(ApiViewMixin, APIView):
    """A write endpoint: POST only, idempotent with a key."""

    http_method_names = ["post", "options"]

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)


def _body(serializer_class: type[ClosedSerializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class AchievementLogView(WriteView):
    token_grant = "can_log_achievements"  # noqa: S105 (a grant's name, not a secret)

    @extend_schema(
        operation_id="achievements_log",
        summary="Log a milestone as achieved",
        description=(
            "The same rules as the portal's form: each authorized milestone "
            "is achieved once; milestone 1 takes the day the employment plan "
            "was completed, milestones 2–4 the date that follows from the "
            "job (first day, day 45, day 90), which must not be in the "
            "future; a date outside the window is recorded as not billable. "
            "Documents are not part of the API: the milestone's document is "
            "attached in the portal afterwards (`documents_to_attach`). "
            "Needs a token with the achievements grant."
        ),
        request=AchievementLogSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: AchievementSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Milestone 1",
                request_only=True,
                value={
                    "authorization": "0b7c6a52-1f0e-4f4e-9d64-3f1f6a9b2c10",
                    "milestone": 1,
                    "achieved_on": "2026-03-12",
                },
            ),
            OpenApiExample(
                "Milestone 3",
                request_only=True,
                value={
                    "authorization": "0b7c6a52-1f0e-4f4e-9d64-3f1f6a9b2c10",
                    "milestone": 3,
                    "job": "6d0c1e9a-2b7f-4c55-8a31-5e2d7c4b9f01",
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        require(self.actor, Action.LOG_SERVICES)
        return idempotent_write(request, self.log)

    def log(self) -> tuple[int, dict[str, Any]]:
        data = _body(AchievementLogSerializer, self.request.data)
        line = self._line(data)
        job = self._job(line, data)

        try:
            achievement = achievement_log(
                actor=self.actor,
                line=line,
                achieved_on=data.get("achieved_on"),
                job=job,
                evidence=[],
                cap_warning_seen=data["cap_warning_seen"],
                documents_follow=True,
            )
        except CapWarning as warning:
            raise CapWarningRaised(warning.risks) from None
        except DjangoValidationError as error:
            # The once-only refusal names no field; it is about the milestone.
            if getattr(error, "messages", None) == [ALREADY_ACHIEVED]:
                raise serializers.ValidationError(
                    {"milestone": [ALREADY_ACHIEVED]}
                ) from None
            raise
        return status.HTTP_201_CREATED, AchievementSerializer(achievement).data

    def _line(self, data: dict[str, Any]) -> MilestoneAuthorization:
        """The milestone of a round in the caller's scope; else 404 or 400."""
        try:
            authorization = authorization_round_get(self.actor, data["authorization"])
        except Http404:
            raise NotFound("No authorization round with this id.") from None
        line = authorization.lines.filter(milestone=data["milestone"]).first()
        if line is None:
            raise serializers.ValidationError(
                {"milestone": ["This milestone is not in that authorization round."]}
            )
        record_member_read(
            self.actor,
            [authorization.member_id],
            purpose="api.achievement.log",
            request=self.request._request,
        )
        return line

    def _job(self, line: MilestoneAuthorization, data: dict[str, Any]) -> Job | None:
        """The job the body names, among the member's; check the date sent."""
        milestone = line.milestone
        if milestone == 1:
            if "job" in data:
                raise serializers.ValidationError(
                    {"job": ["Milestone 1 is not tied to a job: leave job out."]}
                )
            return None
        if "job" not in data:
            return None  # the service says what is missing
        job = Job.objects.filter(
            member_id=line.round.member_id, public_id=data["job"]
        ).first()
        if job is None:
            raise NotFound("No job with this id for the authorization's member.")
        derived = milestone_date_for_job(milestone, job.first_day_on)
        sent = data.get("achieved_on")
        if sent is not None and sent != derived:
            raise serializers.ValidationError(
                {
                    "achieved_on": [
                        f"Milestone {milestone}'s date follows from the job: "
                        f"{derived.isoformat()}. Send that date or leave it out."
                    ]
                }
            )
        return job


class CoachingEntryLogView(WriteView):
    token_grant = "can_log_coaching"  # noqa: S105 (a grant's name, not a secret)

    @extend_schema(
        operation_id="coaching_entries_log",
        summary="Log coaching given on a day",
        description=(
            "The same rules as the portal's form: more than zero minutes, at "
            "most 24 hours on one day, no future dates, and no day before the "
            "member joined IPS or before the first fee schedule. Coaching on a "
            "day with no authorization in force is kept, and not billable. "
            "Needs a token with the coaching grant."
        ),
        request=CoachingEntryLogSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CoachingEntrySerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "An hour at the worksite",
                request_only=True,
                value={
                    "member": "3f5e2a10-7c4d-4b8e-9a61-2d0c9e8b7a54",
                    "coached_on": "2026-09-03",
                    "minutes": 60,
                    "kind": "worksite",
                    "note": "Went over the new shift schedule.",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        require(self.actor, Action.LOG_SERVICES)
        return idempotent_write(request, self.log)

    def log(self) -> tuple[int, dict[str, Any]]:
        data = _body(CoachingEntryLogSerializer, self.request.data)
        try:
            member = member_get(
                self.actor,
                data.pop("member"),
                Action.LOG_SERVICES,
                request=self.request._request,
            )
        except Http404:
            raise NotFound("No member with this id.") from None
        try:
            entry = coaching_entry_log(actor=self.actor, member=member, **data)
        except CapWarning as warning:
            raise CapWarningRaised(warning.risks) from None
        return status.HTTP_201_CREATED, CoachingEntrySerializer(entry).data
