"""Celery tasks of the dashboards: keeping the coaching summaries current."""

from celery import shared_task

from dashboards.rollups import coaching_months_refresh


@shared_task(name="dashboards.refresh_coaching_months")
def refresh_coaching_months(changed_only: bool = True) -> int:
    """Refresh the coaching summaries: the changes, or everything."""
    return coaching_months_refresh(changed_only=changed_only)
