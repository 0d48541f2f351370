"""What the API shows of each record: named fields only, nothing diagnostic."""

from rest_framework import serializers

from members.models import Member


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
