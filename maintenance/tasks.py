"""Celery tasks of 无纸化维保 (the embedded mode runs the same functions in a thread instead)."""

from celery import shared_task

from core import background


@shared_task(name="maintenance.run_plan_job", ignore_result=True)
def run_plan_job(job_id: int) -> None:
    from .services.plans import run_job

    background.relax_shared_cache_locks()  # a no-op but for the in-memory SQLite of the tests
    run_job(job_id)
