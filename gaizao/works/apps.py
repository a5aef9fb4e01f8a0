from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "gaizao.works"
    label = "works"
    verbose_name = _("Construction")

    def ready(self):
        from gaizao.works import measures, structure

        measures.watch_items()
        structure.watch()
