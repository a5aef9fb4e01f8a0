from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """The joint meeting (联席会议): departments and utilities, their items, and the utilities' own pipeline work."""

    name = "gaizao.coordination"
    label = "coordination"
    verbose_name = _("Joint meeting")

    def ready(self):
        from gaizao.coordination import bulletin
        from gaizao.core import stamps

        stamps.watch(bulletin.STAMP, *bulletin.watched_models())
