"""Residents' pages on the phone (entry with a one-time code, home, surveys), the staff pages that run them
(households register, committee, codes, surveys and results, QR code) and the surveys and households API."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gaizao.accounts.models import User
from gaizao.communities.models import Community
from gaizao.core import excel
from gaizao.participation import access, households, surveys
from gaizao.participation.filters import HouseholdFilterSet, SurveyFilterSet
from gaizao.participation.forms_residents import (
    CommitteeForm,
    HouseholdsUploadForm,
    IdentifyForm,
    IssueCodesForm,
    MemberForm,
    PaperHouseholdForm,
    SurveyDatesForm,
    SurveyForm,
    answer_form,
    household_label,
)
from gaizao.participation.masking import may_see_personal_data
from gaizao.participation.models import (
    Ballot,
    Committee,
    CommitteeMember,
    Household,
    Notice,
    Ownership,
    Survey,
    SurveyResponse,
    Vote,
)
from gaizao.participation.resident_session import current_household, forget, household_required, identify

PAGE_SIZE = 50
NOTICES_SHOWN = 10


def _public_community(code) -> Community:
    return get_object_or_404(Community.objects.select_related("subdistrict__parent"), code=code)


def entry_url(request, community) -> str:
    """The link on the stairwell door: RESIDENT_BASE_URL (e.g. https://gaizao.example.gov.cn) when set."""
    path = reverse("residents:entry", args=[community.code])
    base = getattr(settings, "RESIDENT_BASE_URL", "")
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


# == residents ===================================================================================================

def entry(request, code):
    """The QR code's page: the community's name and the form to identify a household with a code."""
    community = _public_community(code)
    household = current_household(request)
    if request.method == "GET" and household is not None and household.building.community_id == community.pk:
        return redirect("residents:home", code=code)
    form = IdentifyForm(request.POST or None, community=community)
    problem = ""
    if request.method == "POST" and form.is_valid():
        found = form.find_household()
        verdict = access.verify(found, form.cleaned_data["code"]) if found is not None else access.Verdict.WRONG
        if verdict == access.Verdict.OK:
            identify(request, found)
            return redirect("residents:home", code=code)
        if verdict == access.Verdict.LOCKED:
            problem = _("Too many wrong codes for this household. Please ask your residents' committee for a new "
                        "code, or try again in 15 minutes.")
        else:
            problem = _("The household or the code is not right. Check the building, unit, room and code; each "
                        "code works once and for 30 days.")
    status_code = 200 if not problem else 400
    return render(request, "participation/residents/entry.html", {
        "community": community, "form": form, "problem": problem, "channel": access.code_channel(),
    }, status=status_code)


def _notices(community):
    now = timezone.now()
    areas = []
    area = community.subdistrict
    while area is not None and len(areas) < 4:
        areas.append(area.pk)
        area = area.parent
    return (Notice.objects.filter(Q(community=community) | Q(area_id__in=areas), published_at__lte=now)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now)).order_by("-published_at", "-pk"))


def open_votes(household, now=None):
    now = now or timezone.now()
    building, unit = household.building_id, household.stairwell_unit
    return (Vote.objects.filter(community_id=household.building.community_id, opens_at__lte=now, closes_at__gt=now)
            .filter(Q(electorate=Vote.Electorate.COMMUNITY)
                    | Q(electorate=Vote.Electorate.BUILDING, building_id=building)
                    | Q(electorate=Vote.Electorate.UNIT, building_id=building, stairwell_unit=unit))
            .order_by("closes_at"))


@household_required
def home(request, code, household):
    community = household.building.community
    open_list = list(surveys.open_surveys(community))
    answered = set(SurveyResponse.objects.filter(household=household, survey__in=open_list)
                   .values_list("survey_id", flat=True))
    return render(request, "participation/residents/home.html", {
        "community": community, "household": household, "label": household_label(household),
        "votes": open_votes(household), "surveys": [(s, s.pk in answered) for s in open_list],
        "notices": _notices(community)[:NOTICES_SHOWN],
    })


@require_POST
def leave(request, code):
    forget(request)
    messages.info(request, _("You have left. Scan the code again to come back."))
    return redirect("residents:entry", code=code)


@household_required
def survey_answer(request, code, household, survey_id):
    survey = get_object_or_404(Survey, pk=survey_id, community=household.building.community)
    response = SurveyResponse.objects.filter(survey=survey, household=household).first()
    if not surveys.is_open(survey):
        messages.info(request, _("This survey is closed."))
        return redirect("residents:home", code=code)
    form = answer_form(survey, request.POST or None, response.answers if response else None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.submit_response(survey, household, form.cleaned_data["answers"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your answers are saved; you can change them until the survey "
                                        "closes."))
            return redirect("residents:home", code=code)
    return render(request, "participation/residents/survey.html", {
        "community": survey.community, "survey": survey, "form": form, "response": response,
        "label": household_label(household), "questions": surveys.QUESTIONS,
    })


# == the community's link as a QR code ==========================================================================

@login_required
def qr_page(request, code):
    community = access.get_managed_community(request.user, code)
    return render(request, "participation/residents/qr.html", {"community": community,
                                                               "url": entry_url(request, community)})


@login_required
def qr_svg(request, code):
    community = access.get_managed_community(request.user, code)
    buffer = io.BytesIO()
    segno.make(entry_url(request, community), error="m").save(buffer, kind="svg", scale=8, border=2,
                                                              title=community.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# == staff =====================================================================================================

@login_required
def manage_index(request):
    user = request.user
    if not (user.sees_whole_district or user.role in (User.Role.SUBDISTRICT_OFFICER, User.Role.COMMITTEE_MEMBER)):
        raise PermissionDenied
    communities = access.managed_communities(user).select_related("subdistrict").order_by("code")
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participation/residents/manage_index.html", {"page": page})


def _manage_context(request, community, **extra):
    user = request.user
    return {"community": community, "is_staff_for": access.is_staff_for(user, community),
            "may_work": access.may_work_for(user, community),
            "may_import": households.may_import(user, community), **extra}


@login_required
def manage(request, code):
    community = access.get_managed_community(request.user, code)
    rows = (Household.objects.filter(building__community=community).select_related("building")
            .prefetch_related(Prefetch("ownerships", queryset=Ownership.objects.select_related("owner")))
            .order_by("building__name", "stairwell_unit", "room"))
    building = request.GET.get("building")
    if building and building.isdigit():
        rows = rows.filter(building_id=int(building))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    codes = access.code_status([h.pk for h in page.object_list])
    listed = [{"household": h, "owners": [households.owner_contacts(o.owner, request.user) for o in h.ownerships.all()],
               "code_until": codes.get(h.pk)} for h in page.object_list]
    totals = Household.objects.filter(building__community=community)
    survey_list = Survey.objects.filter(community=community).select_related("project").order_by("-opens_at")
    return render(request, "participation/residents/manage.html", _manage_context(
        request, community, page=page, rows=listed, buildings=community.buildings.order_by("name"),
        building=building, household_count=totals.count(),
        owner_count=Ownership.objects.filter(household__in=totals).values("owner").distinct().count(),
        surveys=survey_list, committees=community.committees.prefetch_related("members__user"),
        full_contacts=may_see_personal_data(request.user), now=timezone.now()))


@login_required
def households_export(request, code):
    community = access.get_managed_community(request.user, code)
    workbook = households.households_workbook(Community.objects.filter(pk=community.pk))
    return excel.response(workbook, f"住户_{community.code}_{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def households_template(request):
    return excel.response(households.households_workbook(), "住户模板.xlsx")


@login_required
def households_import(request, code):
    community = access.get_managed_community(request.user, code)
    access.require(households.may_import(request.user, community))
    form = HouseholdsUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        if dry_run:
            result = households.plan_import(upload, request.user, community)
        else:
            try:
                result = households.apply_import(upload, request.user, community,
                                                 reason=_("Imported %(name)s") % {"name": upload.name[:100]})
            except households.ImportRejected as rejected:
                result = rejected.result
            else:
                messages.success(request, _("Households imported: %(create)s new, %(update)s updated, "
                                            "%(unchanged)s unchanged.") % result.households)
                return redirect("residents:manage", code=code)
    return render(request, "participation/residents/import.html", _manage_context(
        request, community, form=form, result=result, shown_errors=(result.errors[:500] if result else [])))


@login_required
def committee(request, code):
    community = access.get_managed_community(request.user, code)
    staff = access.is_staff_for(request.user, community)
    committees = list(community.committees.prefetch_related("members__user").order_by("pk"))
    committee_form = CommitteeForm(prefix="committee", initial={"name": _("%(name)s residents' committee")
                                                                        % {"name": community.name}})
    member_form = MemberForm(prefix="member")
    if request.method == "POST":
        access.require(staff)
        action = request.POST.get("action")
        if action == "create":
            committee_form = CommitteeForm(request.POST, prefix="committee",
                                           instance=Committee(community=community))
            if committee_form.is_valid():
                committee_form.save()
                messages.success(request, _("Committee created."))
                return redirect("residents:committee", code=code)
        elif action == "add":
            target = get_object_or_404(Committee, pk=request.POST.get("committee"), community=community)
            member_form = MemberForm(request.POST, prefix="member")
            if member_form.is_valid():
                _add_member(target, member_form)
                messages.success(request, _("Member added."))
                return redirect("residents:committee", code=code)
        elif action == "remove":
            member = get_object_or_404(CommitteeMember, pk=request.POST.get("member"),
                                       committee__community=community)
            member.delete()
            messages.success(request, _("Member removed."))
            return redirect("residents:committee", code=code)
    return render(request, "participation/residents/committee.html", _manage_context(
        request, community, committees=committees, committee_form=committee_form, member_form=member_form))


@transaction.atomic
def _add_member(committee_obj, form):
    data = form.cleaned_data
    user = form.user
    if user is None:
        user = User(username=data["username"], role=User.Role.COMMITTEE_MEMBER, first_name=data.get("full_name", ""))
        user.set_password(data["password"])
        user.save()
    CommitteeMember.objects.update_or_create(committee=committee_obj, user=user, defaults={"role": data["role"]})


@never_cache
@login_required
def codes(request, code):
    """Issue codes for a building; the answer is the printable sheet, the only place codes are shown."""
    community = access.get_managed_community(request.user, code)
    access.require(access.may_work_for(request.user, community))
    form = IssueCodesForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        building = get_object_or_404(community.buildings, pk=form.cleaned_data["building"])
        targets = Household.objects.filter(building=building).select_related("building").order_by(
            "stairwell_unit", "room")
        if form.cleaned_data.get("unit"):
            targets = targets.filter(stairwell_unit=form.cleaned_data["unit"])
        if form.cleaned_data.get("only_without_code"):
            holding = access.code_status(targets)
            targets = [h for h in targets if h.pk not in holding]
        issued = access.issue_codes(request.user, targets)
        if not issued:
            messages.info(request, _("Every household chosen already has a valid code; nothing was issued."))
            return redirect("residents:codes", code=code)
        return render(request, "participation/residents/code_sheet.html", {
            "community": community, "building": building, "issued": issued,
            "url": entry_url(request, community), "labels": {i.household.pk: household_label(i.household)
                                                             for i in issued}})
    return render(request, "participation/residents/codes.html", _manage_context(request, community, form=form))


@login_required
def survey_create(request, code):
    community = access.get_managed_community(request.user, code)
    access.require(access.is_staff_for(request.user, community))
    kind = request.GET.get("kind") if request.GET.get("kind") in Survey.Kind.values else Survey.Kind.NEEDS
    titles = {Survey.Kind.NEEDS: _("%(name)s: what should the renovation include?"),
              Survey.Kind.SATISFACTION: _("%(name)s: how satisfied are you with the renovation?")}
    form = SurveyForm(request.POST or None, community=community,
                      initial={"kind": kind, "title": titles[kind] % {"name": community.name}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = surveys.create_survey(community, data["kind"], data["title"], data["opens_at"],
                                           data["closes_at"], data.get("project"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Survey created."))
            return redirect("residents:survey", code=code, survey_id=survey.pk)
    return render(request, "participation/residents/survey_form.html", _manage_context(request, community,
                                                                                       form=form))


@login_required
def survey_detail(request, code, survey_id):
    community = access.get_managed_community(request.user, code)
    survey = get_object_or_404(Survey.objects.select_related("project__contractor"), pk=survey_id,
                               community=community)
    dates = SurveyDatesForm(request.POST or None, initial={"opens_at": survey.opens_at, "closes_at": survey.closes_at})
    if request.method == "POST":
        access.require(access.is_staff_for(request.user, community))
        if dates.is_valid():
            survey.opens_at, survey.closes_at = dates.cleaned_data["opens_at"], dates.cleaned_data["closes_at"]
            survey.save(update_fields=["opens_at", "closes_at"])
            messages.success(request, _("Saved."))
            return redirect("residents:survey", code=code, survey_id=survey.pk)
    responses = SurveyResponse.objects.filter(survey=survey)
    channels = {row["channel"]: row["n"] for row in _channel_counts(responses)}
    context = _manage_context(request, community, survey=survey, dates=dates, is_open=surveys.is_open(survey),
                              responses=sum(channels.values()), paper=channels.get(Ballot.Channel.PAPER, 0),
                              online=channels.get(Ballot.Channel.ONLINE, 0))
    if survey.kind == Survey.Kind.NEEDS:
        context["ranking"] = surveys.needs_ranking(community, survey)
    else:
        context["rates"] = surveys.satisfaction_rates(survey=survey)
        context["levels"] = surveys.LEVELS
        if survey.project_id:
            context["check"] = surveys.check_minimum(survey.project)
    return render(request, "participation/residents/survey_detail.html", context)


def _channel_counts(responses):
    from django.db.models import Count

    return responses.values("channel").annotate(n=Count("pk")).order_by()


@login_required
def survey_paper(request, code, survey_id):
    """The committee enters a household's paper form; it replaces any earlier answer of that household."""
    community = access.get_managed_community(request.user, code)
    access.require(access.may_work_for(request.user, community))
    survey = get_object_or_404(Survey, pk=survey_id, community=community)
    who = PaperHouseholdForm(request.POST or None, community=community, prefix="who")
    form = answer_form(survey, request.POST or None)
    if request.method == "POST" and who.is_valid() and form.is_valid():
        try:
            _response, created = surveys.submit_response(survey, who.household, form.cleaned_data["answers"],
                                                         channel=Ballot.Channel.PAPER, entered_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = household_label(who.household)
            if created:
                messages.success(request, _("Paper form of %(household)s entered.") % {"household": label})
            else:
                messages.success(request, _("Paper form of %(household)s entered; it replaces the household's "
                                            "earlier answer.") % {"household": label})
            return redirect("residents:survey_paper", code=code, survey_id=survey.pk)
    return render(request, "participation/residents/survey_paper.html", _manage_context(
        request, community, survey=survey, who=who, form=form, questions=surveys.QUESTIONS))


@login_required
def satisfaction_overview(request):
    """Satisfaction per sub-district, contractor and community, within the user's scope."""
    communities = access.managed_communities(request.user)
    if not (request.user.sees_whole_district or request.user.role == User.Role.SUBDISTRICT_OFFICER):
        raise PermissionDenied
    return render(request, "participation/residents/satisfaction.html", {
        "tables": [(_("Sub-districts"), surveys.satisfaction_table("subdistrict", communities)),
                   (_("Contractors"), surveys.satisfaction_table("contractor", communities)),
                   (_("Communities"), surveys.satisfaction_table("community", communities))],
        "minimum": surveys.minimum_rate(),
    })


# == API =======================================================================================================

def _enforce_csrf(request):
    # Residents have only a session, no login: DRF skips its CSRF check for anonymous callers, so do it here.
    SessionAuthentication().enforce_csrf(request)


def _not_identified():
    return _("Log in, or identify your household with the code from your residents' committee.")


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
    "channel": serializers.ChoiceField(choices=Ballot.Channel.choices), "answers": serializers.DictField(),
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


class OwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked, e.g. 138****5678")
    id_number = serializers.CharField(help_text="Masked, e.g. 1408**********1234")


class HouseholdSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="building.community.code", read_only=True)
    building = serializers.CharField(source="building.name", read_only=True)
    owners = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "community", "building", "building_id", "stairwell_unit", "room", "exclusive_area_m2",
                  "owner_occupied", "owners"]

    @extend_schema_field(OwnerSerializer(many=True))
    def get_owners(self, household):
        # API answers never carry a full phone or ID number, whoever asks (full numbers are on pages only).
        return [households.masked_owner(o.owner) for o in household.ownerships.all()]


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
                raise (ApiPermissionDenied if request.user.is_authenticated else NotAuthenticated)(_not_identified())
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
                              403: ErrorSchema, 404: OpenApiResponse(description="Not in scope")},
                   tags=["surveys"])
    def post(self, request, survey_id):
        survey, own, _staff = _survey_scope(request, survey_id)
        payload = ResponseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        household_id = payload.validated_data.get("household")
        if household_id is None or (own is not None and own.pk == household_id):
            if own is None:
                raise ApiPermissionDenied(_not_identified())
            if not request.user.is_authenticated:
                _enforce_csrf(request)
            household, channel, entered_by = own, Ballot.Channel.ONLINE, None
        elif access.may_work_for(request.user, survey.community):
            household = (Household.objects.select_related("building").filter(
                pk=household_id, building__community_id=survey.community_id).first())
            if household is None:
                return Response({"detail": _("No such household in this community.")},
                                status=status.HTTP_400_BAD_REQUEST)
            channel, entered_by = Ballot.Channel.PAPER, request.user
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


class HouseholdList(ListAPIView):
    """Registered households of the communities the caller manages, with owners; phone and ID numbers masked."""

    permission_classes = [IsAuthenticated]
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    @extend_schema(tags=["households"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        communities = access.managed_communities(self.request.user)
        return (Household.objects.filter(building__community__in=communities)
                .select_related("building__community")
                .prefetch_related(Prefetch("ownerships", queryset=Ownership.objects.select_related("owner")))
                .order_by("building__community__code", "building__name", "stairwell_unit", "room", "pk"))
