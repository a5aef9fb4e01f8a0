"""The residents' API filters: votes, surveys, feedback and households by community, kind and state."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gaizao.core.filters import IntegerFilter, StrictBooleanFilter
from gaizao.participation.models import Feedback, Household, Survey, Vote

STATES = [("upcoming", "upcoming"), ("open", "open"), ("closed", "closed")]


def _in_state(queryset, state):
    now = timezone.now()
    if state == "upcoming":
        return queryset.filter(opens_at__gt=now)
    if state == "open":
        return queryset.filter(opens_at__lte=now, closes_at__gt=now)
    return queryset.filter(closes_at__lte=now)


class VoteFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    matter = filters.ChoiceFilter(choices=Vote.Matter.choices)
    electorate = filters.ChoiceFilter(choices=Vote.Electorate.choices)
    state = filters.ChoiceFilter(choices=STATES, method="in_state")

    class Meta:
        model = Vote
        fields = ["community", "matter", "electorate", "state"]

    def in_state(self, queryset, name, value):
        return _in_state(queryset, value)


class SurveyFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    kind = filters.ChoiceFilter(choices=Survey.Kind.choices)
    state = filters.ChoiceFilter(choices=STATES, method="in_state")

    class Meta:
        model = Survey
        fields = ["community", "kind", "state"]

    def in_state(self, queryset, name, value):
        return _in_state(queryset, value)


class FeedbackFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Feedback.Status.choices)
    category = filters.ChoiceFilter(choices=Feedback.Category.choices)
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    overdue = StrictBooleanFilter(method="only_overdue",
                                    help_text="true: only items waiting for an answer past their due date")

    class Meta:
        model = Feedback
        fields = ["status", "category", "community", "overdue"]

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Feedback.Status.OPEN, due_date__lt=timezone.localdate())


class HouseholdFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="building__community__code", help_text="Community code")
    building = IntegerFilter(field_name="building_id", help_text="Building id")

    class Meta:
        model = Household
        fields = ["community", "building"]


class VotePageFilterSet(filters.FilterSet):
    """The vote list page: search by question or community, and narrow by state and matter."""

    q = filters.CharFilter(method="search", label=_("Search"))
    state = filters.ChoiceFilter(choices=[("open", _("Open")), ("upcoming", _("Not yet open")),
                                          ("closed", _("Closed"))], method="in_state", label=_("Status"),
                                 empty_label=_("All"))
    matter = filters.ChoiceFilter(choices=Vote.Matter.choices, label=_("Matter"), empty_label=_("All"))

    class Meta:
        model = Vote
        fields = ["q", "state", "matter"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field.widget, "choices") else "form-control"
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(title__icontains=text) | Q(community__name__icontains=text)
                               | Q(community__code__iexact=text)) if text else queryset

    def in_state(self, queryset, name, value):
        return _in_state(queryset, value)
