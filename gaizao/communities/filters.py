from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gaizao.communities.models import Community, ExclusionReason, ProgrammeStatus
from gaizao.core.filters import IntegerFilter, StrictBooleanFilter, StyledFilterMixin
from gaizao.regions.models import Area


def _yes_no_all():
    return forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])


SORTS = {
    "code": "code", "name": "name", "subdistrict": "subdistrict__code", "year_built": "year_built",
    "buildings": "building_count", "households": "household_total", "floor_area": "floor_area_total",
    "status": "programme_status", "batch_year": "batch_year",
}


class CommunityFilterSet(StyledFilterMixin, filters.FilterSet):
    """Filters shared by the community list page, its Excel export and the API."""

    q = filters.CharFilter(method="search", label=_("Search"))
    subdistrict = filters.ModelChoiceFilter(
        queryset=Area.objects.filter(level=Area.Level.SUBDISTRICT), label=_("Sub-district"), empty_label=_("All")
    )
    eligible = filters.BooleanFilter(field_name="is_eligible", label=_("Eligible"), widget=_yes_no_all())
    programme_status = filters.ChoiceFilter(choices=ProgrammeStatus.choices, label=_("Programme status"),
                                            empty_label=_("All"))
    exclusion_reason = filters.ChoiceFilter(
        choices=[c for c in ExclusionReason.choices if c[0]], label=_("Exclusion reason"), empty_label=_("All")
    )
    batch_year = filters.NumberFilter(label=_("Batch year"))
    built_from = filters.NumberFilter(field_name="year_built", lookup_expr="gte", label=_("Built from"))
    built_to = filters.NumberFilter(field_name="year_built", lookup_expr="lte", label=_("Built until"))
    is_demonstration = filters.BooleanFilter(label=_("Demonstration"), widget=_yes_no_all())
    # The district pages' figures link here with their district (?district=140802), so each figure opens its rows.
    district = filters.CharFilter(field_name="subdistrict__parent__code", label=_("District"),
                                  help_text="District code (e.g. 140802)")

    class Meta:
        model = Community
        fields = ["q", "district", "subdistrict", "eligible", "programme_status", "exclusion_reason", "batch_year",
                  "built_from", "built_to", "is_demonstration"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(address__icontains=value))


class CommunityApiFilterSet(CommunityFilterSet):
    """The API takes the sub-district's id as a number: one that matches nothing gives an empty page."""

    subdistrict = IntegerFilter(field_name="subdistrict_id", help_text="Id of the sub-district (an area)")
    batch_year = IntegerFilter()
    built_from = IntegerFilter(field_name="year_built", lookup_expr="gte")
    built_to = IntegerFilter(field_name="year_built", lookup_expr="lte")
    eligible = StrictBooleanFilter(field_name="is_eligible")
    is_demonstration = StrictBooleanFilter()


def sorted_by(queryset, key: str):
    """Sort by a column the user clicked; "-" in front for descending. Unknown keys fall back to code."""
    descending = key.startswith("-")
    field = SORTS.get(key.lstrip("-"), "code")
    return queryset.order_by(f"-{field}" if descending else field, "code")
