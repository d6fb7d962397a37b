"""manage.py refresh_dashboards: compute every bureau's home-page figures into the cache, ahead of its readers."""

from django.core.management.base import BaseCommand

from portal.dashboard import refresh_bureau_figures


class Command(BaseCommand):
    help = (
        "Compute every active bureau's compliance table and warning counts into the cache (they are cached five "
        "minutes), so no one waits for a city's numbers; run it every four minutes (Celery beat does in production)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh_bureau_figures()} bureau(s) refreshed")
