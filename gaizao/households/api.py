"""The households API: registered dwellings with their owners, contacts always masked."""

from django.db.models import Prefetch
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from gaizao.households import access
from gaizao.households import services as households
from gaizao.households.filters import HouseholdFilterSet
from gaizao.households.models import Household, Ownership


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked, e.g. 138****5678")
    id_number = serializers.CharField(help_text="Masked, e.g. 1408**********1234")


class HouseholdSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="building.community.code", read_only=True)
    building = serializers.CharField(source="building.name", read_only=True)
    owners = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "community", "building", "building_id", "stairwell_unit", "room", "exclusive_area_m2",
                  "owner_occupied", "owners"]

    @extend_schema_field(OwnerSerializer(many=True))
    def get_owners(self, household):
        # API answers never carry a full phone or ID number, whoever asks (full numbers are on pages only).
        return [households.masked_owner(o.owner) for o in household.ownerships.all()]


class HouseholdList(ListAPIView):
    """Registered households of the communities the caller manages, with owners; phone and ID numbers masked."""

    permission_classes = [IsAuthenticated]
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    @extend_schema(tags=["households"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        communities = access.managed_communities(self.request.user)
        return (Household.objects.filter(building__community__in=communities)
                .select_related("building__community")
                .prefetch_related(Prefetch("ownerships", queryset=Ownership.objects.select_related("owner")))
                .order_by("building__community__code", "building__name", "stairwell_unit", "room", "pk"))
