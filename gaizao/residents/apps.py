from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    """The residents' phone pages under /r/: identifying with a one-time code, the resident layout, home."""

    name = "gaizao.residents"
    label = "residents"
    verbose_name = _("Residents' pages")
