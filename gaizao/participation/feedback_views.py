"""Feedback (诉求) and notice pages — residents' on the phone, staff's in the office — and their API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from gaizao.communities.models import Community
from gaizao.core import excel
from gaizao.core.api import text_param
from gaizao.participation import feedback as service
from gaizao.participation import notices
from gaizao.participation.filters import FeedbackFilterSet
from gaizao.participation.forms_feedback import (
    AnswerForm,
    ConfirmForm,
    NoticeForm,
    ResidentFeedbackForm,
    check_photo,
)
from gaizao.participation.masking import may_see_personal_data
from gaizao.participation.models import Feedback, Household, Notice
from gaizao.participation.resident_session import current_household, household_required

Status = Feedback.Status
SORTS = {"created": "created_at", "due": "due_date", "status": "status", "category": "category",
         "community": "community__code"}
PAGE_SIZE = 100


def _with_everything(items):
    return items.select_related("community__subdistrict", "household__building", "company").prefetch_related(
        "events__actor__membership__company", "events__actor__subdistrict", "household__ownerships__owner")


def _events(item, redacted: bool):
    return [{"kind": e.kind, "label": service.event_label(e.kind), "by": service.actor_label(e.actor),
             "text": service.redacted_text(item, e.text) if redacted else e.text, "at": e.at}
            for e in item.events.all()]


def _overdue_q(day):
    return Q(status=Status.OPEN, due_date__lt=day)


# --- staff pages ----------------------------------------------------------------------------------------------


def _filtered(request, items):
    """The list's filters, search and sort, shared by the page and the Excel file."""
    get = request.GET
    if get.get("status") in Status.values:
        items = items.filter(status=get["status"])
    elif get.get("status") == "unresolved":
        items = items.exclude(status=Status.CLOSED)
    if get.get("category") in Feedback.Category.values:
        items = items.filter(category=get["category"])
    if get.get("responsible") in Feedback.Responsible.values:
        items = items.filter(responsible=get["responsible"])
    if get.get("community"):
        items = items.filter(community__code=get["community"])
    if get.get("overdue"):
        items = items.filter(_overdue_q(timezone.localdate()))
    query = get.get("q", "").strip()
    if query:
        search = (Q(text__icontains=query) | Q(community__name__icontains=query) | Q(community__code=query)
                  | Q(household__room__icontains=query) | Q(company__name__icontains=query))
        if query.isdigit():
            search |= Q(pk=int(query))
        items = items.filter(search)
    sort = get.get("sort", "-created")
    field = SORTS.get(sort.lstrip("-"), "created_at")
    return items.order_by(("-" if sort.startswith("-") else "") + field, "-pk"), sort


@login_required
def feedback_list(request):
    if not service.may_see_feedback(request.user):
        raise PermissionDenied
    scope = service.visible_to(request.user)
    items, sort = _filtered(request, _with_everything(scope))
    today = timezone.localdate()
    if request.GET.get("format") == "xlsx":
        return _export(items, today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = scope.aggregate(open=Count("pk", filter=Q(status=Status.OPEN)),
                              answered=Count("pk", filter=Q(status=Status.ANSWERED)),
                              overdue=Count("pk", filter=_overdue_q(today)))
    communities = Community.objects.filter(pk__in=scope.values("community")).order_by("code").values("code", "name")
    rows = [{"item": item, "text": service.redacted_text(item),
             "household": service.household_label(item.household),
             "responsible": service.responsible_name(item), "overdue": service.is_overdue(item, today)}
            for item in page]
    return render(request, "participation/feedback/list.html", {
        "page": page, "rows": rows, "sort": sort, "summary": summary, "communities": communities,
        "statuses": Status.choices, "categories": Feedback.Category.choices,
        "responsibles": Feedback.Responsible.choices,
    })


def _export(items, today):
    """The list as a workbook. Households appear as unit and room only; numbers typed into texts are masked."""
    from gaizao.works.bulletin import clean

    rows = []
    for item in items:
        answers = [e for e in item.events.all() if e.kind == service.Event.ANSWERED]
        rows.append([
            item.pk, timezone.localtime(item.created_at).replace(tzinfo=None), item.community.code,
            clean(item.community.name), clean(item.community.subdistrict.name),
            clean(item.household.building.name) if item.household else "",
            service.household_label(item.household), str(item.get_category_display()),
            clean(service.redacted_text(item)), str(item.get_responsible_display()),
            clean(service.responsible_name(item)), item.due_date, str(item.get_status_display()),
            _("yes") if service.is_overdue(item, today) else "",
            clean(service.redacted_text(item, answers[-1].text)) if answers else "",
            timezone.localtime(item.closed_at).replace(tzinfo=None) if item.closed_at else None,
        ])
    workbook = excel.new_workbook()
    sheet = excel.add_sheet(workbook, _("Feedback"), [
        _("No."), _("Reported"), _("Community code"), _("Community"), _("Sub-district"), _("Building"),
        _("Household"), _("Category"), _("What is wrong"), _("Responsible"), _("Responsible party"), _("Due"),
        _("Status"), _("Overdue"), _("Latest answer"), _("Closed")], rows, {2: 18, 4: 20, 9: 50, 11: 24, 15: 40,
                                                                            16: 18})
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in (2, 16) and cell.value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif cell.column == 12:
                cell.number_format = "yyyy-mm-dd"
    return excel.response(workbook, f"居民诉求_{today:%Y%m%d}.xlsx")


@login_required
def feedback_detail(request, pk):
    item = get_object_or_404(_with_everything(service.visible_to(request.user)), pk=pk)
    can_answer = service.may_answer(request.user, item) and item.status != Status.CLOSED
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                service.answer(request.user, item, form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Answer sent. The resident is asked to confirm."))
                return redirect("feedback:detail", pk=item.pk)
    redacted = not may_see_personal_data(request.user)
    return render(request, "participation/feedback/detail.html", {
        "item": item, "text": service.redacted_text(item) if redacted else item.text,
        "events": _events(item, redacted), "household": service.household_label(item.household),
        "responsible": service.responsible_name(item), "overdue": service.is_overdue(item),
        "form": form, "can_answer": can_answer,
    }, status=400 if form.errors else 200)


def feedback_photo(request, pk):
    """A report's photo, to the staff who see the item and to the household that sent it (never public media)."""
    item = get_object_or_404(Feedback, pk=pk)
    household = current_household(request)
    allowed = (service.visible_to(request.user).filter(pk=pk).exists()
               or (household is not None and household.pk == item.household_id))
    if not allowed or not item.photo:
        raise Http404
    response = FileResponse(item.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- resident pages -------------------------------------------------------------------------------------------


@household_required
def resident_new(request, code, household):
    community = household.building.community
    form = ResidentFeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = service.report(community, household=household, category=form.cleaned_data["category"],
                                  text=form.cleaned_data["text"], photo=form.cleaned_data.get("photo"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your report has been passed on; you will have an answer by "
                                        "%(date)s.") % {"date": item.due_date.strftime("%Y-%m-%d")})
            return redirect("feedback:mine", code=code)
    return render(request, "participation/feedback/resident_new.html", {
        "community": community, "household": household, "form": form,
    }, status=400 if form.errors else 200)


@household_required
def resident_mine(request, code, household):
    items = _with_everything(Feedback.objects.filter(household=household)).order_by("-created_at")
    rows = [{"item": item, "events": _events(item, redacted=False), "responsible": service.responsible_name(item),
             "form": ConfirmForm(prefix=f"c{item.pk}")} for item in items]
    return render(request, "participation/feedback/resident_mine.html", {
        "community": household.building.community, "household": household, "rows": rows,
        "confirm_days": service.confirm_days(),
    })


@require_POST
@household_required
def resident_confirm(request, code, household, pk):
    item = get_object_or_404(Feedback, pk=pk, household=household)
    form = ConfirmForm(request.POST, prefix=f"c{item.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(reverse("feedback:mine", kwargs={"code": code}) + f"#item-{item.pk}")
    try:
        service.confirm(household, item, form.cleaned_data["satisfied"], form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["satisfied"]:
            messages.success(request, _("Thank you for confirming. The item is closed."))
        else:
            messages.info(request, _("The item is open again and has been passed back."))
    return redirect(reverse("feedback:mine", kwargs={"code": code}) + f"#item-{item.pk}")


# --- notices --------------------------------------------------------------------------------------------------


@login_required
def notice_list(request):
    visible = notices.visible_to(request.user)
    can_publish = notices.may_publish_any(request.user)
    if not (can_publish or request.user.sees_whole_district or service.may_see_feedback(request.user)):
        raise PermissionDenied
    form = None
    chosen = notices.template(request.GET.get("template", ""))
    if can_publish:
        initial = {"title": chosen.title, "body": chosen.body} if chosen else {}
        form = NoticeForm(request.POST or None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                notice = notices.publish(request.user, title=data["title"], body=data["body"], area=data["area"],
                                         community=data["community"], published_at=data["published_at"],
                                         valid_until=data["valid_until"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Notice “%(title)s” published to %(audience)s.")
                                 % {"title": notice.title, "audience": notices.audience_label(notice)})
                return redirect("feedback:notices")
    elif request.method == "POST":
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    listed = visible.select_related("area", "community", "created_by").order_by("-published_at", "-pk")
    if query:
        listed = listed.filter(Q(title__icontains=query) | Q(body__icontains=query))
    now = timezone.now()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notice": n, "audience": notices.audience_label(n), "state": notices.state(n, now),
             "can_end": notices.may_end(request.user, n) and notices.state(n, now) != "ended"} for n in page]
    return render(request, "participation/feedback/notices.html", {
        "form": form, "templates": notices.TEMPLATES, "chosen": chosen, "page": page, "rows": rows,
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def notice_end(request, pk):
    notice = get_object_or_404(notices.visible_to(request.user), pk=pk)
    notices.end(request.user, notice)
    messages.success(request, _("Notice “%(title)s” taken down.") % {"title": notice.title})
    return redirect("feedback:notices")


def resident_notices(request, code):
    """The community's notices in force, for anyone holding the stairwell's link (no need to identify)."""
    community = get_object_or_404(Community.objects.select_related("subdistrict"), code=code)
    household = current_household(request)
    if household is not None and household.building.community_id != community.pk:
        household = None
    return render(request, "participation/feedback/resident_notices.html", {
        "community": community, "notices": notices.for_community(community), "household": household,
    })


# --- API ------------------------------------------------------------------------------------------------------


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
        return FeedbackEventSerializer(_events(item, redacted=True), many=True).data


class FeedbackCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Feedback.Category.choices)
    text = serializers.CharField(max_length=service.MAX_TEXT)
    photo = serializers.FileField(required=False, help_text="JPEG, PNG or WebP, at most 10 MB (multipart).")
    community = serializers.CharField(required=False, help_text="Community code; staff and committee members "
                                                                "only (a resident reports for their household).")
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


class NoticeSerializer(serializers.ModelSerializer):
    audience = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "title", "body", "audience", "published_at", "valid_until"]

    def get_audience(self, notice) -> str:
        return notices.audience_label(notice)


def _caller(request):
    """('staff', user) for a staff or committee account; ('resident', household) for an identified household."""
    user = request.user
    if user is not None and user.is_authenticated and service.may_see_feedback(user):
        return "staff", user
    household = current_household(request)
    if household is not None:
        return "resident", household
    if user is not None and user.is_authenticated:
        raise ApiPermissionDenied(_("Feedback is for residents, their committee and the responsible staff."))
    raise NotAuthenticated(_("Log in, or identify your household with the code from the residents' committee."))


def _resident_csrf(request):
    """DRF checks CSRF only for logged-in users; a household identified by its session cookie needs it too."""
    SessionAuthentication().enforce_csrf(request)


def _api_error(error: ValidationError):
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    get=extend_schema(summary="Feedback the caller may see", tags=["feedback"],
                      description="Staff: their scope (bureau all, officer their sub-district, contractor their "
                                  "company's, committee member their community). An identified resident: their "
                                  "household's items."),
    post=extend_schema(summary="Report a problem", request={"application/json": FeedbackCreateSerializer,
                                                           "multipart/form-data": FeedbackCreateSerializer},
                       responses={201: FeedbackSerializer}, tags=["feedback"],
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
        return _with_everything(items).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        kind, who = _caller(request)
        payload = FeedbackCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if kind == "resident":
            _resident_csrf(request)
            community, household, entered_by = who.building.community, who, None
        else:
            community = Community.objects.filter(code=data.get("community", "")).first()
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
            return _api_error(error)
        item = _with_everything(Feedback.objects.filter(pk=item.pk)).get()
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
        return _api_error(error)
    item = _with_everything(Feedback.objects.filter(pk=pk)).get()
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
    _resident_csrf(request)
    item = get_object_or_404(Feedback, pk=pk, household=household)
    payload = FeedbackConfirmSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    try:
        service.confirm(household, item, payload.validated_data["satisfied"], payload.validated_data.get("text", ""))
    except ValidationError as error:
        return _api_error(error)
    item = _with_everything(Feedback.objects.filter(pk=pk)).get()
    return Response(FeedbackSerializer(item, context={"request": request}).data)


@extend_schema_view(get=extend_schema(
    summary="Notices in force", tags=["notices"],
    parameters=[OpenApiParameter("community", OpenApiTypes.STR,
                                 description="Community code: the notices its residents read now. Without it, a "
                                             "logged-in user gets the notices in force in their scope.")]))
class NoticeList(generics.ListAPIView):
    serializer_class = NoticeSerializer
    permission_classes = [AllowAny]  # notices are public to the community, like the paper on the stairwell door
    filter_backends = []

    def get_queryset(self):
        code = text_param(self.request, "community")
        if code:
            return notices.for_community(get_object_or_404(Community, code=code))
        if not self.request.user.is_authenticated:
            raise ApiValidationError({"community": [_("Give the code of a community.")]})
        now = timezone.now()
        return (notices.visible_to(self.request.user).filter(published_at__lte=now)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
                .select_related("area", "community").order_by("-published_at", "-pk"))
