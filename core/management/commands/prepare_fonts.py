import time

from django.core.management.base import BaseCommand

from core.fonts import chinese_font_path


class Command(BaseCommand):
    help = "Convert the Chinese PDF font to TrueType once (cached under var/fonts)."

    def handle(self, *args, **options):
        started = time.monotonic()
        path = chinese_font_path()
        self.stdout.write(f"Chinese PDF font ready: {path} ({time.monotonic() - started:.1f} s)")
