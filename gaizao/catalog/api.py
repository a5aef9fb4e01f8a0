from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from gaizao.catalog.filters import WorkItemFilterSet
from gaizao.catalog.models import WorkItem
from gaizao.catalog.services import with_cost_on
from gaizao.core.api import CODE_IN_PATH, date_param


class WorkItemSerializer(serializers.ModelSerializer):
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = WorkItem
        fields = ["code", "name", "tier", "content_group", "unit", "quantity_rule", "after_basic", "active",
                  "unit_cost", "warranty_number", "warranty_kind"]


_ON_DATE = extend_schema(parameters=[OpenApiParameter(
    "date", OpenApiTypes.DATE, description="The unit cost in force on this day; today when left out")])


@extend_schema_view(list=_ON_DATE, retrieve=_ON_DATE)
class WorkItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The work-item catalog with the unit cost in force today (or on `?date=YYYY-MM-DD`)."""

    serializer_class = WorkItemSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_IN_PATH
    filterset_class = WorkItemFilterSet

    def get_queryset(self):
        return with_cost_on(WorkItem.objects.all(), date_param(self.request)).order_by("code")
