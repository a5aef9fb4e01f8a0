from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from gaizao.core.api import CODE_IN_PATH, date_param
from gaizao.works import services
from gaizao.works.access import projects_visible_to
from gaizao.works.filters import EntryFilterSet, ProjectFilterSet
from gaizao.works.measures import measures_on
from gaizao.works.models import ProgressEntry, Project, ProjectItem


class ProjectItemSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="plan_item.plan.community.code")
    item = serializers.CharField(source="plan_item.item.code")
    name = serializers.CharField(source="plan_item.item.name")
    planned = serializers.DecimalField(source="plan_item.quantity", max_digits=12, decimal_places=2)

    class Meta:
        model = ProjectItem
        fields = ["id", "community", "item", "name", "planned"]


class ProjectSerializer(serializers.ModelSerializer):
    contractor = serializers.CharField(source="contractor.name")
    communities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["code", "name", "contractor", "communities", "contract_value", "planned_start", "planned_finish",
                  "actual_start", "actual_finish", "status"]


class ProjectDetailSerializer(ProjectSerializer):
    items = ProjectItemSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "items"]


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["id", "project_item", "date", "quantity", "kind", "reason", "note", "reporter_name", "created_at"]


class EntryListSerializer(EntrySerializer):
    project = serializers.CharField(source="project_item.project.code", read_only=True)
    item = serializers.CharField(source="project_item.plan_item.item.code", read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = ["id", "project", "project_item", "item", "date", "quantity", "kind", "reason", "note",
                  "reporter_name", "created_at"]


class ReportSerializer(serializers.Serializer):
    date = serializers.DateField()
    quantities = serializers.DictField(child=serializers.DecimalField(max_digits=12, decimal_places=2),
                                       help_text="project item id → quantity done since the last report")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    variation_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects the caller may see (a contractor: their company's); contractors post reports to `report/`."""

    lookup_field = "code"
    lookup_value_regex = CODE_IN_PATH
    filterset_class = ProjectFilterSet

    def get_queryset(self):
        queryset = projects_visible_to(self.request.user).select_related("contractor").prefetch_related("communities")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("items__plan_item__item", "items__plan_item__plan__community")
        return queryset.order_by("code")

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    @extend_schema(request=ReportSerializer, responses={201: EntrySerializer(many=True)})
    @action(detail=True, methods=["post"])
    def report(self, request, code=None):
        project = self.get_object()
        payload = ReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            entries = services.record_progress(request.user, project, data["date"], data["quantities"],
                                               note=data.get("note", ""),
                                               variation_reason=data.get("variation_reason", ""))
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except (ValidationError, ValueError) as error:
            messages = getattr(error, "messages", [str(error)])
            return Response({"detail": " ".join(messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(EntrySerializer(entries, many=True).data, status=status.HTTP_201_CREATED)


class EntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Progress entries (reports and corrections) of the projects the caller may see, newest first."""

    serializer_class = EntryListSerializer
    filterset_class = EntryFilterSet

    def get_queryset(self):
        return (ProgressEntry.objects.filter(project_item__project__in=projects_visible_to(self.request.user))
                .select_related("project_item__project", "project_item__plan_item__item")
                .order_by("-date", "-created_at", "-pk"))


MeasuresSchema = inline_serializer("ProgressMeasures", {
    "date": serializers.DateField(),
    "district": serializers.DictField(),
    "subdistricts": serializers.ListField(child=serializers.DictField()),
    "items": serializers.ListField(child=serializers.DictField()),
})


@extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Today when left out")],
               responses={200: MeasuresSchema}, tags=["works"])
@api_view(["GET"])
def progress(request):
    """Progress measures on a date: district, sub-districts ranked by % of value done, totals per work item."""
    day = date_param(request)
    found = measures_on(day, projects_visible_to(request.user))

    def plain(row):
        return {k: (float(v) if hasattr(v, "as_tuple") else v) for k, v in row.items()}

    return Response({"date": day, "district": plain(found.district),
                     "subdistricts": [plain(s) for s in found.subdistricts],
                     "items": [plain(i) for i in found.items]})
