"""The surveys API: list, answer (online or paper), results."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gaizao.households import access
from gaizao.households.models import Channel, Household
from gaizao.residents.session import current_household, enforce_csrf, not_identified_message
from gaizao.surveys import services as surveys
from gaizao.surveys.filters import SurveyFilterSet
from gaizao.surveys.models import Survey, SurveyResponse

_KIND_HELP = "needs (问需) or satisfaction (问效)"


class SurveySerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    # A plain string: a second enum named "kind" would collide with the progress entries' in the schema.
    kind = serializers.CharField(read_only=True, help_text=_KIND_HELP)
    project = serializers.CharField(source="project.code", read_only=True, allow_null=True, default=None)
    is_open = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField(help_text="For an identified resident: whether their household "
                                                           "has answered; null for staff.")

    class Meta:
        model = Survey
        fields = ["id", "community", "kind", "title", "project", "opens_at", "closes_at", "is_open", "answered"]

    def get_is_open(self, survey) -> bool:
        return surveys.is_open(survey)

    def get_answered(self, survey) -> bool | None:
        answered = self.context.get("answered")
        return None if answered is None else survey.pk in answered


_ANSWERS_HELP = ("Needs survey: {\"items\": [work item codes, most wanted first, 1 to 5]}. Satisfaction survey: "
                 "{\"content\", \"process\", \"management\", \"overall\"}, each \"satisfied\", \"basic\" or "
                 "\"unsatisfied\".")


class ResponseRequestSerializer(serializers.Serializer):
    household = serializers.IntegerField(required=False, help_text=(
        "For a paper form entered by the residents' committee or staff; an identified resident leaves it out."))
    answers = serializers.DictField(help_text=_ANSWERS_HELP)


ResponseSchema = inline_serializer("SurveyResponseSaved", {
    "id": serializers.IntegerField(), "survey": serializers.IntegerField(), "household": serializers.IntegerField(),
    "channel": serializers.ChoiceField(choices=Channel.choices), "answers": serializers.DictField(),
    "created": serializers.BooleanField(help_text="False when an earlier answer of the household was replaced"),
})


class NeedsRankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.IntegerField(help_text="Borda points: 5 for a first choice … 1 for a fifth")
    count = serializers.IntegerField(help_text="Households that chose the item")
    first_choices = serializers.IntegerField()


class SatisfactionRatesSerializer(serializers.Serializer):
    content = serializers.FloatField(allow_null=True)
    process = serializers.FloatField(allow_null=True)
    management = serializers.FloatField(allow_null=True)
    overall = serializers.FloatField(allow_null=True)


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    kind = serializers.CharField(help_text=_KIND_HELP)
    community = serializers.CharField()
    responses = serializers.IntegerField()
    households = serializers.IntegerField(required=False, help_text="Needs: registered households")
    response_rate = serializers.FloatField(required=False, allow_null=True)
    by_points = NeedsRankingRowSerializer(many=True, required=False, help_text="Needs: best first by points")
    by_count = NeedsRankingRowSerializer(many=True, required=False, help_text="Needs: best first by households")
    rates = SatisfactionRatesSerializer(required=False,
                                        help_text="Satisfaction: (satisfied + basic) / responses, per question")
    counts = serializers.DictField(required=False, help_text="Satisfaction: answers per question and level")
    minimum = serializers.FloatField(required=False, allow_null=True,
                                     help_text="Satisfaction: SATISFACTION_MIN_RATE, when set")
    meets_minimum = serializers.BooleanField(required=False, allow_null=True)


ErrorSchema = inline_serializer("SurveyError", {"detail": serializers.CharField()})


def _survey_scope(request, survey_id):
    """(survey, household of the resident or None, staff?) — a 404 outside the caller's scope."""
    survey = Survey.objects.select_related("community", "project").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound
    if request.user.is_authenticated and access.managed_communities(request.user).filter(
            pk=survey.community_id).exists():
        household = None
        resident = current_household(request)
        if resident is not None and resident.building.community_id == survey.community_id:
            household = resident
        return survey, household, True
    resident = current_household(request)
    if resident is not None and resident.building.community_id == survey.community_id:
        return survey, resident, False
    raise NotFound


class SurveyList(ListAPIView):
    """Surveys of a community: an identified resident's own community, or the communities a staff user manages."""

    permission_classes = [AllowAny]
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet

    @extend_schema(tags=["surveys"])
    def get(self, request, *args, **kwargs):
        self.answered = None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        if getattr(self, "swagger_fake_view", False):
            return Survey.objects.none()
        if request.user.is_authenticated and access.managed_communities(request.user).exists():
            queryset = Survey.objects.filter(community__in=access.managed_communities(request.user))
        else:
            household = current_household(request)
            if household is None:
                refusal = ApiPermissionDenied if request.user.is_authenticated else NotAuthenticated
                raise refusal(not_identified_message())
            queryset = Survey.objects.filter(community_id=household.building.community_id)
            self.answered = set(SurveyResponse.objects.filter(household=household).values_list("survey_id",
                                                                                               flat=True))
        return queryset.select_related("community", "project").order_by("-opens_at", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "answered": getattr(self, "answered", None)}


class SurveyResponseCreate(APIView):
    """Answer a survey: an identified resident for their household (online), or the residents' committee and
    staff for any household of the community (paper). A second answer of a household replaces the first."""

    permission_classes = [AllowAny]

    @extend_schema(request=ResponseRequestSerializer,
                   responses={201: OpenApiResponse(ResponseSchema, description="First answer of the household"),
                              200: OpenApiResponse(ResponseSchema, description="Earlier answer replaced"),
                              400: OpenApiResponse(description=(
                                  "Refused, with a sentence: a `household` that is not in the survey's community, "
                                  "answers that do not fit the survey's questions (unknown or repeated items, too "
                                  "many, a question left unanswered), a survey that has closed.")),
                              403: ErrorSchema, 404: OpenApiResponse(description="Not in scope")},
                   tags=["surveys"])
    def post(self, request, survey_id):
        survey, own, _staff = _survey_scope(request, survey_id)
        payload = ResponseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        household_id = payload.validated_data.get("household")
        if household_id is None or (own is not None and own.pk == household_id):
            if own is None:
                raise ApiPermissionDenied(not_identified_message())
            if not request.user.is_authenticated:
                enforce_csrf(request)
            household, channel, entered_by = own, Channel.ONLINE, None
        elif access.may_work_for(request.user, survey.community):
            household = (Household.objects.select_related("building").filter(
                pk=household_id, building__community_id=survey.community_id).first())
            if household is None:
                return Response({"detail": _("No such household in this community.")},
                                status=status.HTTP_400_BAD_REQUEST)
            channel, entered_by = Channel.PAPER, request.user
        else:
            raise ApiPermissionDenied(_("A resident answers for their own household only."))
        try:
            saved, created = surveys.submit_response(survey, household, payload.validated_data["answers"],
                                                     channel=channel, entered_by=entered_by)
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": saved.pk, "survey": survey.pk, "household": household.pk, "channel": saved.channel,
                         "answers": saved.answers, "created": created},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def survey_results(survey) -> dict:
    """Aggregates only: no household, name or number appears in a result."""
    found = {"survey": survey.pk, "kind": survey.kind, "community": survey.community.code}
    if survey.kind == Survey.Kind.NEEDS:
        ranking = surveys.needs_ranking(survey.community, survey).as_dict()
        ranking.pop("survey")
        return {**found, **ranking}
    rates = surveys.satisfaction_rates(survey=survey).as_dict()
    found.update(rates)
    if survey.project_id:
        check = surveys.check_minimum(survey.project)
        found["minimum"] = float(check.minimum) if check.minimum is not None else None
        found["meets_minimum"] = check.ok
    return found


class SurveyResults(APIView):
    """Needs: items ranked by Borda points and by count. Satisfaction: the rate of each question."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: SurveyResultsSerializer, 404: OpenApiResponse(description="Not in scope")},
                   tags=["surveys"])
    def get(self, request, survey_id):
        survey = _survey_scope(request, survey_id)[0]
        return Response(survey_results(survey))
