from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Residents' feedback (诉求): routed to whoever is responsible, answered by a due date, closed by the resident."""

    name = "gaizao.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from gaizao.core import stamps
        from gaizao.feedback import services

        stamps.watch(services.FIGURES_STAMP, *services.figures_models())
        from gaizao.residents.portal import add_section

        add_section("feedback", order=40, template="feedback/_home_section.html")
