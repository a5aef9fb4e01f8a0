from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.core import excel
from gaizao.works import services
from gaizao.works.access import get_project_for_user, may_report, projects_visible_to
from gaizao.works.forms import CHECKS, AcceptanceForm, CorrectionForm, ReportForm
from gaizao.works.measures import measures_on
from gaizao.works.models import Company, ProgressEntry, Project
from gaizao.works.photos import attach_photo

SORTS = {"code": "code", "name": "name", "contractor": "contractor__name", "status": "status",
         "start": "actual_start"}


@login_required
def project_list(request):
    projects = projects_visible_to(request.user).select_related("contractor", "supervisor")
    query = request.GET.get("q", "").strip()
    if query:
        projects = projects.filter(Q(name__icontains=query) | Q(code__icontains=query) |
                                   Q(communities__name__icontains=query)).distinct()
    if request.GET.get("status") in Project.Status.values:
        projects = projects.filter(status=request.GET["status"])
    if request.GET.get("contractor", "").isdigit():
        projects = projects.filter(contractor_id=request.GET["contractor"])
    sort = request.GET.get("sort", "code")
    projects = projects.order_by(("-" if sort.startswith("-") else "") + SORTS.get(sort.lstrip("-"), "code"), "code")
    day = timezone.localdate()
    shares = {p["id"]: p for p in measures_on(day, projects).projects}
    if request.GET.get("format") == "xlsx":
        return _export(projects, shares)
    return render(request, "works/project_list.html", {
        "projects": projects, "shares": shares, "sort": sort, "statuses": Project.Status.choices,
        "contractors": Company.objects.filter(kind=Company.Kind.CONTRACTOR),
    })


def _export(projects, shares):
    workbook = excel.new_workbook()
    rows = [[p.code, p.name, p.contractor.name, p.supervisor.name if p.supervisor else "", p.get_status_display(),
             p.actual_start, float(shares.get(p.pk, {}).get("planned_value", 0)),
             float(shares.get(p.pk, {}).get("done_value", 0)), round(100 * shares.get(p.pk, {}).get("share", 0), 1)]
            for p in projects]
    excel.add_sheet(workbook, _("Projects"), [_("Code"), _("Name"), _("Contractor"), _("Supervisor"), _("Status"),
                                              _("Actual start"), _("Planned value (yuan)"), _("Value done (yuan)"),
                                              _("Share done")], rows, {2: 40, 3: 24})
    return excel.response(workbook, f"施工项目_{timezone.localdate():%Y%m%d}.xlsx")


def _item_rows(project):
    rows = []
    for item in project.items.select_related("plan_item__item", "plan_item__plan__community"):
        done = services.done_quantity(item)
        planned = item.plan_item.quantity
        rows.append({"item": item, "done": done, "planned": planned,
                     "percent": float(100 * done / planned) if planned else 0.0,
                     "short": done < planned})
    return rows


@login_required
def project_detail(request, code):
    project = get_project_for_user(request.user, code)
    entries = (ProgressEntry.objects.filter(project_item__project=project)
               .select_related("project_item__plan_item__item").prefetch_related("photos")[:300])
    return render(request, "works/project_detail.html", {
        "project": project, "rows": _item_rows(project), "entries": entries,
        "can_report": may_report(request.user, project), "correction_form": CorrectionForm(),
        "can_accept": request.user.sees_whole_district and request.user.can_edit_census,
        "acceptance": getattr(project, "acceptance", None),
    })


@login_required
def report(request, code):
    project = get_project_for_user(request.user, code)
    if not may_report(request.user, project):
        raise PermissionDenied
    rows = _item_rows(project)
    form = ReportForm(request.POST or None, request.FILES or None, items=[r["item"] for r in rows])
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                entries = services.record_progress(
                    request.user, project, form.cleaned_data["date"], form.quantities(),
                    note=form.cleaned_data["note"], variation_reason=form.cleaned_data["variation_reason"])
                for upload in form.cleaned_data["photos"]:
                    attach_photo(entries[0], upload, form.cleaned_data["stage"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Reported %(n)s items. Thank you.") % {"n": len(entries)})
            return redirect("works:detail", code=project.code)
    return render(request, "works/report.html", {"project": project, "form": form,
                                                 "rows": [(r, form[f"qty_{r['item'].pk}"]) for r in rows]})


@login_required
def correct_entry(request, code, entry_id):
    project = get_project_for_user(request.user, code)
    entry = get_object_or_404(ProgressEntry, pk=entry_id, project_item__project=project)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct(request.user, entry, form.cleaned_data["quantity"], form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Correction recorded; the original entry stays in the history."))
    elif request.method == "POST":
        messages.error(request, _("Give the change and a reason."))
    return redirect("works:detail", code=project.code)


@login_required
def acceptance(request, code):
    project = get_project_for_user(request.user, code)
    if not (request.user.sees_whole_district and request.user.can_edit_census):
        raise PermissionDenied
    rows = _item_rows(project)
    form = AcceptanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        reasons = {r["item"].pk: request.POST.get(f"reason_{r['item'].pk}", "") for r in rows if r["short"]}
        try:
            with transaction.atomic():
                record = services.accept(request.user, project, day=form.cleaned_data["date"],
                                         participants=form.cleaned_data["participants"],
                                         checklist={key: key in form.cleaned_data["checks"] for key, _label in CHECKS},
                                         shortfall_reasons=reasons, notes=form.cleaned_data["notes"])
                for upload in form.cleaned_data["documents"]:
                    record.documents.create(title=upload.name[:150], file=upload)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Completion acceptance recorded."))
            return redirect("works:detail", code=project.code)
    return render(request, "works/acceptance.html", {"project": project, "form": form,
                                                     "short_rows": [r for r in rows if r["short"]]})
