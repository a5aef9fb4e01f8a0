"""The votes API: list votes, read a result, cast a ballot (a resident online, or the committee on paper)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gaizao.households.models import Household
from gaizao.residents.session import current_household, enforce_csrf, not_identified_message
from gaizao.votes import services as votes
from gaizao.votes.filters import VoteFilterSet
from gaizao.votes.models import Ballot, Vote


class VoteSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    building = serializers.CharField(source="building.name", read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Vote
        fields = ["id", "community", "title", "description", "subject", "matter", "electorate", "building",
                  "stairwell_unit", "opens_at", "closes_at", "quorum_area", "quorum_owners", "pass_area",
                  "pass_owners", "pass_strictly_more", "status"]

    def get_status(self, vote) -> str:
        return votes.status(vote)


class BallotRequestSerializer(serializers.Serializer):
    household = serializers.IntegerField(help_text="Household id: the resident's own, or any of the electorate "
                                                   "for the committee and the bureau (paper ballot).")
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


_AREA_COUNT = {"voters": serializers.IntegerField(), "households": serializers.IntegerField(),
               "area_m2": serializers.FloatField()}


_CHOICE = inline_serializer("VoteChoiceTally", {**_AREA_COUNT, "share_voters": serializers.FloatField(),
                                                "share_area": serializers.FloatField()})


_TEST = inline_serializer("VoteThresholdTest", {
    "met": serializers.BooleanField(),
    "area": inline_serializer("VoteAreaTest", {
        "met": serializers.BooleanField(), "required_share": serializers.CharField(),
        "strictly_more": serializers.BooleanField(), "threshold_m2": serializers.FloatField(),
        "actual_m2": serializers.FloatField(), "margin_m2": serializers.FloatField()}),
    "owners": inline_serializer("VoteOwnersTest", {
        "met": serializers.BooleanField(), "required_share": serializers.CharField(),
        "strictly_more": serializers.BooleanField(), "required": serializers.IntegerField(),
        "actual": serializers.IntegerField(), "margin": serializers.IntegerField()}),
})


ResultSchema = inline_serializer("VoteResult", {
    "vote": serializers.IntegerField(), "title": serializers.CharField(), "community": serializers.CharField(),
    "matter": serializers.CharField(), "electorate": serializers.CharField(),
    "status": serializers.CharField(help_text="upcoming, open or closed"), "final": serializers.BooleanField(),
    "opens_at": serializers.DateTimeField(), "closes_at": serializers.DateTimeField(),
    "total": inline_serializer("VoteTotals", _AREA_COUNT),
    "participating": _CHOICE, "yes": _CHOICE, "no": _CHOICE, "abstain": _CHOICE,
    "quorum": _TEST, "approval": _TEST, "quorum_met": serializers.BooleanField(), "passed": serializers.BooleanField(),
    "published_rows": inline_serializer("VotePublishedRow", {
        "building": serializers.CharField(), "stairwell_unit": serializers.IntegerField(),
        "room": serializers.CharField(), "area_m2": serializers.FloatField(),
        "choice": serializers.CharField(allow_null=True), "channel": serializers.CharField(allow_null=True),
    }, many=True, help_text="Unit numbers and areas only, never names; left empty for residents until the vote "
                            "has closed."),
})


BallotSchema = inline_serializer("BallotCast", {
    "id": serializers.IntegerField(), "vote": serializers.IntegerField(), "household": serializers.IntegerField(),
    "choice": serializers.CharField(), "channel": serializers.CharField(),
    "outcome": serializers.ChoiceField(choices=["created"]),
    "participating": _CHOICE,
})


ErrorSchema = inline_serializer("VoteError", {"detail": serializers.CharField(),
                                              "code": serializers.CharField(required=False)})


def _resident_household(request, vote: Vote) -> Household | None:
    """The household identified on this phone, when it belongs to the vote's community."""
    household = current_household(request)
    if household is not None and household.building.community_id == vote.community_id:
        return household
    return None


def _vote_for(request, vote_id: int) -> tuple[Vote, bool]:
    """The vote and whether the caller is staff in its scope; residents see their community's votes."""
    vote = Vote.objects.select_related("community", "building").filter(pk=vote_id).first()
    if vote is None:
        raise NotFound
    if votes.votes_visible_to(request.user).filter(pk=vote.pk).exists():
        return vote, True
    if _resident_household(request, vote) is not None:
        return vote, False
    raise NotFound  # not a hint that the vote exists


class VoteList(ListAPIView):
    """Votes in the caller's scope: their communities for staff, the household's community for a resident."""

    permission_classes = [AllowAny]
    serializer_class = VoteSerializer
    filterset_class = VoteFilterSet

    @extend_schema(tags=["votes"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vote.objects.none()
        queryset = votes.votes_visible_to(self.request.user)
        if not self.request.user.is_authenticated:
            household = current_household(self.request)
            if household is None:
                raise ApiPermissionDenied(not_identified_message())
            queryset = votes.votes_for_household(household)
        return queryset.select_related("community", "building").order_by("-opens_at", "pk")


class VoteResult(APIView):
    """The count as it stands: turnout, choices by area and headcount, quorum and approval with their margins."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiResponse(ResultSchema), 404: OpenApiResponse(description="Not in scope")},
                   tags=["votes"])
    def get(self, request, vote_id):
        vote, staff = _vote_for(request, vote_id)
        found = votes.result(vote)
        if not staff and not found["final"]:
            found["published_rows"] = []  # residents see each unit's choice once the vote has closed
        return Response(found)


class BallotCreate(APIView):
    """Cast a ballot: an identified resident for their own household (online), or the residents' committee and
    bureau staff for any household of the electorate (paper). Each owner votes once: a second ballot of the same
    owner, online or paper, is refused (409) and the first stands."""

    permission_classes = [AllowAny]

    @extend_schema(request=BallotRequestSerializer,
                   responses={201: OpenApiResponse(BallotSchema, description="A new ballot"),
                              400: OpenApiResponse(description=(
                                  "Refused, with a sentence and a `code`: a household that is not among those who "
                                  "vote on this question (`electorate`: another community, building or stairwell), "
                                  "a vote that is not open, a choice not in the list.")),
                              403: OpenApiResponse(ErrorSchema),
                              404: OpenApiResponse(description="Not in scope"), 409: OpenApiResponse(ErrorSchema)},
                   tags=["votes"])
    def post(self, request, vote_id):
        vote = _vote_for(request, vote_id)[0]
        payload = BallotRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        household = Household.objects.filter(pk=payload.validated_data["household"],
                                              building__community_id=vote.community_id).first()
        if household is None:
            return _error(_electorate_message(), "electorate", status.HTTP_400_BAD_REQUEST)
        own = _resident_household(request, vote)
        if own is not None and own.pk == household.pk:
            if not request.user.is_authenticated:
                enforce_csrf(request)
            channel, entered_by = Ballot.Channel.ONLINE, None
        elif votes.may_enter_paper(request.user, vote):
            channel, entered_by = Ballot.Channel.PAPER, request.user
        else:
            raise ApiPermissionDenied(not_identified_message() if own is None else _own_only_message())
        try:
            cast = votes.cast_ballot(vote, household, payload.validated_data["choice"], channel=channel,
                                     entered_by=entered_by)
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except votes.AlreadyVoted as error:
            return _error(" ".join(error.messages), error.code, status.HTTP_409_CONFLICT)
        except ValidationError as error:
            return _error(" ".join(error.messages), error.code or "invalid", status.HTTP_400_BAD_REQUEST)
        ballot = cast.ballot
        return Response({"id": ballot.pk, "vote": vote.pk, "household": ballot.household_id,
                         "choice": ballot.choice, "channel": ballot.channel, "outcome": cast.outcome,
                         "participating": votes.turnout(vote)["participating"]},
                        status=status.HTTP_201_CREATED)


def _error(detail, code, http_status):
    return Response({"detail": detail, "code": code}, status=http_status)


def _electorate_message():
    return _("This household is not among those who vote on this question.")


def _own_only_message():
    return _("A resident votes for their own household only.")
