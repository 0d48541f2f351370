"""Writes for member records."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from access.policy import Action, require, scope_members
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from members.models import Member
from members.rules import medicaid_id_is_valid, medicaid_id_normalize

MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "county",
    "payer",
    "case_manager",
    "diagnosis_category",
    "medicaid_id",
    "ivrs_counselor_name",
    "ivrs_counselor_phone",
    "ivrs_counselor_email",
    "benefits_planning",
    "benefits_planning_on",
)


class PossibleDuplicate(Exception):
    """Members with the same name and birth date exist; ask before saving."""

    def __init__(self, matches: list[Member]) -> None:
        super().__init__("Possible duplicate member")
        self.matches = matches


def medicaid_id_clean(raw: str | None, *, payer: Any) -> str | None:
    """Return the Medicaid ID to store, or raise a field error.

    Seven digits and a letter, upper-cased. Required when the payer is
    Medicaid (IME or an MCO), optional otherwise.
    """
    normalized = medicaid_id_normalize(raw or "")
    if not normalized:
        if payer is not None and payer.is_medicaid:
            raise ValidationError(
                {"medicaid_id": "A Medicaid ID is required for IME and MCO members."}
            )
        return None
    if not medicaid_id_is_valid(normalized):
        raise ValidationError(
            {
                "medicaid_id": "A Medicaid ID is seven digits and a letter, "
                "like 1234567A."
            }
        )
    return normalized


def possible_duplicates(
    actor: User, data: dict[str, Any], exclude: Member | None
) -> list[Member]:
    """Members the actor can see with the same name and birth date.

    Only the actor's own scope is searched: whether someone elsewhere shares
    a name and birth date is not theirs to learn.
    """
    matches = scope_members(actor, Member.objects.all()).filter(
        first_name__iexact=data["first_name"].strip(),
        last_name__iexact=data["last_name"].strip(),
        birth_date=data["birth_date"],
    )
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    return list(matches[:5])


def _apply(actor: User, member: Member, data: dict[str, Any]) -> None:
    born = data.get("birth_date")
    if born is not None and born > iowa_today():
        raise ValidationError(
            {"birth_date": "The date of birth cannot be in the future."}
        )
    planned_on = data.get("benefits_planning_on")
    if (
        planned_on is not None
        and data.get("benefits_planning") == Member.BenefitsPlanning.COMPLETED
        and planned_on > iowa_today()
    ):
        raise ValidationError(
            {
                "benefits_planning_on": "Completed benefits planning cannot be dated "
                "in the future; choose Scheduled."
            }
        )
    data = {
        **data,
        "medicaid_id": medicaid_id_clean(data.get("medicaid_id"), payer=data["payer"]),
    }
    for field in MEMBER_FIELDS:
        if field in data:
            value = data[field]
            setattr(member, field, value.strip() if isinstance(value, str) else value)

    case_manager = data.get("case_manager")
    if case_manager is not None and (
        case_manager.organization_id != actor.organization_id
        or case_manager.role != User.Role.CASE_MANAGER
    ):
        raise ValidationError(
            {"case_manager": "Choose a case manager in your own organization."}
        )
    if member.medicaid_id and (
        Member.objects.filter(medicaid_id=member.medicaid_id)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(
            {"medicaid_id": "This Medicaid ID is already recorded for another member."}
        )


def _save(actor: User, member: Member) -> None:
    try:
        with transaction.atomic():
            attribute_to(member, actor).save()
    except IntegrityError as error:
        # Lost a race with another save of the same Medicaid ID.
        raise ValidationError(
            {"medicaid_id": "This Medicaid ID is already recorded for another member."}
        ) from error


@transaction.atomic
def member_create(
    *, actor: User, data: dict[str, Any], duplicate_seen: bool = False
) -> Member:
    """Add a member to the actor's organization.

    The managing organization is the actor's own: it is recorded, never
    guessed from the payer. Raises PossibleDuplicate when the actor can
    already see a member with the same name and birth date, unless
    ``duplicate_seen``.
    """
    require(actor, Action.EDIT_MEMBER)
    member = Member(managing_organization=actor.organization)
    _apply(actor, member, data)
    if not duplicate_seen:
        matches = possible_duplicates(actor, data, exclude=None)
        if matches:
            raise PossibleDuplicate(matches)
    _save(actor, member)
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, data: dict[str, Any]) -> Member:
    """Change a member's record; history keeps who changed what, and when."""
    require(actor, Action.EDIT_MEMBER)
    member = Member.objects.select_for_update().get(pk=member.pk)
    _apply(actor, member, data)
    _save(actor, member)
    return member
