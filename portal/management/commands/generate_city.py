"""generate_city: a realistic city of elevators (companies, use units, buildings, components, landing doors)."""

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Region
from portal.citygen import generate_city


class Command(BaseCommand):
    help = "Add N generated elevators (with the organisations, components and landing doors they need) to a city."

    def add_arguments(self, parser):
        parser.add_argument("--elevators", type=int, required=True, help="how many elevators to add")
        parser.add_argument("--city", default="500000", help="city region code (500000 重庆市, 440300 深圳市)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (mixed with the current city size)")
        parser.add_argument("--batch", type=int, default=5000, help="elevators per COPY/bulk_create transaction")

    def handle(self, *args, elevators, city, seed, batch, **options):
        if elevators < 0:
            raise CommandError("--elevators must be zero or more")
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        if not Region.objects.filter(code=city, level="city").exists():
            raise CommandError(f"no city with region code {city} (are the regions loaded? run migrate)")

        def log(message):
            self.stdout.write(message)
            self.stdout.flush()

        try:
            generate_city(elevators, city_code=city, seed=seed, batch=batch, log=log)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
