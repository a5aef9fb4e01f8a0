from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gaizao.rollup"
    verbose_name = _("Roll-up")
