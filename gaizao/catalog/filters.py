from django_filters import rest_framework as filters

from gaizao.catalog.models import ContentGroup, Tier, WorkItem
from gaizao.core.filters import StrictBooleanFilter


class WorkItemFilterSet(filters.FilterSet):
    tier = filters.ChoiceFilter(choices=Tier.choices)
    content_group = filters.ChoiceFilter(choices=ContentGroup.choices)
    active = StrictBooleanFilter()

    class Meta:
        model = WorkItem
        fields = ["tier", "content_group", "active"]
