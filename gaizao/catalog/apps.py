from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_if_empty(sender, using, apps=global_apps, **kwargs):
    """The shipped catalogue comes from a data migration; ``flush`` empties every table and then sends
    post_migrate, so put the catalogue back when it is empty (tests that flush leave it as a fresh database has
    it). A catalogue with items, edited or not, is left alone. ``migrate`` passes its models, ``flush`` none."""
    from gaizao.catalog.seed import seed

    work_item = apps.get_model("catalog", "WorkItem")
    if work_item._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the catalogue
    if not work_item.objects.using(using).exists():
        seed(work_item, apps.get_model("catalog", "UnitCost"), using=using)


class CatalogConfig(AppConfig):
    name = "gaizao.catalog"
    label = "catalog"
    verbose_name = _("Work-item catalog")

    def ready(self):
        post_migrate.connect(seed_if_empty, sender=self, dispatch_uid="gaizao.catalog.seed_if_empty")
