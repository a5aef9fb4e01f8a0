import datetime

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gaizao.core import clock, excel, formatting
from gaizao.core.filters import StyledFilterMixin
from gaizao.regions.models import Area
from gaizao.works import project_page, services
from gaizao.works.acceptance import history, may_accept
from gaizao.works.access import get_project_for_user, may_report, projects_visible_to
from gaizao.works.forms import CorrectionForm, ReportForm
from gaizao.works.measures import measures_on, project_values
from gaizao.works.models import Acceptance, Company, ProgressEntry, Project
from gaizao.works.photos import attach_photo

SORTS = {"code": "code", "name": "name", "contractor": "contractor__name", "status": "status",
         "start": "actual_start"}
PAGE_SIZE = 50


class ProjectListFilterSet(StyledFilterMixin, django_filters.FilterSet):
    """The project list's filters, shared by the page and its Excel export; the choices are what the user sees."""

    q = django_filters.CharFilter(method="search", label=_lazy("Search"))
    subdistrict = django_filters.ModelChoiceFilter(queryset=Area.objects.none(), method="in_subdistrict",
                                                   label=_lazy("Sub-district"), empty_label=_lazy("All"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, label=_lazy("Status"),
                                         empty_label=_lazy("All"))
    contractor = django_filters.ModelChoiceFilter(queryset=Company.objects.none(), label=_lazy("Contractor"),
                                                  empty_label=_lazy("All"))

    class Meta:
        model = Project
        fields = ["q", "subdistrict", "status", "contractor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset
        self.filters["subdistrict"].queryset = (
            Area.objects.filter(level=Area.Level.SUBDISTRICT, communities__projects__in=visible)
            .distinct().order_by("code"))
        self.filters["contractor"].queryset = (
            Company.objects.filter(kind=Company.Kind.CONTRACTOR, projects__in=visible).distinct().order_by("name"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) |
                               Q(communities__name__icontains=value)).distinct()

    def in_subdistrict(self, queryset, name, value):
        return queryset.filter(communities__subdistrict=value).distinct()


def _sorted(projects, key: str):
    """Sort by a column the user clicked; "-" in front for descending. Unknown keys fall back to code."""
    field = SORTS.get(key.lstrip("-"), "code")
    return projects.order_by(f"-{field}" if key.startswith("-") else field, "code")


@login_required
def project_list(request):
    visible = projects_visible_to(request.user)
    filterset = ProjectListFilterSet(request.GET or None, queryset=visible)
    sort = request.GET.get("sort", "code")
    projects = _sorted(filterset.qs.select_related("contractor", "supervisor"), sort)
    if request.GET.get("format") == "xlsx":
        # Measured over every visible project, whatever the filter: one set of kept sums per user scope.
        return _export(projects, {p["id"]: p for p in measures_on(clock.today(), visible).projects})
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    shares = project_values(clock.today(), visible, [p.pk for p in page])
    return render(request, "works/project_list.html", {
        "filter": filterset, "page": page, "total": page.paginator.count, "shares": shares, "sort": sort,
    })


def _export(projects, shares):
    """Every filtered project (not only the page), in the list's order."""
    workbook = excel.new_workbook()
    rows = []
    for p in projects:
        m = shares.get(p.pk, {})
        rows.append([p.code, p.name, m.get("subdistrict", ""), p.contractor.name,
                     p.supervisor.name if p.supervisor else "", p.get_status_display(), p.actual_start,
                     float(m.get("planned_value", 0)), float(m.get("done_value", 0)),
                     round(100 * m.get("share", 0), 1)])
    excel.add_sheet(workbook, _("Projects"), [_("Code"), _("Name"), _("Sub-district"), _("Contractor"),
                                              _("Supervisor"), _("Status"), _("Actual start"),
                                              _("Planned value (yuan)"), _("Value done (yuan)"), _("Share done")],
                    rows, {2: 40, 3: 16, 4: 40, 5: 24})
    return excel.response(workbook, f"施工项目_{clock.today():%Y%m%d}.xlsx")


@login_required
def project_detail(request, code):
    """The project in tabs; each tab filters and pages its own rows (project_page)."""
    project = get_project_for_user(request.user, code)
    acceptance = Acceptance.objects.filter(project=project).first()
    tab = project_page.chosen_tab(request.GET.get("tab"))
    context = {
        "project": project, "tab": tab, "tabs": project_page.TABS,
        "counts": project_page.counts(project, request.user),
        "can_report": may_report(request.user, project), "can_accept": may_accept(request.user, project),
        "acceptance": acceptance, "acceptance_corrections": history(acceptance) if acceptance else [],
        "today": clock.today(),
    }
    if tab == "items":
        context.update(project_page.items_page(project, request.GET))
    elif tab == "reports":
        context.update(project_page.entries_page(project, request.GET))
    elif tab == "photos":
        context.update(project_page.photos_page(project, request.GET))
    elif tab == "milestones":
        context["milestone_rows"] = project_page.milestone_rows(project)
    elif tab == "feedback":
        context.update(project_page.feedback_page(project, request.user, request.GET))
    return render(request, "works/project_detail.html", context)


@login_required
def report(request, code):
    project = get_project_for_user(request.user, code)
    if not may_report(request.user, project):
        raise PermissionDenied
    rows = project_page.item_rows(project)
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
    # on site the contractor needs what is still to do; finished items wait behind a toggle (a late correction)
    paired = [(r, form[f"qty_{r['item'].pk}"]) for r in rows]
    open_rows = [pair for pair in paired if pair[0]["short"]]
    finished = [pair for pair in paired if not pair[0]["short"]]
    touched = any(field.errors or field.value() not in (None, "") for _r, field in finished)
    return render(request, "works/report.html", {"project": project, "form": form, "rows": open_rows,
                                                 "finished": finished, "show_finished": touched})


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
def complete(request, code):
    """The contractor or the bureau declares the works finished (POST only; the page's form sends the date)."""
    project = get_project_for_user(request.user, code)
    if request.method != "POST":
        return redirect("works:detail", code=project.code)
    if not may_report(request.user, project):
        raise PermissionDenied
    try:
        day = datetime.date.fromisoformat(request.POST.get("date", ""))
        services.complete(request.user, project, day)
    except ValueError:
        messages.error(request, _("The date must be written YYYY-MM-DD, e.g. 2021-11-25."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The works are recorded as finished on %(date)s. Next: the residents' "
                                    "satisfaction survey, then the completion acceptance.")
                         % {"date": formatting.date(day)})
    return redirect("works:detail", code=project.code)
