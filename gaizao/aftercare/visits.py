"""Return visits (回访): residents are asked again, by themselves, some months after the acceptance.

Each accepted project gets, in each of its communities, one satisfaction survey per interval of the bureau's
settings (3 and 12 months by default). The survey is an ordinary one (`surveys.Survey`, kind satisfaction, about
the project), so residents answer it on their phones like any other and its answers count in the contractor's
record; a `ReturnVisit` row says which acceptance interval it stands for.

It opens at midnight of the acceptance date plus the interval (the platform's clock decides when that is) and
stays open `visit_open_days`. `ensure_return_visits()` creates what is missing and moves what nobody has answered
yet when an acceptance date is corrected or the intervals change; it is idempotent, and called when an acceptance
is saved (signal), by `gaizao return_visits`, by the settings page and by the demo.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gaizao.aftercare.models import AftercareSettings, ReturnVisit
from gaizao.core import clock, stamps
from gaizao.households.models import Household
from gaizao.surveys.models import Survey, SurveyResponse
from gaizao.surveys.services import BASIC, SATISFIED, Rates
from gaizao.works.models import Project

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (31 May + 3 → 31 August,
    30 November + 3 → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def visit_window(accepted: datetime.date, months: int, settings: AftercareSettings) -> tuple:
    """(opens, closes): from midnight of the day `months` after acceptance, for `visit_open_days` days."""
    opens = timezone.make_aware(datetime.datetime.combine(add_months(accepted, months), datetime.time.min))
    return opens, opens + datetime.timedelta(days=settings.visit_open_days)


def visit_title(community_name: str, months: int) -> str:
    """Stored with the survey, so written in the platform's language whoever's request scheduled it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return _("%(name)s: return visit %(months)s months after acceptance") % {"name": community_name,
                                                                                "months": months}


def on_acceptance_saved(sender, instance, raw=False, **kwargs):
    """post_save of works.Acceptance: schedule (or move) the project's return visits."""
    if raw:  # loading a fixture: the visits come with it
        return
    ensure_return_visits(projects=[instance.project_id])


@transaction.atomic
def ensure_return_visits(projects=None) -> dict:
    """Every accepted project's return visits exist, dated from its acceptance; unanswered ones follow a corrected
    date or changed intervals, and those no longer wanted (an interval dropped) are removed if still unopened.
    `projects`: ids or a queryset (None: every project). Returns counts: created, moved, removed."""
    settings = AftercareSettings.current()
    months_wanted = settings.visit_months
    links = Project.communities.through.objects.filter(project__acceptance__isnull=False)
    visits = ReturnVisit.objects.all()
    if projects is not None:
        links = links.filter(project__in=projects)
        visits = visits.filter(project__in=projects)
    wanted = {}
    for project_id, community_id, name, accepted in links.values_list(
            "project_id", "community_id", "community__name", "project__acceptance__date"):
        for months in months_wanted:
            wanted[(project_id, community_id, months)] = (name, *visit_window(accepted, months, settings))
    found = {(v.project_id, v.community_id, v.months): v
             for v in visits.select_related("survey").annotate(answers=Count("survey__responses"))}
    now = clock.now()
    moved, removed = [], []
    for key, visit in found.items():
        survey = visit.survey
        if visit.answers:
            continue  # answered: what residents said stays attached to the dates they said it on
        if key not in wanted:
            if survey.opens_at > now:
                removed.append(survey.pk)
            continue
        _name, opens, closes = wanted[key]
        if (survey.opens_at, survey.closes_at) != (opens, closes):
            survey.opens_at, survey.closes_at = opens, closes
            moved.append(survey)
    Survey.objects.bulk_update(moved, ["opens_at", "closes_at"])
    Survey.objects.filter(pk__in=removed).delete()  # its ReturnVisit goes with it
    missing = [(key, value) for key, value in wanted.items() if key not in found]
    surveys = Survey.objects.bulk_create([
        Survey(community_id=community_id, kind=Survey.Kind.SATISFACTION, title=visit_title(name, months)[:200],
               project_id=project_id, opens_at=opens, closes_at=closes)
        for (project_id, community_id, months), (name, opens, closes) in missing])
    ReturnVisit.objects.bulk_create([
        ReturnVisit(project_id=project_id, community_id=community_id, months=months, survey=survey)
        for ((project_id, community_id, months), _value), survey in zip(missing, surveys, strict=True)])
    if moved or surveys:
        stamps.changed(Survey)  # written in bulk: no signal tells the kept bulletin figures
    return {"created": len(surveys), "moved": len(moved), "removed": len(removed)}


# ---- results ---------------------------------------------------------------------------------------------------

@dataclass
class VisitResult:
    visit: ReturnVisit
    state: str
    households: int
    rates: Rates

    @property
    def responses(self) -> int:
        return self.rates.responses

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.households if self.households else None

    @property
    def overall(self):
        return self.rates.overall

    @property
    def opens_on(self) -> datetime.date:
        return timezone.localtime(self.visit.survey.opens_at).date()

    @property
    def last_day(self) -> datetime.date:
        """The last day residents can answer (it closes at the midnight after)."""
        return timezone.localtime(self.visit.survey.closes_at - datetime.timedelta(microseconds=1)).date()


def state_of(survey, now=None) -> str:
    now = now or clock.now()
    if survey.opens_at > now:
        return UPCOMING
    return OPEN if now < survey.closes_at else CLOSED


def visit_results(visits, now=None) -> list[VisitResult]:
    """Each visit with its state now (or at `now`), its answers and the households that could answer (three
    queries)."""
    visits = list(visits.select_related("survey", "community__subdistrict", "project__contractor"))
    answers = defaultdict(Rates)
    for survey_id, answer in SurveyResponse.objects.filter(survey__in=[v.survey_id for v in visits]).values_list(
            "survey_id", "answers"):
        answers[survey_id].add(answer)
    households = dict(Household.objects.filter(building__community__in={v.community_id for v in visits})
                      .values_list("building__community").annotate(n=Count("pk")).order_by())
    now = now or clock.now()
    return [VisitResult(v, state_of(v.survey, now), households.get(v.community_id, 0), answers[v.survey_id])
            for v in visits]


def visits_for(user):
    """The return visits a user may read: a contractor its company's, staff those of the communities they see."""
    visits = ReturnVisit.objects.all()
    if user.role == user.Role.CONTRACTOR:
        membership = getattr(user, "membership", None)
        return visits.filter(project__contractor_id=membership.company_id) if membership else visits.none()
    from gaizao.aftercare.services import communities_for

    return visits.filter(community__in=communities_for(user))


def return_visit_summary(day: datetime.date, communities=None, projects=None) -> dict:
    """For the bulletin: per interval, the visits opened by the day, the households they asked, the answers and
    the overall and management satisfaction rates, counted in the database (a bulletin of a province reads no
    answer). An answer counts from the day it was given (on the platform's clock)."""
    opened_by = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    visits = ReturnVisit.objects.filter(survey__opens_at__lt=opened_by)
    if communities is not None:
        visits = visits.filter(community__in=communities)
    if projects is not None:
        visits = visits.filter(project__in=projects)
    pairs = list(visits.values_list("months", "community_id"))
    households = dict(Household.objects.filter(building__community__in={c for _m, c in pairs})
                      .values_list("building__community").annotate(n=Count("pk")).order_by())
    good = [SATISFIED, BASIC]
    answers = {row["survey__return_visit__months"]: row for row in (
        SurveyResponse.objects.filter(survey__return_visit__in=visits, created_at__lt=opened_by)
        .values("survey__return_visit__months")
        .annotate(responses=Count("pk"), overall=Count("pk", filter=Q(answers__overall__in=good)),
                  management=Count("pk", filter=Q(answers__management__in=good))).order_by())}
    rows = []
    for months in sorted({m for m, _c in pairs}):
        asked = sum(households.get(c, 0) for m, c in pairs if m == months)
        found = answers.get(months, {"responses": 0, "overall": 0, "management": 0})
        responses = found["responses"]
        rows.append({"months": months, "visits": sum(1 for m, _c in pairs if m == months), "households": asked,
                     "responses": responses, "overall": _share(found["overall"], responses),
                     "management": _share(found["management"], responses),
                     "response_rate": responses / asked if asked else None})
    return {"rows": rows}


def _share(count: int, responses: int) -> Decimal | None:
    """As `surveys.services.Rates` writes a rate."""
    return (Decimal(count) / responses).quantize(Decimal("0.0001")) if responses else None
