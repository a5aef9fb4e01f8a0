from rest_framework import serializers, viewsets

from gaizao.communities.models import Community
from gaizao.planning.models import Assignment, Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    years = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "name", "district", "first_year", "last_year", "current_year", "years"]

    def get_years(self, programme) -> list[dict]:
        return [{"year": r.year, "budget_yuan": str(r.budget_yuan), "capacity_households": r.capacity_households,
                 "capacity_communities": r.capacity_communities} for r in programme.year_rows.all()]


class AssignmentSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["programme", "community", "community_name", "year", "upgrade_year", "pinned_year", "excluded",
                  "need_score", "cost_yuan", "upgrade_cost_yuan", "households", "reason"]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Programme.objects.prefetch_related("year_rows")
    serializer_class = ProgrammeSerializer


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Where each community sits in a programme (only communities the caller may see)."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["programme", "year", "excluded"]

    def get_queryset(self):
        visible = Community.objects.visible_to(self.request.user).values("pk")
        return Assignment.objects.filter(community__in=visible).select_related("community").order_by(
            "programme", "year", "-need_score")
