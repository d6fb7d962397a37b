from django.core.management.base import BaseCommand

from portal.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo organisations and accounts (idempotent)."

    def handle(self, *args, **options):
        rows = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo accounts (username / password / organisation):"))
        for username, password, org in rows:
            self.stdout.write(f"  {username:<14} {password:<10} {org}")
