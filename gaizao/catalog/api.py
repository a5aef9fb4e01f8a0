import datetime

from rest_framework import serializers, viewsets

from gaizao.catalog.models import WorkItem
from gaizao.catalog.services import with_cost_on


class WorkItemSerializer(serializers.ModelSerializer):
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = WorkItem
        fields = ["code", "name", "tier", "content_group", "unit", "quantity_rule", "after_basic", "active",
                  "unit_cost"]


class WorkItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The work-item catalog with the unit cost in force today (or on `?date=YYYY-MM-DD`)."""

    serializer_class = WorkItemSerializer
    lookup_field = "code"
    filterset_fields = ["tier", "content_group", "active"]

    def get_queryset(self):
        try:
            day = datetime.date.fromisoformat(self.request.query_params.get("date", ""))
        except ValueError:
            day = datetime.date.today()
        return with_cost_on(WorkItem.objects.all(), day).order_by("code")
