"""Celery tasks of the dashboards: the coaching summaries, and PDF reports."""

from celery import shared_task

from dashboards.report import dashboard_report_store
from dashboards.rollups import coaching_months_refresh


@shared_task(name="dashboards.refresh_coaching_months")
def refresh_coaching_months(changed_only: bool = True) -> int:
    """Refresh the coaching summaries: the changes, or everything."""
    return coaching_months_refresh(changed_only=changed_only)


@shared_task(name="dashboards.render_report")
def render_report(user_id: int, filters: dict[str, str], report_id: str) -> str:
    """Render a dashboard report someone asked for; say how it stands."""
    return dashboard_report_store(user_id, filters, report_id).state
