"""The residents' API filters: votes, surveys, feedback and households by community, kind and state."""

from django.utils import timezone
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
