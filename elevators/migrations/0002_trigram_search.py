"""Trigram indexes so that a text search by register code or building stays fast at city scale (PostgreSQL)."""

from django.db import migrations

INDEXES = {
    "elev_register_trgm": "register_code",
    "elev_building_trgm": "building",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON elevators_elevator USING gin ({column} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("elevators", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
