"""manage.py send_alerts: the daily escalation of overdue maintenance and the email digest of new red warnings."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from alerts.escalation import daily


class Command(BaseCommand):
    help = (
        "Escalate overdue maintenance plans (1, 3 and 7 days overdue: the company's administrators, then the use "
        "unit, then the district bureau) and email each unit's administrators the new red warnings. Each recipient "
        "is told once per plan and step; tell the other warnings (inspections, components …) at their lead times and "
        "once overdue, once per due date and stage; so it is safe to run again; run it daily (Celery beat runs it "
        "at 07:00)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to escalate for (YYYY-MM-DD; default: today)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        counts = daily(today)
        self.stdout.write(
            f"{counts['notifications']} notification(s) sent "
            f"(overdue visits step 1: {counts['step_1']}, step 2: {counts['step_2']}, step 3: {counts['step_3']}; "
            f"other warnings: {counts['notices']}), "
            f"{counts['emails']} email(s) sent"
        )
