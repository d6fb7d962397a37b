"""Celery application: Redis in production, eager (in-process) in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("elevator_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
