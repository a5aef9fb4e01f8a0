from rest_framework import serializers, viewsets

from gaizao.regions.filters import AreaFilterSet
from gaizao.regions.models import Area


class AreaSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)

    class Meta:
        model = Area
        fields = ["id", "name", "code", "level", "parent", "parent_code"]


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The administrative area tree (reference data, readable by every signed-in user)."""

    queryset = Area.objects.select_related("parent").order_by("level", "code", "name", "pk")
    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet
