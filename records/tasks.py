"""Celery tasks of 维保纪录 (scheduled by CELERY_BEAT_SCHEDULE in config/settings.py)."""

from celery import shared_task


@shared_task(name="records.notify_unconfirmed", ignore_result=True)
def notify_unconfirmed() -> int:
    from .notices import notify_unconfirmed as run

    return run()
