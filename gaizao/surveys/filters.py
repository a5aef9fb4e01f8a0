"""API filters for surveys: community, kind and state."""

from django_filters import rest_framework as filters

from gaizao.core.filters import STATES, in_state
from gaizao.surveys.models import Survey


class SurveyFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    kind = filters.ChoiceFilter(choices=Survey.Kind.choices)
    state = filters.ChoiceFilter(choices=STATES, method="in_state")

    class Meta:
        model = Survey
        fields = ["community", "kind", "state"]

    def in_state(self, queryset, name, value):
        return in_state(queryset, value)
