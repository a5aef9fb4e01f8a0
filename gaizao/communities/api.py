from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from gaizao.communities.filters import SORTS, CommunityApiFilterSet, sorted_by
from gaizao.communities.models import Building, Community
from gaizao.communities.services import verdict_for
from gaizao.core.api import CODE_IN_PATH


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "name", "year_built", "floors", "stairwell_units", "households", "floor_area_m2",
                  "structure", "has_elevator"]


class CommunitySerializer(serializers.ModelSerializer):
    subdistrict = serializers.CharField(source="subdistrict.name", read_only=True)
    subdistrict_code = serializers.CharField(source="subdistrict.code", read_only=True, allow_null=True)
    building_count = serializers.IntegerField(read_only=True)
    household_total = serializers.IntegerField(read_only=True)
    floor_area_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Community
        fields = ["code", "name", "subdistrict", "subdistrict_code", "address", "year_built", "ownership_type",
                  "property_management", "exclusion_reason", "is_eligible", "programme_status", "batch_year",
                  "is_demonstration", "investment_estimate", "latitude", "longitude", "building_count",
                  "household_total", "floor_area_total"]


class CommunityDetailSerializer(CommunitySerializer):
    buildings = BuildingSerializer(many=True, read_only=True)
    eligibility_reasons = serializers.SerializerMethodField()

    class Meta(CommunitySerializer.Meta):
        fields = [*CommunitySerializer.Meta.fields, "notes", "eligibility_reasons", "buildings"]

    def get_eligibility_reasons(self, community) -> list[str]:
        return list(verdict_for(community).reasons)


_SORT = OpenApiParameter("sort", str, enum=[*SORTS, *(f"-{key}" for key in SORTS)],
                         description="Column to sort by, `-` in front for descending; `code` when left out")


@extend_schema_view(list=extend_schema(parameters=[_SORT]))
class CommunityViewSet(viewsets.ReadOnlyModelViewSet):
    """Communities the caller may see, with building totals derived from their buildings.

    Filter with the same parameters as the list page; sort with `sort` (e.g. `-households`).
    """

    lookup_field = "code"
    lookup_value_regex = CODE_IN_PATH
    filterset_class = CommunityApiFilterSet

    def get_queryset(self):
        queryset = (Community.objects.visible_to(self.request.user).with_building_totals()
                    .select_related("subdistrict"))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("buildings")
        key = self.request.query_params.get("sort", "").strip() or "code"
        if key.removeprefix("-") not in SORTS:
            raise ValidationError({"sort": [_("Sort by one of: %(keys)s.") % {"keys": ", ".join(SORTS)}]})
        return sorted_by(queryset, key)

    def get_serializer_class(self):
        return CommunityDetailSerializer if self.action == "retrieve" else CommunitySerializer
