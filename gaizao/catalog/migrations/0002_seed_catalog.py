from django.db import migrations


def seed(apps, schema_editor):
    from gaizao.catalog.seed import seed as seed_items

    seed_items(apps.get_model("catalog", "WorkItem"), apps.get_model("catalog", "UnitCost"),
               using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
