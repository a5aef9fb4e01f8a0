"""Asking residents before (问需, needs) and after (问效, satisfaction) the works.

Needs: a household picks up to five catalog items in order of importance. `needs_ranking(community)` ranks
the items by Borda points (first choice 5 points … fifth choice 1) and by how many households picked them;
the planner can use it for the community plan and the need score.

Satisfaction: four questions (content, process, management afterwards, overall), each 满意 / 基本满意 / 不满意.
A rate is (satisfied + basically satisfied) / responses. `satisfaction_rates()` gives the rates of any set of
responses, `satisfaction_table()` per community, sub-district or contractor, and `meets_minimum(project)` tells
the acceptance whether the project reaches its district's minimum (the bureau's setting on the acceptance settings
page, else the server's SATISFACTION_MIN_RATE; None: no minimum).

One response per household and survey (a database constraint); a second submission replaces the first, so
online and paper answers of one household are counted once.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaizao.catalog.models import WorkItem
from gaizao.core import clock, stamps
from gaizao.households.models import Channel, Household
from gaizao.surveys.models import Survey, SurveyResponse

NEEDS_MAX = 5


QUESTIONS = [
    ("content", gettext_lazy("The content of the renovation")),
    ("process", gettext_lazy("How the works were carried out")),
    ("management", gettext_lazy("Management after the renovation")),
    ("overall", gettext_lazy("Overall")),
]


SATISFIED, BASIC, UNSATISFIED = "satisfied", "basic", "unsatisfied"
LEVELS = [
    (SATISFIED, gettext_lazy("Satisfied")),
    (BASIC, gettext_lazy("Basically satisfied")),
    (UNSATISFIED, gettext_lazy("Not satisfied")),
]


QUESTION_KEYS = [key for key, _label in QUESTIONS]


LEVEL_KEYS = [key for key, _label in LEVELS]


FINISHED = ("completed", "accepted")


def is_open(survey, now=None) -> bool:
    now = now or clock.now()
    return survey.opens_at <= now < survey.closes_at


def open_surveys(community, now=None):
    now = now or clock.now()
    return Survey.objects.filter(community=community, opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def needs_choices():
    return WorkItem.objects.filter(active=True).order_by("content_group", "code")


def validate_answers(survey, answers) -> dict:
    """The answers as stored, or a ValidationError saying what is wrong in the resident's words."""
    if not isinstance(answers, dict):
        raise ValidationError(_("Answers must be an object."))
    if survey.kind == Survey.Kind.NEEDS:
        items = answers.get("items")
        if not isinstance(items, list) or not items:
            raise ValidationError(_("Choose at least one item."))
        if len(items) > NEEDS_MAX:
            raise ValidationError(_("Choose at most %(n)s items.") % {"n": NEEDS_MAX})
        codes = [str(code) for code in items]
        if len(set(codes)) != len(codes):
            raise ValidationError(_("Each item may be chosen once."))
        known = set(needs_choices().filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(_("Unknown item: %(codes)s.") % {"codes": ", ".join(unknown)})
        return {"items": codes}
    cleaned = {}
    for key in QUESTION_KEYS:
        value = answers.get(key)
        if value not in LEVEL_KEYS:
            raise ValidationError(_("Answer every question with satisfied, basic or unsatisfied."))
        cleaned[key] = value
    return cleaned


def submit_response(survey, household, answers, *, channel=Channel.ONLINE, entered_by=None,
                    now=None) -> tuple[SurveyResponse, bool]:
    """Save a household's answers; returns (response, created). A second submission replaces the first."""
    if household.building.community_id != survey.community_id:
        raise ValidationError(_("This household is not in the survey's community."))
    if not is_open(survey, now):
        raise ValidationError(_("This survey is closed."))
    cleaned = validate_answers(survey, answers)
    values = {"answers": cleaned, "channel": channel, "entered_by": entered_by}
    for _attempt in range(3):
        updated = SurveyResponse.objects.filter(survey=survey, household=household).update(**values)
        if updated:
            stamps.changed(SurveyResponse)  # an update sends no signal to the kept figures that count answers
            return SurveyResponse.objects.get(survey=survey, household=household), False
        try:
            with transaction.atomic():
                return SurveyResponse.objects.create(survey=survey, household=household,
                                                     created_at=now or clock.now(), **values), True
        except IntegrityError:
            continue  # someone answered for this household at the same moment: update theirs
    raise ValidationError(_("Please try again."))


def create_survey(community, kind, title, opens_at, closes_at, project=None) -> Survey:
    if closes_at <= opens_at:
        raise ValidationError(_("The survey must close after it opens."))
    if kind == Survey.Kind.SATISFACTION:
        if project is None:
            raise ValidationError(_("A satisfaction survey is about a project."))
        if project.status not in FINISHED:
            raise ValidationError(_("Residents judge a project after it is completed."))
        if not project.communities.filter(pk=community.pk).exists():
            raise ValidationError(_("The project does not cover this community."))
    return Survey.objects.create(community=community, kind=kind, title=title, opens_at=opens_at,
                                 closes_at=closes_at, project=project if kind == Survey.Kind.SATISFACTION else None)


@dataclass
class NeedRow:
    code: str
    name: str
    points: int
    count: int
    first: int  # households that put it first
    rank: int = 0


@dataclass
class NeedsRanking:
    survey: Survey | None
    responses: int
    households: int  # registered households of the community, for the response rate
    by_points: list[NeedRow] = field(default_factory=list)
    by_count: list[NeedRow] = field(default_factory=list)

    @property
    def response_rate(self) -> Decimal | None:
        if not self.households:
            return None
        return (Decimal(self.responses) / self.households).quantize(Decimal("0.0001"))

    def as_dict(self) -> dict:
        row = lambda r: {"code": r.code, "name": r.name, "points": r.points, "count": r.count,  # noqa: E731
                         "first_choices": r.first, "rank": r.rank}
        return {"survey": self.survey.pk if self.survey else None, "responses": self.responses,
                "households": self.households,
                "response_rate": float(self.response_rate) if self.response_rate is not None else None,
                "by_points": [row(r) for r in self.by_points], "by_count": [row(r) for r in self.by_count]}


def latest_needs_survey(community):
    """The most recent needs survey of the community that has answers (else the most recent one)."""
    surveys = Survey.objects.filter(community=community, kind=Survey.Kind.NEEDS).order_by("-opens_at", "-pk")
    return surveys.filter(responses__isnull=False).first() or surveys.first()


def needs_ranking(community, survey=None) -> NeedsRanking:
    """Items the residents want, best first: by Borda points (5 for a first choice … 1 for a fifth)."""
    survey = survey or latest_needs_survey(community)
    households = Household.objects.filter(building__community=community).count()
    if survey is None:
        return NeedsRanking(None, 0, households)
    points, count, first = Counter(), Counter(), Counter()
    responses = 0
    for answers in SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True):
        items = (answers or {}).get("items") or []
        responses += 1
        for position, code in enumerate(items[:NEEDS_MAX]):
            points[code] += NEEDS_MAX - position
            count[code] += 1
            if position == 0:
                first[code] += 1
    names = dict(WorkItem.objects.filter(code__in=list(points)).values_list("code", "name"))
    rows = [NeedRow(code, names.get(code, code), points[code], count[code], first[code]) for code in points]
    by_points = sorted(rows, key=lambda r: (-r.points, -r.count, -r.first, r.code))
    for rank, row in enumerate(by_points, start=1):
        row.rank = rank
    by_count = sorted(rows, key=lambda r: (-r.count, -r.points, r.code))
    return NeedsRanking(survey, responses, households, by_points, by_count)


@dataclass
class Rates:
    responses: int = 0
    counts: dict = field(default_factory=lambda: {q: Counter() for q in QUESTION_KEYS})

    def add(self, answers: dict) -> None:
        self.responses += 1
        for question in QUESTION_KEYS:
            value = (answers or {}).get(question)
            if value in LEVEL_KEYS:
                self.counts[question][value] += 1

    def rate(self, question) -> Decimal | None:
        if not self.responses:
            return None
        good = self.counts[question][SATISFIED] + self.counts[question][BASIC]
        return (Decimal(good) / self.responses).quantize(Decimal("0.0001"))

    @property
    def rates(self) -> dict:
        return {question: self.rate(question) for question in QUESTION_KEYS}

    @property
    def overall(self) -> Decimal | None:
        return self.rate("overall")

    def rows(self) -> list[dict]:
        """One row per question, for pages: label, counts per level, rate."""
        labels = dict(QUESTIONS)
        return [{"key": q, "label": labels[q], "counts": [self.counts[q][level] for level in LEVEL_KEYS],
                 "rate": self.rate(q)} for q in QUESTION_KEYS]

    def as_dict(self) -> dict:
        return {"responses": self.responses,
                "rates": {q: (float(r) if r is not None else None) for q, r in self.rates.items()},
                "counts": {q: {level: self.counts[q][level] for level in LEVEL_KEYS} for q in QUESTION_KEYS}}


def _satisfaction_responses():
    return SurveyResponse.objects.filter(survey__kind=Survey.Kind.SATISFACTION)


def satisfaction_rates(*, community=None, subdistrict=None, contractor=None, project=None, survey=None) -> Rates:
    """The rates of the satisfaction answers that match every filter given (none: the whole district)."""
    filters = Q()
    if survey is not None:
        filters &= Q(survey=survey)
    if community is not None:
        filters &= Q(survey__community=community)
    if subdistrict is not None:
        filters &= Q(survey__community__subdistrict=subdistrict)
    if contractor is not None:
        filters &= Q(survey__project__contractor=contractor)
    if project is not None:
        filters &= Q(survey__project=project)
    rates = Rates()
    for answers in _satisfaction_responses().filter(filters).values_list("answers", flat=True).iterator():
        rates.add(answers)
    return rates


_GROUPS = {
    "community": ("survey__community_id", "survey__community__name", "survey__community__code"),
    "subdistrict": ("survey__community__subdistrict_id", "survey__community__subdistrict__name", None),
    "contractor": ("survey__project__contractor_id", "survey__project__contractor__name", None),
}


def satisfaction_table(by: str, communities=None, contractor_id=None) -> list[dict]:
    """Rates per community, sub-district or contractor: [{id, name, code, rates: Rates}], lowest overall first.
    ``contractor_id``: only the surveys after that contractor's projects (its record, across its communities)."""
    key, name, code = _GROUPS[by]
    responses = _satisfaction_responses()
    if communities is not None:
        responses = responses.filter(survey__community__in=communities)
    if contractor_id is not None:
        responses = responses.filter(survey__project__contractor_id=contractor_id)
    if by == "contractor":
        responses = responses.filter(survey__project__isnull=False)
    fields = [key, name, "answers"] + ([code] if code else [])
    groups: dict = defaultdict(Rates)
    labels = {}
    for row in responses.values(*fields).iterator():
        groups[row[key]].add(row["answers"])
        labels[row[key]] = (row[name], row.get(code) if code else None)
    table = [{"id": pk, "name": labels[pk][0], "code": labels[pk][1], "rates": rates} for pk, rates in groups.items()]
    return sorted(table, key=lambda r: (r["rates"].overall if r["rates"].overall is not None else 2, r["name"]))


def minimum_rate(project=None) -> Decimal | None:
    """The minimum for the project's district (the bureau's setting, else SATISFACTION_MIN_RATE); without a
    project, the strictest over the districts."""
    from gaizao.regions.services import satisfaction_minimum

    if project is None:
        return satisfaction_minimum()
    districts = project.communities.values_list("subdistrict__parent_id", flat=True)
    return satisfaction_minimum(list(districts))


@dataclass
class MinimumCheck:
    ok: bool
    rate: Decimal | None
    minimum: Decimal | None
    responses: int


def check_minimum(project) -> MinimumCheck:
    """The project's overall satisfaction against its district's minimum; no answers at all fail a minimum."""
    minimum = minimum_rate(project)
    rates = satisfaction_rates(project=project)
    if minimum is None:
        return MinimumCheck(True, rates.overall, None, rates.responses)
    rate = rates.overall
    return MinimumCheck(rate is not None and rate >= minimum, rate, minimum, rates.responses)


def meets_minimum(project) -> bool:
    """For the acceptance: True when no minimum is set or the residents' overall rate reaches it."""
    return check_minimum(project).ok
