from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from gaizao.communities.models import Community
from gaizao.planning import plans
from gaizao.planning.filters import AssignmentFilterSet, PlanFilterSet, ScenarioFilterSet
from gaizao.planning.models import (
    Assignment,
    CommunityPlan,
    FundingShare,
    PlanItem,
    Programme,
    ProgrammeFunding,
    ProgrammeYear,
    Scenario,
)
from gaizao.planning.programme import programmes_visible_to


class ProgrammeYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeYear
        fields = ["year", "budget_yuan", "capacity_households", "capacity_communities"]


class ProgrammeFundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeFunding
        fields = ["year", "source", "amount_yuan", "pays", "position"]


class ProgrammeSerializer(serializers.ModelSerializer):
    years = ProgrammeYearSerializer(source="year_rows", many=True, read_only=True)
    funding = ProgrammeFundingSerializer(source="funding_rows", many=True, read_only=True,
                                         help_text="Funding sources per year in spending order; none: each year's "
                                                   "budget is one source that pays any work")
    cash_flow = serializers.ListField(child=serializers.FloatField(), read_only=True,
                                      help_text="Shares of a cost spent in its start year, the next year, …")

    class Meta:
        model = Programme
        fields = ["id", "name", "district", "first_year", "last_year", "current_year", "years", "funding",
                  "cash_flow", "capacity_subdistrict", "move_penalty"]


class MoveSerializer(serializers.Serializer):
    code = serializers.CharField()
    from_year = serializers.IntegerField(allow_null=True, help_text="Adopted year (null: not scheduled)")
    to_year = serializers.IntegerField(allow_null=True, help_text="Year in this scenario (null: not scheduled)")
    reason = serializers.CharField(help_text="budget, capacity_households, capacity_communities, "
                                             "capacity_subdistrict, pin, earliest_year, higher_need or room")
    source = serializers.CharField(allow_null=True, help_text="The funding source that ran out, for budget")


class ScenarioSerializer(serializers.ModelSerializer):
    """An optimiser run with its money: yuan used per year and source, what 10,000 yuan more of a source adds to
    the objective, the moves against the adopted plan, and who pays each year's spending."""

    objective = serializers.SerializerMethodField()
    gap = serializers.SerializerMethodField()
    gross_objective = serializers.SerializerMethodField()
    previous_objective = serializers.SerializerMethodField()
    funding = serializers.SerializerMethodField()
    dual_values = serializers.SerializerMethodField()
    payers = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = ["id", "programme", "name", "status", "message", "created_at", "adopted", "objective", "gap",
                  "gross_objective", "previous_objective", "funding", "dual_values", "payers", "moves"]

    def _result(self, scenario, key):
        return (scenario.result or {}).get(key)

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_objective(self, scenario) -> float | None:
        return self._result(scenario, "objective")

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_gap(self, scenario) -> float | None:
        return self._result(scenario, "gap")

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_gross_objective(self, scenario) -> float | None:
        return self._result(scenario, "gross_objective")

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_previous_objective(self, scenario) -> float | None:
        return self._result(scenario, "previous_objective")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object", "additionalProperties":
                                                                     {"type": "number"}},
                          "description": "{year: {source: yuan used}}"})
    def get_funding(self, scenario):
        return self._result(scenario, "funding") or {}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object", "additionalProperties":
                                                                     {"type": "number"}},
                          "description": "{year: {source: objective added per 10,000 yuan more}}"})
    def get_dual_values(self, scenario):
        return self._result(scenario, "dual_values") or {}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": {"type": "number"}}},
        "description": '{year: {"basic" | "upgrade": {source: share of that spending}}}'})
    def get_payers(self, scenario):
        return self._result(scenario, "payers") or {}

    @extend_schema_field(MoveSerializer(many=True))
    def get_moves(self, scenario):
        visible = self.context.get("visible_codes")
        return [{"code": m["code"], "from_year": m.get("from"), "to_year": m.get("to"), "reason": m.get("reason", ""),
                 "source": m.get("source")}
                for m in self._result(scenario, "moves") or [] if visible is None or m["code"] in visible]


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
    queryset = Programme.objects.prefetch_related("year_rows", "funding_rows").order_by("first_year", "pk")
    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        # A user serving one area sees its districts' programmes only (planning.programme).
        return super().get_queryset().filter(pk__in=programmes_visible_to(self.request.user).values("pk"))


class ScenarioViewSet(viewsets.ReadOnlyModelViewSet):
    """Optimiser runs, for those who plan the programme (others get an empty list); a sub-district officer sees
    only the moves of their own communities."""

    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return Scenario.objects.none()
        if not self.request.user.works_on_programme:
            return Scenario.objects.none()
        return (Scenario.objects.filter(programme__in=programmes_visible_to(self.request.user)).defer("inputs")
                .order_by("programme", "-created_at", "pk"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and not user.sees_whole_district:
            context["visible_codes"] = set(Community.objects.visible_to(user).values_list("code", flat=True))
        return context


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
