from django_filters import rest_framework as filters

from gaizao.core.filters import IntegerFilter
from gaizao.regions.models import Area


class AreaFilterSet(filters.FilterSet):
    """Ids and codes that match nothing give an empty page, not an error."""

    level = filters.ChoiceFilter(choices=Area.Level.choices)
    parent = IntegerFilter(field_name="parent_id", help_text="Id of the parent area")
    code = filters.CharFilter()

    class Meta:
        model = Area
        fields = ["level", "parent", "code"]
