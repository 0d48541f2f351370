"""Writes for jobs."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from access.policy import Action, require_action_on_member
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from flags.queue import member_flags_refresh
from jobs.models import Job
from jobs.rules import HIGHEST_HOURLY_WAGE, MOST_HOURS_PER_WEEK, is_competitive_wage
from members.models import Member
from milestones.services import rounds_touch

# A job may be recorded before it starts, but not this far ahead.
FURTHEST_FIRST_DAY = datetime.timedelta(days=365)


class BelowMinimumWage(Exception):
    """The wage is under Iowa's minimum: ask before recording the job."""


@transaction.atomic
def job_record(
    *,
    actor: User,
    member: Member,
    employer: str,
    title: str,
    first_day_on: datetime.date,
    hours_per_week: Decimal,
    hourly_wage: Decimal,
    below_minimum_seen: bool = False,
) -> Job:
    """Record a job the member has started or is about to start.

    Needs the member's open episode. A member may hold several jobs at once.
    A wage under Iowa's minimum is not competitive employment: the service
    raises BelowMinimumWage unless ``below_minimum_seen``. The caller has
    checked that the member is in the actor's scope.
    """
    require_action_on_member(actor, Action.LOG_SERVICES, member)
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError("Jobs are recorded while the member is in IPS.")

    errors = {}
    if not Decimal("0") < hours_per_week <= MOST_HOURS_PER_WEEK:
        errors["hours_per_week"] = (
            f"Hours per week are more than 0 and at most {MOST_HOURS_PER_WEEK:.0f}."
        )
    if not Decimal("0") < hourly_wage <= HIGHEST_HOURLY_WAGE:
        errors["hourly_wage"] = (
            f"An hourly wage is more than $0 and at most ${HIGHEST_HOURLY_WAGE:.0f}."
        )
    if first_day_on < episode.opened_on:
        errors["first_day_on"] = (
            "The first day cannot be before the member joined IPS "
            f"({episode.opened_on:%m/%d/%Y})."
        )
    elif first_day_on > iowa_today() + FURTHEST_FIRST_DAY:
        errors["first_day_on"] = (
            "A first day more than a year away is likely a typing mistake."
        )
    if errors:
        raise ValidationError(errors)
    if not is_competitive_wage(hourly_wage) and not below_minimum_seen:
        raise BelowMinimumWage

    job = Job(
        member=member,
        episode=episode,
        employer=employer.strip(),
        title=title.strip(),
        first_day_on=first_day_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        recorded_by=actor,
    )
    attribute_to(job, actor).save()
    # A job counts as a change of its episode's rounds, for API clients.
    rounds_touch(episode_ids=[episode.pk])
    member_flags_refresh(member.pk)
    return job
