"""Utilities' own works (管线单位出资): the list, recording one, a work's page with its reports, and the utility's
report form on a phone (as a contractor reports)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.communities.models import Community
from gaizao.coordination import access, utility
from gaizao.coordination.filters import WorkPageFilterSet
from gaizao.coordination.forms import CorrectionForm, UtilityReportForm, UtilityWorkForm
from gaizao.coordination.models import UtilityPhoto, UtilityProgress
from gaizao.core import clock, excel
from gaizao.works.bulletin_text import clean

PAGE_SIZE = 50
SORTS = {"community": "community__code", "utility": "utility__name", "year": "year", "cost": "cost",
         "share": "utility_share", "done": "done_total"}


@login_required
def work_list(request):
    if not access.uses_coordination(request.user):
        raise PermissionDenied
    scope = access.works_visible_to(request.user)
    filterset = WorkPageFilterSet(request.GET or None, queryset=scope)
    zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
    works = filterset.qs.select_related("community", "utility").annotate(
        done_total=Coalesce(Sum("entries__quantity"), zero))
    sort = request.GET.get("sort", "community")
    field = SORTS.get(sort.lstrip("-"), "community__code")
    works = works.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    if request.GET.get("format") == "xlsx":
        return _export(works)
    page = Paginator(works, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = scope.aggregate(cost=Sum("cost"), share=Sum("utility_share"))
    return render(request, "coordination/work_list.html", {
        "filter": filterset, "page": page, "sort": sort, "totals": totals,
        "can_record": access.is_bureau(request.user), "department": access.department_of(request.user),
    })


def _export(works):
    rows = [[w.community.code, clean(w.community.name), clean(w.utility.name), clean(w.description), w.year,
             float(w.quantity), str(w.get_unit_display()), float(w.done_total), float(w.cost),
             float(w.utility_share), round(w.share_fraction * 100, 2)] for w in works]
    workbook = excel.new_workbook()
    excel.add_sheet(workbook, _("Utility works"), [
        _("Community code"), _("Community"), _("Utility"), _("Work"), _("Year"), _("Planned quantity"), _("Unit"),
        _("Quantity done"), _("Cost (yuan)"), _("Paid by the utility (yuan)"), _("Utility's share (percent)")],
        rows, {2: 24, 3: 24, 4: 40})
    return excel.response(workbook, f"管线单位改造_{clock.today():%Y%m%d}.xlsx")


@login_required
def work_new(request):
    if not access.is_bureau(request.user):
        raise PermissionDenied
    communities = Community.objects.filter(is_eligible=True).order_by("code")
    initial = {"community": request.GET.get("community")} if request.GET.get("community") else None
    form = UtilityWorkForm(request.POST or None, initial=initial, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            share = utility.share_from(data["cost"], data["share_yuan"], data["share_percent"])
            work = utility.add_work(request.user, community=data["community"], utility=data["utility"],
                                    description=data["description"], quantity=data["quantity"], unit=data["unit"],
                                    cost=data["cost"], utility_share=share, year=data["year"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Utility work recorded."))
            return redirect("coordination:work", pk=work.pk)
    return render(request, "coordination/work_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def work_detail(request, pk):
    work = access.get_work_for_user(request.user, pk)
    entries = work.entries.prefetch_related("photos")
    done = utility.done_quantity(work)
    return render(request, "coordination/work_detail.html", {
        "work": work, "entries": entries, "done": done,
        "share_done": float(done / work.quantity) if work.quantity else 0.0,
        "can_report": access.may_report_on(request.user, work), "correction_form": CorrectionForm(),
    })


@login_required
def work_report(request, pk):
    work = access.get_work_for_user(request.user, pk)
    if not access.may_report_on(request.user, work):
        raise PermissionDenied
    form = UtilityReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                entry = utility.report(request.user, work, data["date"], data["quantity"], note=data["note"],
                                       variation_reason=data["variation_reason"])
                for upload in data["photos"]:
                    utility.attach_photo(entry, upload)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Reported. Thank you."))
            return redirect("coordination:work", pk=work.pk)
    return render(request, "coordination/work_report.html", {
        "work": work, "form": form, "done": utility.done_quantity(work),
    }, status=400 if form.errors else 200)


@login_required
def work_correct(request, pk, entry_id):
    work = access.get_work_for_user(request.user, pk)
    entry = get_object_or_404(UtilityProgress, pk=entry_id, work=work)
    if not access.may_report_on(request.user, work):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            utility.correct(request.user, entry, form.cleaned_data["quantity"], form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Correction recorded; the original entry stays in the history."))
    elif request.method == "POST":
        messages.error(request, _("Give the change and a reason."))
    return redirect("coordination:work", pk=work.pk)


@login_required
def work_photo(request, pk, photo_id):
    work = access.get_work_for_user(request.user, pk)
    photo = get_object_or_404(UtilityPhoto, pk=photo_id, entry__work=work)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=os.path.basename(photo.image.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response
