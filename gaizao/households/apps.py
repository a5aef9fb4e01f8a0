from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    """The households register (户籍): dwellings, owners, residents' committees, one-time access codes."""

    name = "gaizao.households"
    label = "households"
    verbose_name = _("Households register")
