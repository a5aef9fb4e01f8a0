"""Defect pages for staff: the list (filters, sort, search, Excel), a defect with its answer and confirmation,
a report entered by an officer or the bureau, the bureau's setting, and the photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.core import clock
from gaizao.core.masking import may_see_personal_data
from gaizao.defects import access
from gaizao.defects import services as service
from gaizao.defects.exports import defects_workbook
from gaizao.defects.filters import DefectListFilterSet, only_overdue
from gaizao.defects.forms import AnswerForm, ConfirmForm, ReportForm, SettingsForm
from gaizao.defects.models import Defect, DefectPhoto, DefectSettings
from gaizao.residents.session import current_household

Status = Defect.Status
SORTS = {"reported": "created_at", "deadline": "deadline", "status": "status", "community": "community__code",
         "item": "project_item__plan_item__item__code", "responsible": "responsible"}
PAGE_SIZE = 50


def _sorted(defects, key: str):
    field = SORTS.get(key.lstrip("-"), "created_at")
    return defects.order_by(f"-{field}" if key.startswith("-") else field, "-pk")


@login_required
def defect_list(request):
    if not access.may_see_list(request.user):
        raise PermissionDenied
    visible = access.visible_to(request.user)
    filterset = DefectListFilterSet(request.GET or None, queryset=visible)
    sort = request.GET.get("sort", "-reported")
    defects = _sorted(service.with_everything(filterset.qs), sort)
    today = clock.today()
    if request.GET.get("format") == "xlsx":
        return defects_workbook(defects, today)
    page = Paginator(defects, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = visible.aggregate(open=Count("pk", filter=Q(status=Status.OPEN)),
                                answered=Count("pk", filter=Q(status=Status.ANSWERED)),
                                overdue=Count("pk", filter=Q(pk__in=only_overdue(visible, today).values("pk"))))
    rows = [{"defect": d, "text": service.redacted(d), "responsible": service.responsible_name(d),
             "overdue": service.is_overdue(d, today)} for d in page]
    return render(request, "defects/list.html", {
        "filter": filterset, "page": page, "rows": rows, "sort": sort, "summary": summary,
        "total": page.paginator.count, "may_report": access.reporting_communities(request.user).exists(),
        "may_edit_settings": access.may_edit_settings(request.user), "escalated": _escalated_to(request.user),
    })


def _escalated_to(user) -> bool:
    """An officer's list says that the overdue defects shown are theirs to chase (escalated to the office)."""
    return user.role == user.Role.SUBDISTRICT_OFFICER


@login_required
def defect_detail(request, pk):
    defect = get_object_or_404(service.with_everything(access.visible_to(request.user)), pk=pk)
    can_answer = access.may_answer(request.user, defect) and defect.status != Status.CLOSED
    can_confirm = (defect.household_id is None and defect.status == Status.ANSWERED
                   and access.may_confirm(request.user, None, defect))
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = AnswerForm(request.POST if action == "answer" else None, request.FILES if action == "answer"
                             else None)
    confirm_form = ConfirmForm(request.POST if action == "confirm" else None)
    if action == "answer":
        if not can_answer:
            raise PermissionDenied
        if answer_form.is_valid():
            try:
                service.answer(request.user, defect, answer_form.cleaned_data["text"],
                               answer_form.cleaned_data["photos"])
            except ValidationError as error:
                answer_form.add_error(None, error)
            else:
                messages.success(request, _("Answer sent. The reporter is asked to confirm the repair."))
                return redirect("defects:detail", pk=defect.pk)
    elif action == "confirm":
        if not can_confirm:
            raise PermissionDenied
        if confirm_form.is_valid():
            try:
                service.confirm(defect, confirm_form.cleaned_data["satisfied"], confirm_form.cleaned_data["text"],
                                actor=request.user)
            except ValidationError as error:
                confirm_form.add_error(None, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("defects:detail", pk=defect.pk)
    elif request.method == "POST":
        raise PermissionDenied
    personal = may_see_personal_data(request.user)
    return render(request, "defects/detail.html", {
        "defect": defect, "text": defect.text if personal else service.redacted(defect),
        "events": service.event_rows(defect, redact_texts=not personal),
        "responsible": service.responsible_name(defect), "overdue": service.is_overdue(defect),
        "warranty_end": service.warranty_end(defect.project_item), "answer_form": answer_form,
        "confirm_form": confirm_form, "can_answer": can_answer, "can_confirm": can_confirm,
    }, status=400 if answer_form.errors or confirm_form.errors else 200)


def defect_photo(request, pk):
    """A photo, to the staff who see the defect and to the household that reported it (never public media)."""
    photo = get_object_or_404(DefectPhoto.objects.select_related("defect"), pk=pk)
    household = current_household(request)
    allowed = (access.visible_to(request.user).filter(pk=photo.defect_id).exists()
               or (household is not None and household.pk == photo.defect.household_id))
    if not allowed:
        raise Http404
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def staff_report(request):
    """An officer or the bureau reports a defect: first the community (within their scope), then the work."""
    communities = access.reporting_communities(request.user)
    if not communities.exists():
        raise PermissionDenied
    code = request.POST.get("community") or request.GET.get("community")
    if not code:
        choices = (communities.filter(projects__isnull=False).distinct().order_by("code").values("code", "name"))
        return render(request, "defects/staff_pick.html", {"communities": choices})
    community = get_object_or_404(communities.select_related("subdistrict"), code=code)
    form = ReportForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.report(community, form.project_item(), text=form.cleaned_data["text"],
                                     location=form.cleaned_data["location"], photos=form.cleaned_data["photos"],
                                     entered_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.feedback is not None:
                messages.warning(request, service.not_accepted_message())
                return redirect("feedback:detail", pk=outcome.feedback.pk)
            messages.success(request, _("Defect reported and passed to %(who)s, to answer by %(date)s.") % {
                "who": service.responsible_name(outcome.defect), "date": outcome.defect.deadline.isoformat()})
            return redirect("defects:detail", pk=outcome.defect.pk)
    return render(request, "defects/staff_report.html", {"community": community, "form": form},
                  status=400 if form.errors else 200)


@login_required
def settings_view(request):
    if not access.may_edit_settings(request.user):
        raise PermissionDenied
    current = DefectSettings.current()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            service.save_settings(request.user, form.cleaned_data["response_days"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. New and reopened defects get the new deadline."))
            return redirect("defects:list")
    return render(request, "defects/settings.html", {"form": form}, status=400 if form.errors else 200)
