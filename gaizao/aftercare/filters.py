"""Filters of the accepted communities' list (page and Excel) and of the arrangements' API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gaizao.aftercare.models import ManagementArrangement
from gaizao.core.filters import StrictBooleanFilter, StyledFilterMixin
from gaizao.regions.models import Area

Kind = ManagementArrangement.Kind
NONE = "none"
OVERDUE, WITHOUT, WITH = "overdue", "without", "with"
SORTS = {"code": "code", "name": "name", "subdistrict": "subdistrict__code", "accepted": "accepted_on",
         "kind": "kind", "since": "since"}


class AcceptedListFilterSet(StyledFilterMixin, django_filters.FilterSet):
    """Over `services.accepted_communities(...)`: the page's and the export's filters. `overdue_before` (set by
    the view) is the acceptance date before which a community without an arrangement is flagged."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    subdistrict = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), label=_("Sub-district"),
                                                   empty_label=_("All"))
    kind = django_filters.ChoiceFilter(choices=[*Kind.choices, (NONE, _("No arrangement"))], method="of_kind",
                                       label=_("Kind of management"), empty_label=_("All"))
    flag = django_filters.ChoiceFilter(choices=[(OVERDUE, _("Flagged: overdue without an arrangement")),
                                                (WITHOUT, _("Without an arrangement")),
                                                (WITH, _("With an arrangement"))],
                                       method="flagged", label=_("Arrangement"), empty_label=_("All"))

    def __init__(self, *args, overdue_before=None, subdistricts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.overdue_before = overdue_before
        self.filters["subdistrict"].queryset = (subdistricts if subdistricts is not None
                                                else Area.objects.filter(level=Area.Level.SUBDISTRICT))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        bodies = ManagementArrangement.objects.filter(ended_on__isnull=True, body_name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value)
                               | Q(pk__in=bodies.values("community")))

    def of_kind(self, queryset, name, value):
        if value == NONE:
            return queryset.filter(arrangement_id__isnull=True)
        return queryset.filter(kind=value)

    def flagged(self, queryset, name, value):
        if value == WITH:
            return queryset.filter(arrangement_id__isnull=False)
        if value == WITHOUT:
            return queryset.filter(arrangement_id__isnull=True)
        return queryset.filter(arrangement_id__isnull=True, accepted_on__lt=self.overdue_before)


def sorted_by(queryset, key: str):
    """A column the user clicked, "-" in front for descending; unknown keys sort by code."""
    field = SORTS.get(key.lstrip("-"), "code")
    return queryset.order_by(f"-{field}" if key.startswith("-") else field, "code")


class ArrangementFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    subdistrict = filters.CharFilter(field_name="community__subdistrict__code", help_text="Sub-district code")
    kind = filters.ChoiceFilter(choices=Kind.choices)
    current = StrictBooleanFilter(method="only_current",
                                  help_text="true: only the arrangements in place (not replaced); false: only the "
                                            "replaced ones")
    since_from = filters.DateFilter(field_name="since", lookup_expr="gte", help_text="In place since, on or after")
    since_to = filters.DateFilter(field_name="since", lookup_expr="lte", help_text="In place since, on or before")

    class Meta:
        model = ManagementArrangement
        fields = ["community", "subdistrict", "kind", "current", "since_from", "since_to"]

    def only_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(ended_on__isnull=value)
