"""Roll-up pages (a city's or province's districts ranked, a district's sub-districts) and the monthly report."""

import datetime
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.accounts import scope
from gaizao.core import clock, excel
from gaizao.core.db_router import reads_from_replica
from gaizao.regions.models import Area
from gaizao.rollup import monthly, services
from gaizao.rollup.exports import rollup_workbook
from gaizao.works import bulletin as bulletins


def _areas(user):
    areas = scope.roll_up_areas(user)
    if not areas.exists():
        raise PermissionDenied
    return areas


def _area_for(user, code: str) -> Area:
    return get_object_or_404(_areas(user), code=code)


def _day(request, user, area) -> tuple[datetime.date, str, str]:
    """(day, note, error): ?date= moved to the nearest day with figures as the bulletin does; today if left out."""
    text = request.GET.get("date", "").strip()
    if not text:
        return clock.today(), "", ""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return clock.today(), "", _("The date must be written YYYY-MM-DD, e.g. 2021-11-25.")
    projects = services.projects_in(user, services.visible_districts(user, area))
    day, note = bulletins.nearest_day(day, projects)
    return day, note, ""


@login_required
def index(request):
    """The user's own area, or the list of top areas for the whole platform's staff."""
    _areas(request.user)
    tops = list(services.top_areas(request.user).order_by("level", "code", "name"))
    if len(tops) == 1:
        return redirect("rollup:area", code=tops[0].code)
    return render(request, "rollup/index.html", {"areas": tops})


@reads_from_replica
@login_required
def area(request, code):
    place = _area_for(request.user, code)
    day, note, error = _day(request, request.user, place)
    top = services.roll_up(request.user, place, day)
    return render(request, "rollup/area.html", {
        "area": place, "top": top, "totals": top.values, "rows": services.rows_under(top), "day": day,
        "date_note": note, "date_error": error, "chart": services.chart(top),
        "parents": _parents(request.user, place), "today": clock.today(),
    }, status=400 if error else 200)


@reads_from_replica
@login_required
def area_export(request, code):
    place = _area_for(request.user, code)
    day, note, error = _day(request, request.user, place)
    if error:
        return HttpResponseBadRequest(error)
    top = services.roll_up(request.user, place, day)
    return excel.response(rollup_workbook(top, day), f"汇总_{place.name}_{day:%Y%m%d}.xlsx")


def _parents(user, place):
    """The areas above this one that the user may open (links back up the tree)."""
    allowed = set(scope.roll_up_areas(user).values_list("pk", flat=True))
    chain, parent = [], place.parent
    while parent is not None:
        if parent.pk in allowed:
            chain.insert(0, parent)
        parent = parent.parent
    return chain


@login_required
def monthly_report(request):
    """Choose a month and an area; the download is the workbook."""
    areas = _areas(request.user).order_by("level", "code")
    month = request.GET.get("month", "").strip()
    return render(request, "rollup/monthly.html", {
        "areas": areas, "month": month or f"{clock.today():%Y-%m}", "chosen": request.GET.get("area", ""),
    })


@reads_from_replica
@login_required
def monthly_export(request):
    areas = _areas(request.user)
    try:
        month_end = monthly.parse_month(request.GET.get("month", ""))
    except monthly.MonthError as problem:
        return render(request, "rollup/monthly.html", {
            "areas": areas.order_by("level", "code"), "month": request.GET.get("month", ""),
            "chosen": request.GET.get("area", ""), "error": str(problem)}, status=400)
    code = request.GET.get("area", "").strip()
    place = get_object_or_404(areas, code=code) if code else None
    districts = _report_districts(request.user, place)
    lines = monthly.report_lines(month_end, districts)
    return _download(monthly.workbook_bytes(month_end, lines), monthly.filename(month_end, place))


def _report_districts(user, place):
    if place is not None:
        return services.visible_districts(user, place)
    mine = scope.districts_for(user)
    return Area.objects.filter(level=Area.Level.DISTRICT) if mine is None else mine


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
