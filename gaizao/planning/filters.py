from django_filters import rest_framework as filters

from gaizao.core.filters import IntegerFilter, StrictBooleanFilter
from gaizao.planning.models import Assignment, CommunityPlan, Scenario


class AssignmentFilterSet(filters.FilterSet):
    """Ids and codes that match nothing give an empty page, not an error."""

    programme = IntegerFilter(field_name="programme_id", help_text="Programme id")
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    year = IntegerFilter(help_text="Year the basic work starts")
    excluded = StrictBooleanFilter()

    class Meta:
        model = Assignment
        fields = ["programme", "community", "year", "excluded"]


class PlanFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    status = filters.ChoiceFilter(choices=CommunityPlan.Status.choices)

    class Meta:
        model = CommunityPlan
        fields = ["community", "status"]


class ScenarioFilterSet(filters.FilterSet):
    programme = IntegerFilter(field_name="programme_id", help_text="Programme id")
    adopted = StrictBooleanFilter()

    class Meta:
        model = Scenario
        fields = ["programme", "adopted"]
