"""Celery tasks of the imports app (the embedded mode runs the same function in a thread instead)."""

from celery import shared_task

from core import background

from . import services


@shared_task(name="imports.run_import", ignore_result=True)
def run_import(job_id: int) -> None:
    background.relax_shared_cache_locks()  # a no-op but for the in-memory SQLite of the tests
    services.run_job(job_id)
