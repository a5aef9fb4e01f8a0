"""Defect filters: the staff list's (shared by the page and its Excel file) and the API's."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gaizao.core import clock
from gaizao.core.filters import StrictBooleanFilter, StyledFilterMixin
from gaizao.defects.models import Defect
from gaizao.regions.models import Area
from gaizao.works.models import Company

Status, Responsible = Defect.Status, Defect.Responsible
WARRANTY = [("within", _("Within the warranty (contractor)")), ("after", _("After the warranty"))]
STATUSES = [("unresolved", _("Not closed")), *Status.choices]


def only_overdue(queryset, day=None):
    return queryset.filter(status=Status.OPEN, deadline__lt=day or clock.today())


def by_warranty(queryset, value):
    if value == "within":
        return queryset.filter(responsible=Responsible.CONTRACTOR)
    if value == "after":
        return queryset.exclude(responsible=Responsible.CONTRACTOR)
    return queryset


class DefectListFilterSet(StyledFilterMixin, django_filters.FilterSet):
    """The choices are what the user may see: sub-districts and contractors of their own defects."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=STATUSES, method="in_status", label=_("Status"),
                                         empty_label=_("All"))
    subdistrict = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), field_name="community__subdistrict",
                                                   label=_("Sub-district"), empty_label=_("All"))
    company = django_filters.ModelChoiceFilter(queryset=Company.objects.none(), label=_("Contractor"),
                                               empty_label=_("All"))
    warranty = django_filters.ChoiceFilter(choices=WARRANTY, method="in_warranty", label=_("Warranty"),
                                           empty_label=_("All"))
    # A tick box (links say ?overdue=true); unticked shows everything, never "only the punctual".
    overdue = django_filters.BooleanFilter(method="is_overdue", label=_("Overdue only"),
                                           widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    community = django_filters.CharFilter(field_name="community__code", label=_("Community code"))

    class Meta:
        model = Defect
        fields = ["q", "status", "subdistrict", "company", "warranty", "overdue", "community"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset
        self.filters["subdistrict"].queryset = Area.objects.filter(
            level=Area.Level.SUBDISTRICT, communities__defects__in=visible).distinct().order_by("code")
        self.filters["company"].queryset = Company.objects.filter(defects__in=visible).distinct().order_by("name")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        found = (Q(text__icontains=value) | Q(location__icontains=value) | Q(community__name__icontains=value)
                 | Q(community__code=value) | Q(project_item__plan_item__item__name__icontains=value)
                 | Q(company__name__icontains=value) | Q(management_name__icontains=value))
        if value.lstrip("#").isdigit() and len(value) < 12:
            found |= Q(pk=int(value.lstrip("#")))
        return queryset.filter(found)

    def in_status(self, queryset, name, value):
        if value == "unresolved":
            return queryset.exclude(status=Status.CLOSED)
        return queryset.filter(status=value)

    def in_warranty(self, queryset, name, value):
        return by_warranty(queryset, value)

    def is_overdue(self, queryset, name, value):
        return only_overdue(queryset) if value else queryset


class DefectFilterSet(filters.FilterSet):
    """The API's: a value that is not what the schema says is refused (400), never ignored."""

    status = filters.ChoiceFilter(choices=Status.choices)
    community = filters.CharFilter(field_name="community__code", help_text="Community code")
    warranty = filters.ChoiceFilter(choices=[("within", "within"), ("after", "after")], method="in_warranty",
                                    help_text="within: passed to the contractor; after: to the management body or "
                                              "the sub-district office")
    overdue = StrictBooleanFilter(method="is_overdue", help_text="true: only defects still unanswered after their "
                                                                 "deadline")

    class Meta:
        model = Defect
        fields = ["status", "community", "warranty", "overdue"]

    def in_warranty(self, queryset, name, value):
        return by_warranty(queryset, value)

    def is_overdue(self, queryset, name, value):
        return only_overdue(queryset) if value else queryset
