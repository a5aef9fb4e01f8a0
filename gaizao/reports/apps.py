from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gaizao.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from gaizao.core import stamps
        from gaizao.reports import services

        stamps.watch(services.STAMP, *services.watched_models())
