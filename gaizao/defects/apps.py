from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefectsConfig(AppConfig):
    """Defects in accepted work (质量缺陷报修): within the warranty to the contractor, after it to the management."""

    name = "gaizao.defects"
    label = "defects"
    verbose_name = _("Defects")

    def ready(self):
        from gaizao.core import stamps
        from gaizao.defects import bulletin

        stamps.watch(bulletin.STAMP, *bulletin.watched_models())
        from gaizao.residents.portal import add_section

        add_section("defects", order=45, template="defects/_home_section.html")
