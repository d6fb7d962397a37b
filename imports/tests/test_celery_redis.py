"""Production's path for background work: an import queued on Redis and run by a real Celery worker."""

import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import override_settings

from conftest import service_unavailable
from core import background
from core.health_checks import redis_up
from core.uploads import validate_xlsx
from imports import services
from imports.models import ImportJob
from tests.importing import HEADER, good, template_row, xlsx

BROKER = "redis://127.0.0.1:6379/13"


@pytest.mark.service
@pytest.mark.django_db(transaction=True)
def test_an_import_is_queued_on_redis_and_run_by_a_celery_worker(world):
    if not redis_up():
        service_unavailable("Redis is not running on 127.0.0.1:6379")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    keys = ("broker_url", "task_always_eager", "result_backend", "task_default_queue")
    saved = {key: app.conf.get(key) for key in keys}
    # a queue of its own, so that no other test run's worker takes the job
    app.conf.update(
        broker_url=BROKER, task_always_eager=False, result_backend=None, task_default_queue=f"test-{uuid.uuid4().hex}"
    )
    content = xlsx(HEADER, [template_row(**good(world, 1)), template_row(**good(world, 2, 层数="x"))])
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False), start_worker(app, perform_ping_check=False):
            background.relax_shared_cache_locks()
            checked = validate_xlsx(SimpleUploadedFile("台账.xlsx", content))
            job = services.create_job(kind="elevators", user=world.admin_a, checked=checked)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    job.refresh_from_db()
                except OperationalError:  # SQLite's shared in-memory test database: the worker holds a lock
                    pass
                if job.status in ("done", "failed"):
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(saved)
    assert job.status == "done", job.error
    assert (job.accepted_rows, job.rejected_rows) == (1, 1)
    assert ImportJob.objects.get(pk=job.pk).report[0]["row"] == 3
