"""Building blocks for milestone tests."""

import datetime
from typing import Any

from accounts.models import User
from jobends.models import TeamMeeting
from members.models import Member
from milestones.models import AuthorizationRound
from milestones.rules import Window, milestone_windows_propose
from milestones.services import MilestoneLineInput, authorization_round_create

IOWA_EXAMPLE = milestone_windows_propose(
    datetime.date(2026, 2, 1), datetime.date(2026, 4, 1)
)


def lines_for(
    windows: dict[int, Window], numbers: tuple[int, ...] = (1, 2, 3, 4)
) -> list[MilestoneLineInput]:
    return [
        MilestoneLineInput(
            milestone=n, window=windows[n], authorization_number=f"PA-2026-00{n}"
        )
        for n in numbers
    ]


def meeting_for(member: Member, met_on: datetime.date) -> TeamMeeting:
    """A team meeting in the member's open episode, as reauthorization needs."""
    episode = member.episodes.get(closed_on__isnull=True)
    return TeamMeeting.objects.create(
        member=member,
        episode=episode,
        reason=TeamMeeting.Reason.HOURS_CUT,
        met_on=met_on,
        lessons_learned="Evening shifts suit the member better.",
        next_steps="Look for a second part-time job.",
        recorded_by=episode.specialist,
    )


def authorize(
    actor: User,
    member: Member,
    windows: dict[int, Window] = IOWA_EXAMPLE,
    numbers: tuple[int, ...] = (1, 2, 3, 4),
    **overrides: Any,
) -> AuthorizationRound:
    """Authorize a round; a later round gets its team meeting unless given one."""
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "payer": member.payer,
        "authorized_on": datetime.date(2026, 1, 20),
        "plan_dated_on": datetime.date(2026, 1, 15),
        "plan_reference": "PCSP-DEMO-1",
        "lines": lines_for(windows, numbers),
    }
    arguments.update(overrides)
    is_later_round = AuthorizationRound.objects.filter(
        episode__member=member, episode__closed_on__isnull=True, voided_at__isnull=True
    ).exists()
    if is_later_round and "meeting" not in overrides:
        arguments["meeting"] = meeting_for(member, arguments["authorized_on"])
    return authorization_round_create(**arguments)
