"""What the API shows of each record: named fields only, nothing diagnostic.

Every field is read-only here. Dates are ISO 8601 and money is a decimal
string (settings.REST_FRAMEWORK). Nested rows come from the view's
prefetching, so a page costs the same number of queries whatever it holds.
"""

import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.models import CoachingPeriod
from coaching.rules import TIER_SERVICES
from flags.models import Flag
from jobends.models import JobEnd
from jobs.models import Job
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from providers.models import ProviderSite
from referrals.models import Referral

ROUND_STATUSES = [("active", "Active"), ("voided", "Voided")]
LINE_STATUSES = [
    ("authorized", "Authorized, not yet achieved"),
    ("achieved", "Achieved inside its window: billable"),
    ("outside_window", "Achieved outside its window: not billable until it changes"),
]


def member_id_field(source: str = "member.public_id") -> serializers.UUIDField:
    return serializers.UUIDField(
        source=source, read_only=True, help_text="The member's id."
    )


class MemberSerializer(serializers.ModelSerializer[Member]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    county = serializers.CharField(source="county.name", read_only=True)
    payer = serializers.CharField(source="payer.short_name", read_only=True)
    managing_organization = serializers.CharField(
        source="managing_organization.name", read_only=True
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "medicaid_id",
            "first_name",
            "last_name",
            "birth_date",
            "county",
            "payer",
            "managing_organization",
            "updated_at",
        ]
        read_only_fields = fields


class ProviderSiteSerializer(serializers.ModelSerializer[ProviderSite]):
    name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ProviderSite
        fields = ["slug", "name"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = member_id_field()
    provider = ProviderSiteSerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "member",
            "provider",
            "status",
            "referred_on",
            "responded_at",
            "updated_at",
        ]
        read_only_fields = fields


class VoidedAchievementSerializer(serializers.ModelSerializer[MilestoneAchievement]):
    class Meta:
        model = MilestoneAchievement
        fields = ["achieved_on", "voided_at", "void_reason"]
        read_only_fields = fields


def _active_achievement(line: MilestoneAuthorization) -> MilestoneAchievement | None:
    # From the prefetched achievements: at most one is not voided.
    return next((a for a in line.achievements.all() if not a.is_voided), None)


class MilestoneLineSerializer(serializers.ModelSerializer[MilestoneAuthorization]):
    code = serializers.CharField(read_only=True, help_text="T2018")
    modifier = serializers.CharField(
        read_only=True, help_text="U3 to U6; the 90-day milestone is always U6."
    )
    status = serializers.SerializerMethodField()
    achieved_on = serializers.SerializerMethodField(
        help_text="The achievement in force, or null."
    )
    voided_achievements = serializers.SerializerMethodField(
        help_text="Entries voided with a reason, oldest first; they stay."
    )

    class Meta:
        model = MilestoneAuthorization
        fields = [
            "milestone",
            "code",
            "modifier",
            "window_begins_on",
            "window_ends_on",
            "units",
            "rate",
            "authorization_number",
            "status",
            "achieved_on",
            "voided_achievements",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=LINE_STATUSES))
    def get_status(self, line: MilestoneAuthorization) -> str:
        achievement = _active_achievement(line)
        if achievement is None:
            return "authorized"
        return "achieved" if achievement.is_billable else "outside_window"

    def get_achieved_on(self, line: MilestoneAuthorization) -> datetime.date | None:
        achievement = _active_achievement(line)
        return achievement.achieved_on if achievement else None

    @extend_schema_field(VoidedAchievementSerializer(many=True))
    def get_voided_achievements(
        self, line: MilestoneAuthorization
    ) -> list[dict[str, Any]]:
        voided = [a for a in line.achievements.all() if a.is_voided]
        voided.sort(key=lambda a: a.recorded_at)
        return list(VoidedAchievementSerializer(voided, many=True).data)


class AuthorizationRoundSerializer(serializers.ModelSerializer[AuthorizationRound]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = member_id_field()
    provider = serializers.CharField(
        source="episode.provider.slug",
        read_only=True,
        help_text="The slug of the provider site of the round's time in IPS.",
    )
    payer = serializers.CharField(source="payer.short_name", read_only=True)
    status = serializers.SerializerMethodField()
    milestones = MilestoneLineSerializer(source="lines", many=True, read_only=True)

    class Meta:
        model = AuthorizationRound
        fields = [
            "id",
            "member",
            "provider",
            "payer",
            "authorized_on",
            "plan_dated_on",
            "plan_reference",
            "status",
            "voided_at",
            "void_reason",
            "changed_at",
            "milestones",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=ROUND_STATUSES))
    def get_status(self, authorization: AuthorizationRound) -> str:
        return "voided" if authorization.is_voided else "active"


class JobSerializer(serializers.ModelSerializer[Job]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = member_id_field()
    is_competitive = serializers.BooleanField(
        read_only=True, help_text="Paid at least Iowa's minimum wage."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "member",
            "employer",
            "title",
            "first_day_on",
            "day_45_on",
            "day_90_on",
            "hours_per_week",
            "hourly_wage",
            "ended_on",
            "is_competitive",
            "updated_at",
        ]
        read_only_fields = fields


class JobEndSerializer(serializers.ModelSerializer[JobEnd]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    job = serializers.UUIDField(source="job.public_id", read_only=True)
    member = member_id_field("job.member.public_id")
    form_completed = serializers.BooleanField(
        source="is_form_complete",
        read_only=True,
        help_text="Whether the Iowa job-end form is filled in.",
    )
    next_step = serializers.SerializerMethodField(
        help_text="What the team chose after the job end; null until chosen."
    )

    class Meta:
        model = JobEnd
        fields = [
            "id",
            "job",
            "member",
            "ended_on",
            "how_ended",
            "form_completed",
            "form_completed_at",
            "next_step",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "string",
            "enum": list(JobEnd.NextStep.values),
            "nullable": True,
        }
    )
    def get_next_step(self, job_end: JobEnd) -> str | None:
        return job_end.next_step or None


class CoachingPeriodSerializer(serializers.ModelSerializer[CoachingPeriod]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = member_id_field()
    provider = serializers.CharField(source="episode.provider.slug", read_only=True)
    payer = serializers.CharField(source="payer.short_name", read_only=True)
    code = serializers.SerializerMethodField(help_text="H2025")
    modifier = serializers.SerializerMethodField(help_text="The tier's modifier.")

    class Meta:
        model = CoachingPeriod
        fields = [
            "id",
            "member",
            "provider",
            "payer",
            "tier",
            "code",
            "modifier",
            "tier_5_hours",
            "begins_on",
            "ends_on",
            "authorization_number",
            "rate",
            "authorized_on",
            "updated_at",
        ]
        read_only_fields = fields

    def get_code(self, period: CoachingPeriod) -> str:
        return TIER_SERVICES[period.tier].code

    def get_modifier(self, period: CoachingPeriod) -> str:
        return TIER_SERVICES[period.tier].modifier


class CoachingMonthSerializer(serializers.Serializer[Any]):
    """One member's coaching in one month, by the tier rules (coaching.rules)."""

    member = serializers.UUIDField(help_text="The member's id.")
    month = serializers.CharField(help_text="YYYY-MM")
    minutes = serializers.IntegerField(
        help_text="Minutes on days with a coaching authorization in force."
    )
    hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        help_text="Those minutes in whole quarter hours, rounded down.",
    )
    contacts = serializers.IntegerField()
    earned_tier = serializers.IntegerField(allow_null=True)
    authorized_tier = serializers.IntegerField(allow_null=True)
    billable_tier = serializers.IntegerField(
        allow_null=True,
        help_text="The lower of the earned and authorized tiers; null when "
        "nothing is billable, or when no fee schedule was in force for the month.",
    )
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    authorization_number = serializers.CharField(
        help_text="Of the period in force on the month's last counted contact."
    )


class FlagSerializer(serializers.ModelSerializer[Flag]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    member = serializers.UUIDField(
        source="member.public_id",
        read_only=True,
        allow_null=True,
        help_text="The member's id; null for flags about a caseload.",
    )

    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "qualifier",
            "member",
            "due_on",
            "severity",
            "status",
            "opened_at",
            "changed_at",
        ]
        read_only_fields = fields
