"""API filters for the households register."""

from django_filters import rest_framework as filters

from gaizao.core.filters import IntegerFilter
from gaizao.households.models import Household


class HouseholdFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="building__community__code", help_text="Community code")
    building = IntegerFilter(field_name="building_id", help_text="Building id")

    class Meta:
        model = Household
        fields = ["community", "building"]
