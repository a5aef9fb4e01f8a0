"""Filters of the items, meetings and utilities' works, shared by the pages (styled) and the API (strict)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gaizao.coordination.models import CoordinationItem, Department, Meeting, UtilityWork
from gaizao.coordination.services import overdue_q
from gaizao.core import clock
from gaizao.core.filters import IntegerFilter, StrictBooleanFilter, StyledFilterMixin


class ItemFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"),
                           help_text="Words in the description, a department, community or meeting")
    # An id, not a choice: an id that names nothing finds nothing (200), as every other id filter of the API does.
    department = IntegerFilter(field_name="lead_department_id", label=_("Lead department"),
                               help_text="Lead department id")
    status = filters.ChoiceFilter(choices=CoordinationItem.Status.choices, label=_("Status"),
                                  empty_label=_("All"))
    overdue = StrictBooleanFilter(method="only_overdue", label=_("Overdue"),
                                  help_text="true: only items not done and past their due date (platform's today)")
    community = filters.CharFilter(method="in_community", label=_("Community"), help_text="Community code")
    meeting = IntegerFilter(field_name="meeting_id", label=_("Joint meeting"), help_text="Meeting id")

    class Meta:
        model = CoordinationItem
        fields = ["q", "department", "status", "overdue", "community", "meeting"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(lead_department__name__icontains=value)
                               | Q(community__name__icontains=value) | Q(community__code=value)
                               | Q(project__code=value) | Q(meeting__title__icontains=value))

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(clock.today())) if value else queryset

    def in_community(self, queryset, name, value):
        """The community's own items and those of the projects that cover it."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(community__code=value) | Q(project__communities__code=value)).distinct()


class ItemPageFilterSet(StyledFilterMixin, ItemFilterSet):
    """The items page: only the departments and communities the user's items name are offered."""

    department = filters.ModelChoiceFilter(queryset=Department.objects.all(), field_name="lead_department",
                                           label=_("Lead department"), empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset
        self.filters["department"].queryset = Department.objects.filter(led_items__in=visible).distinct()


class MeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text="Words in the title or minutes")
    department = IntegerFilter(field_name="departments__id", distinct=True, label=_("Department attending"),
                               help_text="Department id")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"),
                                   help_text="Held on or after")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"), help_text="Held on or before")

    class Meta:
        model = Meeting
        fields = ["q", "department", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(minutes__icontains=value)) if value else queryset


class MeetingPageFilterSet(StyledFilterMixin, MeetingFilterSet):
    department = filters.ModelChoiceFilter(queryset=Department.objects.all(), field_name="departments",
                                           distinct=True, label=_("Department attending"), empty_label=_("All"))


class WorkFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text="Words in the work, community or utility")
    utility = IntegerFilter(field_name="utility_id", label=_("Utility"), help_text="Utility id")
    community = filters.CharFilter(field_name="community__code", label=_("Community"), help_text="Community code")
    year = IntegerFilter(field_name="year", label=_("Year"))

    class Meta:
        model = UtilityWork
        fields = ["q", "utility", "community", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(community__name__icontains=value)
                               | Q(community__code=value) | Q(utility__name__icontains=value))


class WorkPageFilterSet(StyledFilterMixin, WorkFilterSet):
    utility = filters.ModelChoiceFilter(queryset=Department.objects.filter(kind=Department.Kind.UTILITY),
                                        label=_("Utility"), empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["utility"].queryset = Department.objects.filter(utility_works__in=self.queryset).distinct()
