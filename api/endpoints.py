"""The API's resources. Each list is scoped by the access policy first."""

from typing import Any

from django.db.models import QuerySet

from access.policy import scope_members
from api.filters import MemberFilter
from api.serializers import MemberSerializer
from api.views import SyncViewSet
from members.models import Member


class MemberViewSet(SyncViewSet):
    """Members in the caller's scope: ids, name, birth date, county, payer."""

    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    member_path = "pk"

    def scoped_queryset(self) -> QuerySet[Any]:
        return scope_members(self.request.user, Member.objects.all()).select_related(
            "county", "payer", "managing_organization"
        )
