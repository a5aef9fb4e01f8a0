from django_filters import rest_framework as filters

from gaizao.core.filters import IntegerFilter
from gaizao.works.models import ProgressEntry, Project


class ProjectFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Project.Status.choices)
    community = filters.CharFilter(field_name="communities__code", distinct=True, help_text="Community code")

    class Meta:
        model = Project
        fields = ["status", "community"]


class EntryFilterSet(filters.FilterSet):
    project = filters.CharFilter(field_name="project_item__project__code", help_text="Project code")
    project_item = IntegerFilter(field_name="project_item_id", help_text="Project item id")
    kind = filters.ChoiceFilter(choices=ProgressEntry.Kind.choices)
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Work done on or after")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Work done on or before")

    class Meta:
        model = ProgressEntry
        fields = ["project", "project_item", "kind", "date_from", "date_to"]
