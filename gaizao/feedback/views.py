"""Feedback pages: the staff list, detail and answer; residents report, follow and confirm on the phone."""

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

from gaizao.communities.models import Community
from gaizao.core import clock, excel
from gaizao.core.masking import may_see_personal_data
from gaizao.feedback import services as service
from gaizao.feedback.forms import AnswerForm, ConfirmForm, ResidentFeedbackForm
from gaizao.feedback.models import Feedback
from gaizao.residents.session import current_household, household_required
from gaizao.works.bulletin_text import clean

Status = Feedback.Status


SORTS = {"created": "created_at", "due": "due_date", "status": "status", "category": "category",
         "community": "community__code"}


PAGE_SIZE = 100


def _overdue_q(day):
    return Q(status=Status.OPEN, due_date__lt=day)


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
        items = items.filter(_overdue_q(clock.today()))
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


COMMUNITY_CHOICES = 500


@login_required
def feedback_list(request):
    if not service.may_see_feedback(request.user):
        raise PermissionDenied
    scope = service.visible_to(request.user)
    items, sort = _filtered(request, service.with_everything(scope))
    today = clock.today()
    if request.GET.get("format") == "xlsx":
        return _export(items, today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = scope.aggregate(open=Count("pk", filter=Q(status=Status.OPEN)),
                              answered=Count("pk", filter=Q(status=Status.ANSWERED)),
                              overdue=Count("pk", filter=_overdue_q(today)))
    # A chooser of every community with feedback is fine for a district (a few hundred); the whole platform's had
    # 12,000 options (510 KB of the page at 50,000 communities): beyond COMMUNITY_CHOICES it is a code to type.
    communities = list(Community.objects.filter(pk__in=scope.values("community")).order_by("code")
                       .values("code", "name")[:COMMUNITY_CHOICES + 1])
    if len(communities) > COMMUNITY_CHOICES:
        communities = None
    rows = [{"item": item, "text": service.redacted_text(item),
             "household": service.household_label(item.household),
             "responsible": service.responsible_name(item), "overdue": service.is_overdue(item, today)}
            for item in page]
    return render(request, "feedback/list.html", {
        "page": page, "rows": rows, "sort": sort, "summary": summary, "communities": communities,
        "statuses": Status.choices, "categories": Feedback.Category.choices,
        "responsibles": Feedback.Responsible.choices,
    })


def _export(items, today):
    """The list as a workbook. Households appear as unit and room only; numbers typed into texts are masked."""
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
    item = get_object_or_404(service.with_everything(service.visible_to(request.user)), pk=pk)
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
    return render(request, "feedback/detail.html", {
        "item": item, "text": service.redacted_text(item) if redacted else item.text,
        "events": service.event_rows(item, redacted), "household": service.household_label(item.household),
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
    return render(request, "feedback/resident_new.html", {
        "community": community, "household": household, "form": form,
    }, status=400 if form.errors else 200)


@household_required
def resident_mine(request, code, household):
    items = service.with_everything(Feedback.objects.filter(household=household)).order_by("-created_at")
    rows = [{"item": item, "events": service.event_rows(item, redacted=False),
             "responsible": service.responsible_name(item), "form": ConfirmForm(prefix=f"c{item.pk}")}
            for item in items]
    return render(request, "feedback/resident_mine.html", {
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
