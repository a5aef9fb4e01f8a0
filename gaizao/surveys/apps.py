from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.planning.need import Evidence


def _home_section(household) -> dict:
    from gaizao.surveys.models import SurveyResponse
    from gaizao.surveys.services import open_surveys

    open_list = list(open_surveys(household.building.community))
    answered = set(SurveyResponse.objects.filter(household=household, survey__in=open_list)
                   .values_list("survey_id", flat=True))
    return {"surveys": [(survey, survey.pk in answered) for survey in open_list]}


def _needs_survey_support(community_ids) -> dict:
    """The latest needs survey of each community with answers: the share of its households that answered."""
    from django.db.models import Count

    from gaizao.core.formatting import date
    from gaizao.households.models import Household
    from gaizao.surveys.models import Survey

    households = dict(Household.objects.filter(building__community_id__in=community_ids)
                      .values_list("building__community_id").annotate(n=Count("pk")))
    found = {}
    for survey in (Survey.objects.filter(community_id__in=community_ids, kind=Survey.Kind.NEEDS)
                   .annotate(answers=Count("responses")).filter(answers__gt=0)
                   .order_by("community_id", "-opens_at", "-pk")):
        if survey.community_id in found or not households.get(survey.community_id):
            continue
        share = min(1.0, survey.answers / households[survey.community_id])
        found[survey.community_id] = Evidence(share, _("needs survey “%(title)s” (%(date)s): %(share).0f%% of the "
                                                       "households answered") % {
            "title": survey.title, "date": date(survey.opens_at), "share": 100 * share})
    return found


def _residents_needs(community) -> dict | None:
    """The ranking of the latest needs survey with answers, most asked-for first."""
    from gaizao.surveys.services import needs_ranking

    ranking = needs_ranking(community)
    if ranking.survey is None or not ranking.responses:
        return None
    return {"title": ranking.survey.title, "date": ranking.survey.opens_at, "responses": ranking.responses,
            "households": ranking.households,
            "rows": [{"code": r.code, "name": r.name, "count": r.count,
                      "share": r.count / ranking.responses} for r in ranking.by_count]}


class SurveysConfig(AppConfig):
    """Needs (问需) and satisfaction (问效) surveys of residents."""

    name = "gaizao.surveys"
    label = "surveys"
    verbose_name = gettext_lazy("Surveys")

    def ready(self):
        from gaizao.residents.portal import add_section

        add_section("surveys", order=20, template="surveys/_home_section.html", context=_home_section)
        from gaizao.planning.need import add_support_source

        add_support_source("needs_survey", _needs_survey_support)
        from gaizao.planning.need import add_needs_source

        add_needs_source(_residents_needs)
