"""manage.py verify_records [--company ID]: check the sealed records' hash chains and their stored files."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from organizations.models import Organization
from records.models import MaintenanceRecord
from records.seal import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chains of sealed maintenance records (TSG T5002 art. 10); exit status 1 on any problem."

    def add_arguments(self, parser):
        parser.add_argument("--company", type=int, help="only this maintenance company's chain (organization id)")
        parser.add_argument(
            "--skip-files", action="store_true", help="do not re-read photos, selfies and signatures from storage"
        )

    def handle(self, *args, company=None, skip_files=False, **options):
        records = MaintenanceRecord._base_manager.filter(chain_index__isnull=False)
        if company is not None:
            if not Organization._base_manager.filter(pk=company).exists():
                raise CommandError(f"company {company} does not exist")
            records = records.filter(organization_id=company)
        counts = records.aggregate(records=Count("pk"), chains=Count("organization_id", distinct=True))
        problems = verify_chain(company, check_files=not skip_files)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            bad = len({p.record_id for p in problems})
            raise CommandError(
                f"{len(problems)} problem(s) in {bad} record(s); {counts['records']} records in "
                f"{counts['chains']} chains checked"
            )
        self.stdout.write(f"{counts['records']} records in {counts['chains']} chains verified")
