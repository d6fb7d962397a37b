"""Celery tasks of 预警 (scheduled by CELERY_BEAT_SCHEDULE in config/settings.py)."""

from celery import shared_task


@shared_task(name="alerts.send_alerts", ignore_result=True)
def send_alerts() -> dict:
    from .escalation import daily

    return daily()
