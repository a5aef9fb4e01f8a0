from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from gaizao.communities.models import Community
from gaizao.planning import plans
from gaizao.planning.filters import AssignmentFilterSet, PlanFilterSet
from gaizao.planning.models import Assignment, CommunityPlan, FundingShare, PlanItem, Programme, ProgrammeYear


class ProgrammeYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeYear
        fields = ["year", "budget_yuan", "capacity_households", "capacity_communities"]


class ProgrammeSerializer(serializers.ModelSerializer):
    years = ProgrammeYearSerializer(source="year_rows", many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "district", "first_year", "last_year", "current_year", "years"]


class AssignmentSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["programme", "community", "community_name", "year", "upgrade_year", "pinned_year", "excluded",
                  "need_score", "cost_yuan", "upgrade_cost_yuan", "households", "reason"]


class PlanSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityPlan
        fields = ["id", "community", "community_name", "version", "status", "cost_date", "note", "created_at",
                  "published_at", "approved_at"]


class PlanItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    tier = serializers.CharField(source="item.tier")
    unit = serializers.CharField(source="item.unit")
    cost = serializers.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        model = PlanItem
        fields = ["code", "name", "tier", "unit", "quantity", "unit_cost", "cost"]


class FundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingShare
        fields = ["source", "yuan"]


class PlanTotalsSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    basic = serializers.DecimalField(max_digits=16, decimal_places=2)
    upgrade = serializers.DecimalField(max_digits=16, decimal_places=2)
    funded = serializers.DecimalField(max_digits=16, decimal_places=2)
    unfunded = serializers.DecimalField(max_digits=16, decimal_places=2)


class PlanDetailSerializer(PlanSerializer):
    items = PlanItemSerializer(many=True, read_only=True)
    funding = FundingSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "totals", "items", "funding"]

    @extend_schema_field(PlanTotalsSerializer)
    def get_totals(self, plan):
        return PlanTotalsSerializer(plans.totals(plan)).data


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Programme.objects.prefetch_related("year_rows").order_by("first_year", "pk")
    serializer_class = ProgrammeSerializer


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Where each community sits in a programme (only communities the caller may see)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet

    def get_queryset(self):
        visible = Community.objects.visible_to(self.request.user).values("pk")
        return Assignment.objects.filter(community__in=visible).select_related("community").order_by(
            "programme", "year", "-need_score", "pk")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Community plans (一小区一方案), every version, of the communities the caller may see; the detail has the
    items, the funding and the totals."""

    filterset_class = PlanFilterSet

    def get_queryset(self):
        visible = Community.objects.visible_to(self.request.user).values("pk")
        queryset = CommunityPlan.objects.filter(community__in=visible).select_related("community")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("items__item", "funding")
        return queryset.order_by("community__code", "-version")

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer
