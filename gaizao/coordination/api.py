"""The joint meeting's API: departments, meetings, coordination items (with the lead department's update and
close actions) and utilities' works (with the utility's progress report). The same scope and services as the
pages: a department sees its own items, another department's item is a 404."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from gaizao.communities.models import Community
from gaizao.coordination import access, services, utility
from gaizao.coordination.filters import ItemFilterSet, MeetingFilterSet, WorkFilterSet
from gaizao.coordination.models import CoordinationItem, Department, ItemUpdate, Meeting, UtilityProgress, UtilityWork
from gaizao.works.models import Project

LEAD_REQUIRED = gettext_lazy("Name the department that leads this item: every decision of the joint meeting has "
                             "one lead department.")
DUE_REQUIRED = gettext_lazy("Give the date the item is due: every decision of the joint meeting has a deadline.")


def _refused(error: ValidationError) -> Response:
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


def _user_only(request):
    if not access.uses_coordination(request.user):
        raise ApiPermissionDenied(_("The joint meeting's records are for the bureau, leaders, sub-district "
                                    "officers and the departments on it."))


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "kind", "service", "contact", "phone"]


@extend_schema_field({"type": "string", "pattern": "^(open|in_progress|done)$",
                      "description": "open (待办), in_progress (办理中) or done (已办结)"})
class ItemStatusField(serializers.CharField):
    """A pattern, not an enum: a second `status` enum would collide with the projects' in the schema."""


class ItemUpdateSerializer(serializers.ModelSerializer):
    status = ItemStatusField(read_only=True)

    class Meta:
        model = ItemUpdate
        fields = ["status", "text", "actor_name", "at"]


class ItemSerializer(serializers.ModelSerializer):
    status = ItemStatusField(read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True)
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.SerializerMethodField()
    updates = ItemUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = CoordinationItem
        fields = ["id", "meeting", "description", "lead_department", "lead_department_name", "other_departments",
                  "community", "project", "due_date", "status", "overdue", "evidence", "closed_on",
                  "closed_by_name", "updates"]

    def get_overdue(self, item) -> bool:
        return services.is_overdue(item)


class ItemCreateSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), help_text="The meeting's id")
    description = serializers.CharField(max_length=services.MAX_TEXT)
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), help_text="Required: the department that leads the item (its id).",
        error_messages={"required": LEAD_REQUIRED, "null": LEAD_REQUIRED})
    due_date = serializers.DateField(help_text="Required: the deadline, not before the meeting.",
                                     error_messages={"required": DUE_REQUIRED, "null": DUE_REQUIRED})
    other_departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True,
                                                           required=False)
    community = serializers.SlugRelatedField(slug_field="code", queryset=Community.objects.all(), required=False,
                                             allow_null=True, help_text="Community code (or a project, not both)")
    project = serializers.SlugRelatedField(slug_field="code", queryset=Project.objects.all(), required=False,
                                           allow_null=True, help_text="Project code (or a community, not both)")


class UpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.MAX_TEXT, help_text="How the item is going")


class CloseSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=services.MAX_TEXT, help_text="What was done and where it can be "
                                                                             "checked")
    document = serializers.FileField(required=False, help_text="PDF, Word, Excel, JPEG or PNG, at most 20 MB "
                                                               "(multipart)")


ITEM_400 = ("Refused, with a sentence: no `lead_department` or no `due_date` (each is required), a due date before "
            "the meeting, both a community and a project, an empty description.")
CLOSE_400 = ("Refused, with a sentence: no `evidence`, a document that is not a PDF, Word, Excel or photo file or "
             "is larger than 20 MB, an item already done.")


class ItemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Coordination items the caller may see: the bureau and leaders all, a department the items it leads or
    shares, an officer those of their sub-district. Bureau staff add items; the lead department updates and
    closes its own."""
    queryset = CoordinationItem.objects.none()  # for the schema's id type; get_queryset scopes each request

    filterset_class = ItemFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        _user_only(self.request)
        return (access.items_visible_to(self.request.user).select_related("lead_department", "community", "project")
                .prefetch_related("other_departments", "updates").order_by("due_date", "pk"))

    def get_serializer_class(self):
        return ItemCreateSerializer if self.action == "create" else ItemSerializer

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemSerializer,
                                                            400: OpenApiResponse(description=ITEM_400)})
    def create(self, request, *args, **kwargs):
        _user_only(request)
        if not access.is_bureau(request.user):
            raise ApiPermissionDenied(_("Only bureau staff add the joint meeting's items."))
        payload = ItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            item = services.add_item(request.user, data["meeting"], description=data["description"],
                                     lead_department=data["lead_department"], due_date=data["due_date"],
                                     other_departments=data.get("other_departments", []),
                                     community=data.get("community"), project=data.get("project"))
        except ValidationError as error:
            return _refused(error)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, work):
        """The lead department's action on its item: who may act is checked before what it sent."""
        item = self.get_object()
        if not access.may_act_on(request.user, item):
            raise ApiPermissionDenied(_("Only the lead department acts on this item."))
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            item = work(item, payload.validated_data)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            return _refused(error)
        return Response(ItemSerializer(item).data)

    @extend_schema(request=UpdateSerializer, responses={200: ItemSerializer, 400: OpenApiResponse(
        description="Refused, with a sentence: an empty text, an item already done.")})
    @action(detail=True, methods=["post"], url_path="progress")
    def progress(self, request, pk=None):
        """The lead department says how the item is going; an open item is then in progress."""
        return self._act(request, UpdateSerializer,
                         lambda item, data: services.update_item(request.user, item, data["text"]))

    @extend_schema(request={"application/json": CloseSerializer, "multipart/form-data": CloseSerializer},
                   responses={200: ItemSerializer, 400: OpenApiResponse(description=CLOSE_400)})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The lead department closes its item with evidence; closed on the platform's today."""
        return self._act(request, CloseSerializer, lambda item, data: services.close_item(
            request.user, item, evidence=data["evidence"], document=data.get("document")))


class MeetingSerializer(serializers.ModelSerializer):
    departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)

    class Meta:
        model = Meeting
        fields = ["id", "date", "title", "departments", "other_attendees", "minutes"]
        extra_kwargs = {"date": {"help_text": "The day it was held: not after today."}}


MEETING_400 = ("Refused, with a sentence: a date after today or more than three years ago, no title, nobody "
               "attending (no department and no other attendee).")


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Joint meetings the caller may see (the bureau and leaders all; others those they attended or that gave
    them an item). Bureau staff record them."""
    queryset = Meeting.objects.none()  # for the schema's id type; get_queryset scopes each request

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        _user_only(self.request)
        return access.meetings_visible_to(self.request.user).prefetch_related("departments").order_by("-date", "pk")

    @extend_schema(responses={201: MeetingSerializer, 400: OpenApiResponse(description=MEETING_400)})
    def create(self, request, *args, **kwargs):
        _user_only(request)
        if not access.is_bureau(request.user):
            raise ApiPermissionDenied(_("Only bureau staff record joint meetings."))
        payload = MeetingSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            meeting = services.record_meeting(request.user, **payload.validated_data)
        except ValidationError as error:
            return _refused(error)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The departments and utilities on the joint meeting (their ids are what items name)."""
    queryset = Department.objects.none()  # for the schema's id type; get_queryset scopes each request

    serializer_class = DepartmentSerializer

    def get_queryset(self):
        _user_only(self.request)
        return Department.objects.order_by("kind", "name")


class WorkSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    utility_name = serializers.CharField(source="utility.name", read_only=True)

    class Meta:
        model = UtilityWork
        fields = ["id", "community", "utility", "utility_name", "description", "quantity", "unit", "cost",
                  "utility_share", "year"]


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = UtilityProgress
        fields = ["id", "date", "quantity", "kind", "reason", "note", "reporter_name", "created_at"]


class UtilityReportSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day of the work: not after today, nor before the year before the "
                                           "work's year.")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Done since the last report")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    variation_reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class WorkViewSet(viewsets.ReadOnlyModelViewSet):
    """Utilities' own works in the communities (管线单位出资): the bureau and leaders all, officers their
    sub-district's, a utility its own. The utility reports progress to `report/`."""
    queryset = UtilityWork.objects.none()  # for the schema's id type; get_queryset scopes each request

    serializer_class = WorkSerializer
    filterset_class = WorkFilterSet

    def get_queryset(self):
        _user_only(self.request)
        return access.works_visible_to(self.request.user).select_related("community", "utility").order_by("pk")

    @extend_schema(request=UtilityReportSerializer, responses={201: ProgressSerializer, 400: OpenApiResponse(
        description="Refused, with a sentence: a date after today or long before the work's year, a quantity "
                    "that is not above zero (use a correction), a total past the planned quantity without "
                    "`variation_reason`.")})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        work = self.get_object()
        payload = UtilityReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            entry = utility.report(request.user, work, data["date"], data["quantity"], note=data.get("note", ""),
                                   variation_reason=data.get("variation_reason", ""))
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            return _refused(error)
        return Response(ProgressSerializer(entry).data, status=status.HTTP_201_CREATED)
