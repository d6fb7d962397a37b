"""Celery tasks of the portal (scheduled by CELERY_BEAT_SCHEDULE in config/settings.py)."""

from celery import shared_task


@shared_task(name="portal.refresh_dashboards", ignore_result=True)
def refresh_dashboards() -> int:
    from .dashboard import refresh_bureau_figures

    return refresh_bureau_figures()
