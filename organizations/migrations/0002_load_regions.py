from django.db import migrations


def load(apps, schema_editor):
    from organizations.region_data import load_regions

    load_regions(apps.get_model("organizations", "Region"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
