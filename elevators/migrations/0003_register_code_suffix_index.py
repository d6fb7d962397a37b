"""An index on the reversed register code, so that "the code ends with …" is an index probe (PostgreSQL)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS elev_register_reversed ON elevators_elevator "
            "(reverse(register_code) text_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS elev_register_reversed")


class Migration(migrations.Migration):
    dependencies = [("elevators", "0002_trigram_search")]
    operations = [migrations.RunPython(forwards, backwards)]
