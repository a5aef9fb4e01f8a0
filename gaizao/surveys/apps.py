from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _home_section(household) -> dict:
    from gaizao.surveys.models import SurveyResponse
    from gaizao.surveys.services import open_surveys

    open_list = list(open_surveys(household.building.community))
    answered = set(SurveyResponse.objects.filter(household=household, survey__in=open_list)
                   .values_list("survey_id", flat=True))
    return {"surveys": [(survey, survey.pk in answered) for survey in open_list]}


class SurveysConfig(AppConfig):
    """Needs (问需) and satisfaction (问效) surveys of residents."""

    name = "gaizao.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from gaizao.residents.portal import add_section

        add_section("surveys", order=20, template="surveys/_home_section.html", context=_home_section)
