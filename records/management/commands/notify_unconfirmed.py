"""manage.py notify_unconfirmed: tell each company of its records still not confirmed 24 hours after the visit."""

from django.core.management.base import BaseCommand

from records.notices import notify_unconfirmed


class Command(BaseCommand):
    help = (
        "Notify the maintenance companies of records finished more than 24 hours ago and still not confirmed by the "
        "use unit, once per record (safe to run as often as you like; Celery beat runs it hourly)."
    )

    def handle(self, *args, **options):
        sent = notify_unconfirmed()
        self.stdout.write(f"{sent} notification(s) sent")
