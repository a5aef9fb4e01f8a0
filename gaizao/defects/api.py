"""The defects API: list and report, the work items one may report on, answer, confirm or reopen."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.core.api import text_param
from gaizao.defects import access
from gaizao.defects import services as service
from gaizao.defects.filters import DefectFilterSet
from gaizao.defects.models import Defect
from gaizao.residents.api_callers import caller, refused, residents_community
from gaizao.residents.session import current_household, enforce_csrf


@extend_schema_field({"type": "string", "pattern": "^(open|answered|closed)$",
                      "description": "open (waiting for an answer), answered (waiting for the reporter's word) or "
                                     "closed"})
class DefectStatusField(serializers.CharField):
    """A pattern, not an enum: spectacular names enums by field, and another `status` enum would collide."""


class DefectEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    by = serializers.CharField(help_text="The organisation that acted (or 'Resident'), never a person's name.")
    text = serializers.CharField()
    at = serializers.DateTimeField()
    deadline = serializers.DateField(allow_null=True)
    photos = serializers.ListField(child=serializers.CharField(), help_text="Addresses of the step's photos.")


class DefectSerializer(serializers.ModelSerializer):
    status = DefectStatusField(read_only=True)
    community = serializers.CharField(source="community.code")
    community_name = serializers.CharField(source="community.name")
    household = serializers.SerializerMethodField(help_text="Unit and room only (2单元301).")
    work_item = serializers.CharField(source="project_item.plan_item.item.name")
    project = serializers.CharField(source="project_item.project.code")
    warranty_end = serializers.SerializerMethodField(help_text="Computed from the project's acceptance date.")
    text = serializers.SerializerMethodField(help_text="Mobile and ID numbers in the text are masked.")
    responsible_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Defect
        fields = ["id", "community", "community_name", "household", "project_item", "work_item", "project",
                  "warranty_end", "location", "text", "responsible", "responsible_name", "deadline", "status",
                  "overdue", "created_at", "answered_at", "closed_at", "events"]

    def get_household(self, defect) -> str:
        return str(defect.household) if defect.household_id else ""

    def get_warranty_end(self, defect) -> str | None:
        end = service.warranty_end(defect.project_item)
        return end.isoformat() if end else None

    def get_text(self, defect) -> str:
        return service.redacted(defect)

    def get_responsible_name(self, defect) -> str:
        return service.responsible_name(defect)

    def get_overdue(self, defect) -> bool:
        return service.is_overdue(defect)

    @extend_schema_field(DefectEventSerializer(many=True))
    def get_events(self, defect):
        request = self.context.get("request")
        rows = service.event_rows(defect, redact_texts=True)
        for row in rows:
            urls = [reverse("defects:photo", args=[p.pk]) for p in row["photos"]]
            row["photos"] = [request.build_absolute_uri(u) if request else u for u in urls]
        return DefectEventSerializer(rows, many=True).data


class DefectCreateSerializer(serializers.Serializer):
    community = serializers.CharField(help_text="Community code (a resident gives their own; staff one in their "
                                                "scope).")
    project_item = serializers.IntegerField(help_text="Id of one of the community's project items "
                                                      "(GET /api/defects/items/?community=…).")
    text = serializers.CharField(max_length=service.MAX_TEXT)
    location = serializers.CharField(max_length=100, required=False, allow_blank=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=service.MAX_PHOTOS,
                                   help_text="JPEG, PNG or WebP, at most 10 MB each (multipart).")


class DefectAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=service.MAX_TEXT)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=service.MAX_PHOTOS,
                                   help_text="Photos of the repair (multipart).")


class DefectConfirmSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField(help_text="true: repaired (closes it); false: not repaired (reopens it).")
    text = serializers.CharField(required=False, allow_blank=True, max_length=service.MAX_TEXT,
                                 help_text="Required when not repaired: what is still wrong.")


def _caller(request):
    return caller(request, access.may_see_list,
                  _("Defects are for residents, their committee and the responsible staff."))


def _one(request, pk):
    return service.with_everything(Defect.objects.filter(pk=pk)).get()


@extend_schema_view(
    get=extend_schema(summary="Defects the caller may see", tags=["defects"],
                      description="Staff: their scope (bureau all, officer their sub-district, contractor its "
                                  "company's, committee member their community). An identified resident: their "
                                  "household's."),
    post=extend_schema(
        summary="Report a defect", tags=["defects"],
        request={"application/json": DefectCreateSerializer, "multipart/form-data": DefectCreateSerializer},
        responses={
            201: DefectSerializer,
            202: OpenApiResponse(inline_serializer("DefectBecameFeedback", {
                "detail": serializers.CharField(), "feedback": serializers.IntegerField()}),
                description="The work is not accepted yet: the report became construction feedback for the "
                            "contractor (its id in `feedback`), and `detail` says so."),
            400: OpenApiResponse(description="Refused, with a sentence: no `community` or an unknown one (a "
                                             "resident: not their own), a `project_item` that is not one of the "
                                             "community's, an empty or too long text, a photo that is not a JPEG, "
                                             "PNG or WebP image.")},
        description="By an identified resident (for their household) or by an officer or the bureau. Within the "
                    "item's warranty the defect goes to the contractor, after it to the management body; either "
                    "way with a deadline to answer."),
)
class DefectListCreate(generics.ListCreateAPIView):
    serializer_class = DefectSerializer
    permission_classes = [AllowAny]  # checked in _caller: a staff account or an identified household
    filterset_class = DefectFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Defect.objects.none()
        kind, who = _caller(self.request)
        defects = access.visible_to(who) if kind == "staff" else Defect.objects.filter(household=who)
        return service.with_everything(defects).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        kind, who = _caller(request)
        payload = DefectCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if kind == "resident":
            community, household, entered_by = residents_community(request, who, data["community"]), who, None
        else:
            if not access.reporting_communities(who).exists():
                raise ApiPermissionDenied(_("Only sub-district officers and the bureau report defects."))
            community = access.reporting_communities(who).filter(code=data["community"]).first()
            if community is None:
                raise ApiValidationError({"community": [_("Give the code of a community in your area.")]})
            household, entered_by = None, who
        item = next((i for i in service.community_items(community) if i.pk == data["project_item"]), None)
        if item is None:
            raise ApiValidationError({"project_item": [_("Choose one of this community's work items.")]})
        try:
            outcome = service.report(community, item, household=household, text=data["text"],
                                     location=data.get("location", ""), photos=data.get("photos", []),
                                     entered_by=entered_by)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            return refused(error)
        if outcome.feedback is not None:
            return Response({"detail": service.not_accepted_message(), "feedback": outcome.feedback.pk},
                            status=status.HTTP_202_ACCEPTED)
        return Response(DefectSerializer(_one(request, outcome.defect.pk), context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ReportableItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    work_item = serializers.CharField()
    project = serializers.CharField()
    label = serializers.CharField(help_text="The item in plain words, with its warranty.")
    accepted_on = serializers.DateField(allow_null=True)
    warranty_end = serializers.DateField(allow_null=True)
    within_warranty = serializers.BooleanField()


@extend_schema(summary="Work items one may report a defect on", tags=["defects"],
               parameters=[OpenApiParameter("community", str, required=True, description="Community code")],
               responses={200: ReportableItemSerializer(many=True),
                          400: OpenApiResponse(description="No `community` parameter."),
                          404: OpenApiResponse(description="No such community in the caller's area.")},
               description="The community's project items, accepted ones first; a report on one not accepted yet "
                           "becomes construction feedback.")
@api_view(["GET"])
@permission_classes([AllowAny])
def reportable_items(request):
    kind, who = _caller(request)
    if "community" not in request.query_params:
        raise ApiValidationError({"community": [_("Give the code of a community in your area.")]})
    code = text_param(request, "community")  # NUL: a 400 (PostgreSQL cannot compare it), as the schema says
    if kind == "resident":
        community = who.building.community if code == who.building.community.code else None
    else:
        community = access.reporting_communities(who).filter(code=code).first() or \
            Community.objects.filter(pk__in=access.visible_to(who).values("community"), code=code).first()
    if community is None:  # unknown, or not the caller's: the same answer, so it tells nothing
        raise NotFound(_("No community with this code in your area."))
    day = clock.today()
    rows = [{"id": i.pk, "work_item": i.plan_item.item.name, "project": i.project.code,
             "label": service.item_label(i, day), "accepted_on": i.accepted_on, "warranty_end": i.warranty_ends,
             "within_warranty": i.warranty_ends is not None and i.accepted_on <= day <= i.warranty_ends}
            for i in service.community_items(community)]
    return Response(ReportableItemSerializer(rows, many=True).data)


@extend_schema(summary="Answer a defect", tags=["defects"],
               request={"application/json": DefectAnswerSerializer, "multipart/form-data": DefectAnswerSerializer},
               responses={200: DefectSerializer, 400: OpenApiResponse(description=(
                   "Refused, with a sentence: an empty or too long text, a photo that is not a JPEG, PNG or WebP "
                   "image, more than six photos, or a defect already closed."))},
               description="By the party it was passed to: a member of the contractor, the sub-district office for "
                           "a defect after the warranty, or the bureau.")
@api_view(["POST"])
@permission_classes([AllowAny])
def defect_answer(request, pk):
    kind, who = _caller(request)
    if kind != "staff":
        raise ApiPermissionDenied(_("Only the party this defect was passed to may answer it."))
    defect = get_object_or_404(access.visible_to(who), pk=pk)
    payload = DefectAnswerSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        service.answer(who, defect, payload.validated_data["text"], payload.validated_data.get("photos", []))
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error)) from None
    except ValidationError as error:
        return refused(error)
    return Response(DefectSerializer(_one(request, pk), context={"request": request}).data)


@extend_schema(summary="Confirm or reopen an answered defect", tags=["defects"], request=DefectConfirmSerializer,
               responses={200: DefectSerializer, 400: OpenApiResponse(description=(
                   "Refused, with a sentence: there is no answer to confirm yet (still open, or closed), or "
                   "`satisfied` is false without a `text` saying what is still wrong."))},
               description="By the identified household that reported it (or, for a defect staff entered, that "
                           "office or the bureau): repaired closes it, not repaired reopens it with a new "
                           "deadline.")
@api_view(["POST"])
@permission_classes([AllowAny])
def defect_confirm(request, pk):
    user = request.user if request.user.is_authenticated else None
    household = current_household(request) if user is None else None
    if user is None and household is None:
        raise NotAuthenticated(_("Identify your household with the code from the residents' committee."))
    if household is not None:
        enforce_csrf(request)  # DRF checks CSRF only for logged-in users; a household has no login
        defect = get_object_or_404(Defect, pk=pk, household=household)
    else:
        defect = get_object_or_404(access.visible_to(user), pk=pk)
    payload = DefectConfirmSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        service.confirm(defect, payload.validated_data["satisfied"], payload.validated_data.get("text", ""),
                        household=household, actor=user)
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error)) from None
    except ValidationError as error:
        return refused(error)
    return Response(DefectSerializer(_one(request, pk), context={"request": request}).data)
