"""Background jobs: a thread in the embedded mode (eager Celery), the Celery worker in production.

An app keeps its job model and runner; this module only starts the runner where it belongs and says so on
the job when it cannot (no thread, no broker), rather than answer 500.
"""

import logging
import threading

from django.conf import settings
from django.db import connection

__all__ = ["launch", "relax_shared_cache_locks"]

logger = logging.getLogger(__name__)


def launch(job_id: int, *, runner, task, fail) -> None:
    """Run `runner(job_id)` in a thread when Celery is eager, else queue `task.delay(job_id)`; `fail(job_id,
    exc)` records a start that could not happen."""
    try:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            relax_shared_cache_locks()
            name = f"{getattr(task, 'name', 'job')}-{job_id}"
            threading.Thread(target=_run_in_thread, args=(runner, job_id), name=name, daemon=True).start()
        else:
            task.delay(job_id)
    except Exception as exc:
        logger.exception("could not start background job %s", job_id)
        fail(job_id, exc)


def relax_shared_cache_locks() -> None:
    """Let this thread's connection read past the runner's table locks, on in-memory SQLite only.

    The in-memory SQLite database (the test database) is shared between threads through SQLite's shared
    cache, where a reader that meets another connection's table lock fails at once ("database table is
    locked") instead of waiting. The runner writes in its own thread while the pages poll its progress, so
    both sides read without table locks there. File databases (the embedded mode, WAL) and PostgreSQL wait
    for locks as usual and are left alone.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def _run_in_thread(runner, job_id: int) -> None:
    try:
        relax_shared_cache_locks()
        runner(job_id)
    finally:
        connection.close()
