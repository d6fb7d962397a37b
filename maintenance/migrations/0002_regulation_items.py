"""The TSG T5002-2017 items (annexes A–D, 257 rows) from maintenance/regulation.py."""

from django.db import migrations

RANK = {1: "half_month", 2: "quarter", 3: "half_year", 4: "annual"}


def load(apps, schema_editor):
    from maintenance.regulation import ITEMS

    MaintenanceItem = apps.get_model("maintenance", "MaintenanceItem")
    existing = set(MaintenanceItem.objects.filter(organization__isnull=True).values_list("annex", "code"))
    MaintenanceItem.objects.bulk_create(
        [
            MaintenanceItem(
                organization=None,
                annex=annex,
                cycle=RANK[table],
                cycle_rank=table,
                number=number,
                code=code,
                part=part,
                requirement=requirement,
                judgement=judgement,
                lower_limit=lower,
                upper_limit=upper,
                unit=unit,
                needs_photo=photo,
                condition=condition,
            )
            for code, annex, table, number, part, requirement, judgement, lower, upper, unit, photo, condition in ITEMS
            if (annex, code) not in existing
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("maintenance", "MaintenanceItem").objects.filter(organization__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
