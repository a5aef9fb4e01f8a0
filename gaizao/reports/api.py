from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from gaizao.communities.models import Community
from gaizao.core.api import text_param
from gaizao.reports.services import district_summary

_MEASURES = {
    "communities": serializers.IntegerField(),
    "buildings": serializers.IntegerField(),
    "households": serializers.IntegerField(),
    "floor_area_m2": serializers.FloatField(),
    "estimated_investment_yuan": serializers.FloatField(),
}

SummarySchema = inline_serializer("DistrictSummary", {
    "communities": inline_serializer("CommunityCounts", {
        "total": serializers.IntegerField(),
        "eligible": serializers.IntegerField(),
        "excluded": serializers.IntegerField(),
        "excluded_by_reason": serializers.DictField(child=serializers.IntegerField()),
    }),
    "eligible": inline_serializer("EligibleTotals", dict(_MEASURES)),
    "by_subdistrict": inline_serializer("SubdistrictTotals", {
        "name": serializers.CharField(), "eligible": serializers.IntegerField(), **_MEASURES,
    }, many=True),
    "by_batch_year": serializers.DictField(child=inline_serializer("BatchTotals", dict(_MEASURES))),
})


@extend_schema(responses={200: OpenApiResponse(SummarySchema)}, tags=["reports"], parameters=[
    OpenApiParameter("district", str, description="A district's code (e.g. 140802): its communities alone, as the "
                                                  "summary page's ?district= (a code the caller does not see finds "
                                                  "nothing).")])
@api_view(["GET"])
def summary(request):
    """District summary over the communities the caller may see (the whole district for bureau staff)."""
    communities = Community.objects.visible_to(request.user)
    district = text_param(request, "district")
    if district:
        communities = communities.filter(subdistrict__parent__code=district)
    return Response(district_summary(communities).as_json())
