import datetime
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    from gaizao.catalog.seed import COSTS_FROM, ITEMS

    WorkItem = apps.get_model("catalog", "WorkItem")
    UnitCost = apps.get_model("catalog", "UnitCost")
    valid_from = datetime.date.fromisoformat(COSTS_FROM)
    for code, name, tier, group, unit, rule, after_basic, yuan in ITEMS:
        item, created = WorkItem.objects.get_or_create(code=code, defaults={
            "name": name, "tier": tier, "content_group": group, "unit": unit, "quantity_rule": rule,
            "after_basic": after_basic})
        if created:
            UnitCost.objects.create(item=item, valid_from=valid_from, yuan=Decimal(yuan))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
