"""The management arrangements as JSON: list (filtered, paginated) and one by id, in the pages' scope."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from gaizao.aftercare import services
from gaizao.aftercare.filters import ArrangementFilterSet
from gaizao.aftercare.models import ManagementArrangement


class ArrangementSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    subdistrict = serializers.CharField(source="community.subdistrict.name", read_only=True)
    contact_name = serializers.SerializerMethodField(help_text="Masked (张**) unless the caller is bureau staff or "
                                                               "the community's sub-district officer")
    contact_phone = serializers.SerializerMethodField(help_text="Masked (138****5678) unless the caller is bureau "
                                                                "staff or the community's sub-district officer")
    current = serializers.BooleanField(source="is_current", read_only=True,
                                       help_text="In place now: not replaced by a later arrangement")
    has_agreement = serializers.SerializerMethodField(help_text="An agreement document is on file (downloaded on "
                                                                "the community's management page)")

    class Meta:
        model = ManagementArrangement
        fields = ["id", "community", "community_name", "subdistrict", "kind", "body_name", "contact_name",
                  "contact_phone", "since", "ended_on", "current", "fee_per_m2_month", "collection_rate",
                  "has_maintenance_fund", "fund_balance", "has_agreement", "notes", "reason", "recorded_at"]

    @extend_schema_field(str)
    def get_contact_name(self, arrangement) -> str:
        return services.contact_for(self.context["request"].user, arrangement)[0]

    @extend_schema_field(str)
    def get_contact_phone(self, arrangement) -> str:
        return services.contact_for(self.context["request"].user, arrangement)[1]

    def get_has_agreement(self, arrangement) -> bool:
        return bool(arrangement.agreement)


class ArrangementViewSet(viewsets.ReadOnlyModelViewSet):
    """Long-term management arrangements (长效管理) of the communities the caller may see, newest first within a
    community; `current=true` gives the ones in place. Contractors and residents' committees see none."""

    serializer_class = ArrangementSerializer
    filterset_class = ArrangementFilterSet

    def get_queryset(self):
        return (ManagementArrangement.objects.filter(community__in=services.communities_for(self.request.user))
                .select_related("community__subdistrict").order_by("community__code", "-since", "-pk"))
