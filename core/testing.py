"""Test-only helpers (referenced from config.settings_test)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still Argon2 (the hashes say so), with a cost that keeps the test suite quick."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
