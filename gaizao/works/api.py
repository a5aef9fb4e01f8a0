from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from gaizao.core.api import CODE_IN_PATH, date_param
from gaizao.core.filters import INT64
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


@extend_schema_field({"type": "object", "minProperties": 1,
                      "additionalProperties": {"type": "string", "format": "decimal",
                                               "pattern": r"^-?\d{0,10}(?:\.\d{0,2})?$"},
                      "description": "Project item id (a whole number, from the project's `items`) → quantity done "
                                     "since the last report, e.g. {\"12\": \"3.5\"}."})
class QuantitiesField(serializers.Field):
    """Project item id → quantity. Each wrong key or value gets its own sentence, naming the item and saying what
    to write; a key that is not an id must never reach int() (its ValueError was the API's answer)."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            # Not self.fail(): its str.format() would choke on the example's braces.
            raise serializers.ValidationError(_('Write the quantities as item id → quantity, for example '
                                                '{"12": 3.5}.'))
        project = self.context.get("project")
        names = dict(project.items.values_list("pk", "plan_item__item__name")) if project is not None else None
        wanted, problems = {}, {}
        for key, value in data.items():
            item_id, problem = _item_id(key, names, project)
            if problem:
                problems[str(key)] = [problem]
                continue
            quantity, problem = _quantity(value, names.get(item_id) if names else None, item_id)
            if problem:
                problems[str(key)] = [problem]
                continue
            wanted[item_id] = quantity
        if problems:
            raise serializers.ValidationError(problems)
        return wanted

    def to_representation(self, value):
        return {str(k): str(v) for k, v in value.items()}


def _item_id(key, names, project) -> tuple[int | None, str]:
    """The project item id a key names, or the sentence saying why it names none."""
    text = str(key).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < INT64:
        return None, _("“%(key)s” is not an item id: write the id of one of the project's items (a whole number, "
                       "as in the project's item list), for example {\"12\": 3.5}.") % {"key": text[:30]}
    item_id = int(text)
    if names is not None and item_id not in names:
        return None, _("Project %(project)s has no item %(id)s: use the ids in the project's item list.") % {
            "project": project.code, "id": item_id}
    return item_id, ""


def _quantity(value, name, item_id) -> tuple[Decimal | None, str]:
    """The quantity written for an item, or the sentence saying how to write it."""
    field = serializers.DecimalField(max_digits=12, decimal_places=2)
    try:
        if isinstance(value, bool):
            raise serializers.ValidationError("")
        return field.to_internal_value(value), ""
    except serializers.ValidationError:
        return None, _("%(item)s: write the quantity done since the last report as a number with at most 2 "
                       "decimals and 10 digits before the point, for example 3.5.") % {
            "item": name or _("Item %(id)s") % {"id": item_id}}


class ReportSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day of the work: not after today, and not more than a year "
                                           "before the project's planned start.")
    quantities = QuantitiesField()
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

    @extend_schema(request=ReportSerializer, responses={201: EntrySerializer(many=True), 400: OpenApiResponse(
        description=("Refused, with a sentence: a date after today or more than a year before the project's planned "
                     "start, a key that is not one of this project's item ids, a quantity that is not a number, no "
                     "quantity above zero or a negative one (use a correction), a total past the planned quantity "
                     "without `variation_reason`."))})
    @action(detail=True, methods=["post"])
    def report(self, request, code=None):
        project = self.get_object()
        payload = ReportSerializer(data=request.data, context={"project": project})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            entries = services.record_progress(request.user, project, data["date"], data["quantities"],
                                               note=data.get("note", ""),
                                               variation_reason=data.get("variation_reason", ""))
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
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
