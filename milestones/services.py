"""Writes for milestone authorization rounds."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from access.policy import Action, require
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from members.models import Member
from milestones.models import AuthorizationRound, MilestoneAuthorization
from milestones.rules import (
    MILESTONE_SERVICES,
    CapRisk,
    Window,
    months_at_risk_of_cap,
    window_order_problems,
)
from milestones.selectors import cap_lines_for_member
from payers.models import Payer
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
    require(actor, Action.AUTHORIZE_SERVICES)
    Member.objects.select_for_update().get(pk=member.pk)
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError(
            "Milestones are authorized once a provider has accepted the "
            "member's referral."
        )

    _check_lines(episode, lines)
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
        risks = months_at_risk_of_cap(cap_lines_for_member(member) + proposed)
        if risks:
            raise CapWarning(risks)

    authorization = AuthorizationRound(
        member=member,
        episode=episode,
        payer=payer,
        authorized_on=authorized_on,
        plan_dated_on=plan_dated_on,
        plan_reference=plan_reference.strip(),
        authorized_by=actor,
    )
    attribute_to(authorization, actor).save()
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
    return authorization


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
