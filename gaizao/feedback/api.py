"""The feedback API: list and report, answer, the resident's confirmation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from gaizao.communities.models import Community
from gaizao.feedback import services as service
from gaizao.feedback.filters import FeedbackFilterSet
from gaizao.feedback.forms import check_photo
from gaizao.feedback.models import Feedback
from gaizao.households.models import Household
from gaizao.residents.api_callers import caller, refused, residents_community
from gaizao.residents.session import current_household, enforce_csrf


class FeedbackEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    by = serializers.CharField(help_text="The organisation that acted, never a person's name.")
    text = serializers.CharField()
    at = serializers.DateTimeField()


@extend_schema_field({"type": "string", "pattern": "^(open|answered|closed)$",
                      "description": "open (waiting for an answer), answered (waiting for the resident) or closed"})
class FeedbackStatusField(serializers.CharField):
    """The status as a pattern, not an enum: spectacular names enums by field, and a second `status` enum beside
    the projects' would make `check --deploy` warn about the collision."""


class FeedbackSerializer(serializers.ModelSerializer):
    status = FeedbackStatusField(read_only=True)
    community = serializers.CharField(source="community.code")
    community_name = serializers.CharField(source="community.name")
    household = serializers.SerializerMethodField(help_text="Unit and room only (2单元301).")
    category_label = serializers.CharField(source="get_category_display")
    text = serializers.SerializerMethodField(help_text="Mobile and ID numbers in the text are masked.")
    photo = serializers.SerializerMethodField()
    responsible_name = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = ["id", "community", "community_name", "household", "category", "category_label", "text", "photo",
                  "responsible", "responsible_name", "due_date", "status", "status_label", "overdue", "created_at",
                  "closed_at", "events"]

    def get_household(self, item) -> str:
        return service.household_label(item.household)

    def get_text(self, item) -> str:
        return service.redacted_text(item)

    def get_photo(self, item) -> str | None:
        if not item.photo:
            return None
        url = reverse("feedback:photo", args=[item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_responsible_name(self, item) -> str:
        return service.responsible_name(item)

    def get_overdue(self, item) -> bool:
        return service.is_overdue(item)

    @extend_schema_field(FeedbackEventSerializer(many=True))
    def get_events(self, item):
        return FeedbackEventSerializer(service.event_rows(item, redacted=True), many=True).data


class FeedbackCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Feedback.Category.choices)
    text = serializers.CharField(max_length=service.MAX_TEXT)
    photo = serializers.FileField(required=False, help_text="JPEG, PNG or WebP, at most 10 MB (multipart).")
    community = serializers.CharField(help_text="Community code: the community the problem is in (a resident "
                                                "gives their own; staff and committee members one in their scope).")
    household = serializers.IntegerField(required=False, help_text="Staff and committee members: the household "
                                                                   "they enter the report for.")

    def validate_photo(self, upload):
        try:
            return check_photo(upload)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class FeedbackAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=service.MAX_TEXT)


class FeedbackConfirmSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField()
    text = serializers.CharField(required=False, allow_blank=True, max_length=service.MAX_TEXT)


def _caller(request):
    return caller(request, service.may_see_feedback,
                  _("Feedback is for residents, their committee and the responsible staff."))


@extend_schema_view(
    get=extend_schema(summary="Feedback the caller may see", tags=["feedback"],
                      description="Staff: their scope (bureau all, officer their sub-district, contractor their "
                                  "company's, committee member their community). An identified resident: their "
                                  "household's items."),
    post=extend_schema(summary="Report a problem", request={"application/json": FeedbackCreateSerializer,
                                                           "multipart/form-data": FeedbackCreateSerializer},
                       responses={201: FeedbackSerializer, 400: OpenApiResponse(description=(
                           "Refused, with a sentence: no `community` or an unknown one (a resident: not their own), "
                           "a `household` that is not in that community, a category not in the list, an empty or "
                           "too long text, a photo that is not a JPEG, PNG or WebP image."))},
                       tags=["feedback"],
                       description="By an identified resident (for their household) or by staff and committee "
                                   "members for a community, optionally for one of its households. The item is "
                                   "routed to the responsible party and given a due date."),
)
class FeedbackListCreate(generics.ListCreateAPIView):
    serializer_class = FeedbackSerializer
    permission_classes = [AllowAny]  # checked in _caller: a staff account or an identified household
    filterset_class = FeedbackFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        kind, who = _caller(self.request)
        items = service.visible_to(who) if kind == "staff" else Feedback.objects.filter(household=who)
        return service.with_everything(items).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        kind, who = _caller(request)
        payload = FeedbackCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if kind == "resident":
            community, household, entered_by = residents_community(request, who, data["community"]), who, None
        else:
            community = Community.objects.filter(code=data["community"]).first()
            if community is None:
                raise ApiValidationError({"community": [_("Give the code of a community.")]})
            household = None
            if data.get("household") is not None:
                household = Household.objects.select_related("building").filter(
                    pk=data["household"], building__community=community).first()
                if household is None:
                    raise ApiValidationError({"household": [_("This household is not in this community.")]})
            entered_by = who
        try:
            item = service.report(community, household=household, category=data["category"], text=data["text"],
                                  photo=data.get("photo"), entered_by=entered_by)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            return refused(error)
        item = service.with_everything(Feedback.objects.filter(pk=item.pk)).get()
        return Response(FeedbackSerializer(item, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="Answer an item", request=FeedbackAnswerSerializer, responses={200: FeedbackSerializer},
               tags=["feedback"], description="By the responsible party: a member of the contractor it went to, an "
                                              "officer of the community's sub-district, or the bureau.")
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def feedback_answer(request, pk):
    item = get_object_or_404(service.visible_to(request.user), pk=pk)
    payload = FeedbackAnswerSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        service.answer(request.user, item, payload.validated_data["text"])
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error)) from None
    except ValidationError as error:
        return refused(error)
    item = service.with_everything(Feedback.objects.filter(pk=pk)).get()
    return Response(FeedbackSerializer(item, context={"request": request}).data)


@extend_schema(summary="Confirm or reopen an answered item", request=FeedbackConfirmSerializer,
               responses={200: FeedbackSerializer}, tags=["feedback"],
               description="By the identified household that reported it: satisfied closes the item, not "
                           "satisfied (with a text) sends it back with a new due date.")
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def feedback_confirm(request, pk):
    household = current_household(request)
    if household is None:
        raise NotAuthenticated(_("Identify your household with the code from the residents' committee."))
    enforce_csrf(request)
    item = get_object_or_404(Feedback, pk=pk, household=household)
    payload = FeedbackConfirmSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        service.confirm(household, item, payload.validated_data["satisfied"], payload.validated_data.get("text", ""))
    except ValidationError as error:
        return refused(error)
    item = service.with_everything(Feedback.objects.filter(pk=pk)).get()
    return Response(FeedbackSerializer(item, context={"request": request}).data)
