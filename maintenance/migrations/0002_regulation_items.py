"""The TSG T5002-2017 items (annexes A–D, 257 rows) from maintenance/regulation.py."""

from django.db import migrations


def load(apps, schema_editor):
    from maintenance.regulation import load as load_items

    load_items(apps.get_model("maintenance", "MaintenanceItem"))


def unload(apps, schema_editor):
    apps.get_model("maintenance", "MaintenanceItem").objects.filter(organization__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
