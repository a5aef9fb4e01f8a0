from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SHOWN_ON_HOME = 10


def _home_section(household) -> dict:
    from gaizao.notices.services import for_community

    return {"notices": list(for_community(household.building.community)[:SHOWN_ON_HOME])}


class NoticesConfig(AppConfig):
    """Notices to a community, a sub-district or the district, from seasonal templates."""

    name = "gaizao.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from gaizao.residents.portal import add_section

        add_section("notices", order=30, template="notices/_home_section.html", context=_home_section)
