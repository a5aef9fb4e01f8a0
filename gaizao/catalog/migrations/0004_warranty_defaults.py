from django.db import migrations


def set_defaults(apps, schema_editor):
    """Art. 40's periods on the catalogue as it is: the shipped items by code, a district's own by their names."""
    from gaizao.catalog.seed import default_warranty

    work_item = apps.get_model("catalog", "WorkItem")
    for item in work_item.objects.using(schema_editor.connection.alias).all():
        item.warranty_kind, item.warranty_number = default_warranty(item.code, item.name)
        item.save(update_fields=["warranty_kind", "warranty_number"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_work_item_warranty")]
    operations = [migrations.RunPython(set_defaults, migrations.RunPython.noop)]
