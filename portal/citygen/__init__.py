"""City-scale data generator (`manage.py generate_city`): a realistic city of elevators on top of what exists.

It creates maintenance companies (about one per 300 elevators), use units (about one per 25 elevators), a dozen
manufacturers, sites (residential estates, office towers, malls, hospitals, hotels, low-rise buildings) and their
elevators with components and landing doors. Everything is drawn from a `random.Random` seeded with `--seed` and the
number of elevators already in the city, so a run is reproducible and a second run adds new, non-clashing rows.

Generated organisations are recognisable by their credit code: `91` + district code + `GC` + a kind letter
(M maintenance company, U use unit, F manufacturer) + a six-digit serial + the GB 32100 check character.

PostgreSQL gets COPY (psycopg 3) for elevators, components and landing doors, with elevator ids reserved from the
sequence first; other databases get `bulk_create` in batches. Bulk paths bypass `save()`, so `city_id` and
`expires_on` are computed here.

The package: `profiles` (what differs between cities), `words` (the vocabulary of names), `generator` (the
seeded draws: organisations, sites, parameters), `city` (`generate_city`: what a run adds, row by row) and
`writers` (COPY on PostgreSQL, `bulk_create` elsewhere).
"""

from .city import generate_city
from .generator import GenerationResult, generated_organizations
from .profiles import CityProfile, profile_for

__all__ = ["CityProfile", "GenerationResult", "generate_city", "generated_organizations", "profile_for"]
