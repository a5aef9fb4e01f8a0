"""The joint meeting's pages: its items (list, Excel, detail with the lead department's update and close forms),
meetings (list, record, detail with the bureau's item form) and the departments' ranking on a day."""

import datetime
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaizao.communities.models import Community
from gaizao.coordination import access, services
from gaizao.coordination.bulletin import bulletin_section
from gaizao.coordination.filters import ItemPageFilterSet, MeetingPageFilterSet
from gaizao.coordination.forms import CloseForm, ItemForm, MeetingForm, UpdateForm
from gaizao.coordination.models import CoordinationItem
from gaizao.core import clock, excel
from gaizao.works.access import projects_visible_to
from gaizao.works.bulletin_text import clean

Status = CoordinationItem.Status
PAGE_SIZE = 50
ITEM_SORTS = {"due": "due_date", "status": "status", "department": "lead_department__name",
              "community": "community__code", "meeting": "meeting__date", "closed": "closed_on"}
MEETING_SORTS = {"date": "date", "title": "title", "items": "item_count"}


def _require_user(request):
    if not access.uses_coordination(request.user):
        raise PermissionDenied


def _sorted(queryset, key: str, sorts: dict, default: str):
    field = sorts.get(key.lstrip("-"), sorts[default])
    return queryset.order_by(f"-{field}" if key.startswith("-") else field, "pk")


def _with_everything(items):
    return items.select_related("lead_department", "community", "project", "meeting").prefetch_related(
        "other_departments")


@login_required
def item_list(request):
    _require_user(request)
    scope = access.items_visible_to(request.user)
    filterset = ItemPageFilterSet(request.GET or None, queryset=scope)
    sort = request.GET.get("sort", "due")
    items = _sorted(_with_everything(filterset.qs), sort, ITEM_SORTS, "due")
    today = clock.today()
    if request.GET.get("format") == "xlsx":
        return _export_items(items, today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = scope.aggregate(open=Count("pk", filter=Q(status=Status.OPEN), distinct=True),
                              in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS), distinct=True),
                              done=Count("pk", filter=Q(status=Status.DONE), distinct=True),
                              overdue=Count("pk", filter=services.overdue_q(today), distinct=True))
    communities = (Community.objects.filter(coordination_items__in=scope).distinct().order_by("code")
                   .values("code", "name"))
    department, office = access.department_of(request.user), access.office_of(request.user)
    rows = [{"item": item, "overdue": services.is_overdue(item, today), "badge": _badge(department, office, item)}
            for item in page]
    return render(request, "coordination/item_list.html", {
        "filter": filterset, "page": page, "rows": rows, "sort": sort, "summary": summary,
        "communities": communities, "department": department,
        "can_record": access.is_bureau(request.user),
    })


def _badge(department, office, item) -> str:
    """A department's items it only assists with; an officer's items their own office leads."""
    if department is not None:
        return "" if item.lead_department_id == department.pk else pgettext("coordination item", "assisting")
    if office is not None and item.lead_department_id == office.pk:
        return _("ours to do")
    return ""


def _where(item) -> str:
    if item.community_id:
        return item.community.name
    if item.project_id:
        return f"{item.project.code} {item.project.name}"
    return ""


def _export_items(items, today):
    rows = [[item.pk, item.meeting.date, clean(item.meeting.title), clean(item.description),
             clean(item.lead_department.name), clean("、".join(d.name for d in item.other_departments.all())),
             clean(_where(item)), item.due_date, str(item.get_status_display()),
             _("yes") if services.is_overdue(item, today) else "", item.closed_on, clean(item.closed_by_name),
             clean(item.evidence)] for item in items]
    workbook = excel.new_workbook()
    sheet = excel.add_sheet(workbook, _("Coordination items"), [
        _("No."), _("Meeting date"), _("Joint meeting"), _("What is to be done"), _("Lead department"),
        _("Other departments"), _("Community or project"), _("Due date"), _("Status"), _("Overdue"),
        _("Closed on (date)"), _("Closed by"), _("Evidence")], rows,
        {3: 24, 4: 50, 5: 24, 6: 30, 7: 24, 13: 50})
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in (2, 8, 11) and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    return excel.response(workbook, f"协调事项_{today:%Y%m%d}.xlsx")


@login_required
def item_detail(request, pk):
    item = access.get_item_for_user(request.user, pk)
    can_act = access.may_act_on(request.user, item) and item.status != Status.DONE
    action = request.POST.get("action") if request.method == "POST" else None
    update_form = UpdateForm(request.POST if action == "update" else None, prefix="update")
    close_form = CloseForm(request.POST if action == "close" else None, request.FILES if action == "close" else None,
                           prefix="close")
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        form = close_form if action == "close" else update_form
        if action in ("update", "close") and form.is_valid():
            try:
                if action == "close":
                    services.close_item(request.user, item, evidence=form.cleaned_data["evidence"],
                                        document=form.cleaned_data.get("document"))
                    messages.success(request, _("The item is closed. Thank you."))
                else:
                    services.update_item(request.user, item, form.cleaned_data["text"])
                    messages.success(request, _("Progress recorded."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("coordination:item", pk=item.pk)
        elif action not in ("update", "close"):
            update_form.add_error(None, _("Choose what to do: record progress or close the item."))
    return render(request, "coordination/item_detail.html", {
        "item": item, "overdue": services.is_overdue(item), "can_act": can_act,
        "can_correct": access.is_bureau(request.user),
        "updates": item.updates.all(), "others": item.other_departments.all(),
        "update_form": update_form, "close_form": close_form,
    }, status=400 if update_form.errors or close_form.errors else 200)


@login_required
def evidence(request, pk):
    """An item's evidence document, to those who see the item (never public media)."""
    item = access.get_item_for_user(request.user, pk)
    if not item.evidence_file:
        raise Http404
    try:
        handle = item.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = item.evidence_file_name or os.path.basename(item.evidence_file.name)
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def meeting_list(request):
    _require_user(request)
    scope = access.meetings_visible_to(request.user)
    filterset = MeetingPageFilterSet(request.GET or None, queryset=scope)
    visible_items = access.items_visible_to(request.user)
    meetings = filterset.qs.annotate(
        item_count=Count("items", filter=Q(items__in=visible_items), distinct=True),
        overdue_count=Count("items", filter=Q(items__in=visible_items.filter(services.overdue_q(clock.today()))),
                            distinct=True))
    sort = request.GET.get("sort", "-date")
    meetings = _sorted(meetings.prefetch_related("departments"), sort, MEETING_SORTS, "date")
    if request.GET.get("format") == "xlsx":
        rows = [[m.date, clean(m.title), clean("、".join(d.name for d in m.departments.all())),
                 clean(m.other_attendees), m.item_count, m.overdue_count] for m in meetings]
        workbook = excel.new_workbook()
        sheet = excel.add_sheet(workbook, _("Joint meetings"), [
            _("Meeting date"), _("Title"), _("Departments attending"), _("Other attendees"), _("Items"),
            _("Overdue")], rows, {2: 36, 3: 50, 4: 30})
        for row in sheet.iter_rows(min_row=2, max_col=1):
            row[0].number_format = "yyyy-mm-dd"
        return excel.response(workbook, f"联席会议_{clock.today():%Y%m%d}.xlsx")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/meeting_list.html", {
        "filter": filterset, "page": page, "sort": sort, "can_record": access.is_bureau(request.user),
    })


@login_required
def meeting_new(request):
    if not access.is_bureau(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting recorded. Now add its decisions as items."))
            return redirect("coordination:meeting", pk=meeting.pk)
    return render(request, "coordination/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


def _item_form(request, data=None):
    communities = Community.objects.filter(is_eligible=True).order_by("code")
    projects = projects_visible_to(request.user).order_by("code")
    return ItemForm(data, communities=communities, projects=projects)


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    can_add = access.is_bureau(request.user)
    form = _item_form(request, request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.add_item(request.user, meeting, description=data["description"],
                                         lead_department=data["lead_department"], due_date=data["due_date"],
                                         other_departments=data["other_departments"], community=data["community"],
                                         project=data["project"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Item %(n)s added.") % {"n": item.pk})
                return redirect("coordination:meeting", pk=meeting.pk)
    today = clock.today()
    items = _with_everything(access.items_visible_to(request.user).filter(meeting=meeting)).order_by("pk")
    rows = [{"item": item, "overdue": services.is_overdue(item, today)} for item in items]
    return render(request, "coordination/meeting_detail.html", {
        "meeting": meeting, "rows": rows, "form": form, "departments": meeting.departments.all(),
    }, status=400 if form is not None and form.errors else 200)


@login_required
def ranking(request):
    """The departments ranked by their overdue items on a day (the bulletin's section, on its own)."""
    _require_user(request)
    today = clock.today()
    error = ""
    text = request.GET.get("date", "").strip()
    day = today
    if text:
        try:
            day = min(datetime.date.fromisoformat(text), today)
        except ValueError:
            error = _("The date must be written YYYY-MM-DD, e.g. 2021-11-25.")
    own = access.department_of(request.user) or access.office_of(request.user)
    return render(request, "coordination/ranking.html", {
        "day": day, "today": today, "section": bulletin_section(day), "date_error": error, "own": own,
    }, status=400 if error else 200)
