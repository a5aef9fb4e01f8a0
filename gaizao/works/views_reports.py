"""The leaders' dashboard and the progress bulletin (page, Word and Excel), scoped to what the user may see and,
with ?district=<code>, to one district (rollup.choice)."""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from gaizao.communities.models import Community
from gaizao.core import clock, excel
from gaizao.rollup.choice import choose
from gaizao.works import bulletin as bulletins
from gaizao.works import bulletin_excel, bulletin_text, bulletin_word
from gaizao.works.access import projects_visible_to
from gaizao.works.measures import measures_on, of_the_year, value_series
from gaizao.works.models import Project

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_STARTED, UNDER_CONSTRUCTION, DONE = "not_started", "under_construction", "done"
LAGGING_SHOWN = 30  # lagging projects on the bulletin page; the full list, Word and Excel have them all
LAGGING_PAGE_SIZE = 50
SUBDISTRICTS_CHARTED = 20  # sub-districts in the dashboard's chart; the bulletin ranks them all


class BadDate(ValueError):
    pass


def _day(request, projects) -> tuple[datetime.date, str]:
    """(day, note): ?date=YYYY-MM-DD moved to the nearest day a bulletin can be about (the note says why), or the
    platform's today when left out (the demo's 2021-11-25)."""
    text = request.GET.get("date", "").strip()
    if not text:
        return clock.today(), ""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise BadDate(text) from None
    return bulletins.nearest_day(day, projects)


def _projects(request):
    """(district choice, the projects it and the user's scope leave)."""
    choice = choose(request)
    return choice, choice.projects(projects_visible_to(request.user))


def _bulletin_for(request, choice, projects) -> tuple[dict, str]:
    day, note = _day(request, projects)
    return bulletins.bulletin_data(day, projects, bulletins.district_milestone(day, choice.district)), note


def _moved(request, day) -> HttpResponse:
    """The same file on the nearest sensible day: its name and title carry the day it is really about."""
    query = request.GET.copy()
    query["date"] = day.isoformat()
    return redirect(f"{request.path}?{query.urlencode()}")


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _bad_date():
    return HttpResponseBadRequest(_("The date must be written YYYY-MM-DD, e.g. 2021-11-25."))


@login_required
def bulletin(request):
    choice, projects = _projects(request)
    error = ""
    try:
        day, note = _day(request, projects)
    except BadDate:
        error = _("The date must be written YYYY-MM-DD, e.g. 2021-11-25.")
        day, note = clock.today(), ""
    data = bulletins.bulletin_data(day, projects, bulletins.district_milestone(day, choice.district))
    first, last = bulletins.day_range(projects)
    return render(request, "works/bulletin.html", {
        "data": data, "day": day, "date_error": error, "date_note": note, "first_day": first, "last_day": last,
        "chart": bulletins.as_json(data),
        "lagging": data["lagging"][:LAGGING_SHOWN], "lagging_total": len(data["lagging"]),
        "ranking_headers": bulletin_text.ranking_headers(data["level"]),
        "place_header": bulletin_text.place_header(data["level"]),
        "ranking_title": bulletin_text.ranking_title(data["level"]), "lagging_headers": bulletin_text.lagging_headers(),
        "item_headers": bulletin_text.item_headers(), "district_choice": choice,
    }, status=400 if error or choice.error else 200)


@login_required
def lagging(request):
    """Every lagging project of the bulletin, a page at a time."""
    choice, projects = _projects(request)
    if choice.error:
        return HttpResponseBadRequest(choice.error)
    try:
        data, note = _bulletin_for(request, choice, projects)
    except BadDate:
        return _bad_date()
    page = Paginator(data["lagging"], LAGGING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "works/lagging.html", {
        "data": data, "day": data["day"], "date_note": note, "page": page,
        "lagging_headers": bulletin_text.lagging_headers(), "district_choice": choice,
    })


@login_required
def bulletin_docx(request):
    choice, projects = _projects(request)
    if choice.error:
        return HttpResponseBadRequest(choice.error)
    try:
        data, note = _bulletin_for(request, choice, projects)
    except BadDate:
        return _bad_date()
    if note:
        return _moved(request, data["day"])
    name = choice.filename(bulletins.filename(data["day"], "docx"))
    return _download(bulletin_word.bulletin_docx(data), DOCX_TYPE, name)


@login_required
def bulletin_xlsx(request):
    choice, projects = _projects(request)
    if choice.error:
        return HttpResponseBadRequest(choice.error)
    try:
        data, note = _bulletin_for(request, choice, projects)
    except BadDate:
        return _bad_date()
    if note:
        return _moved(request, data["day"])
    name = choice.filename(bulletins.filename(data["day"], "xlsx"))
    return _download(bulletin_excel.bulletin_xlsx(data), excel.XLSX_TYPE, name)


@login_required
def dashboard(request):
    choice, projects = _projects(request)
    try:
        day, note = _day(request, projects)
    except BadDate:
        return _bad_date()
    milestone = bulletins.district_milestone(day, choice.district)
    data = bulletins.bulletin_data(day, projects, milestone)
    charts = _dashboard_charts(data, projects, day)
    first, last = bulletins.day_range(projects)
    return render(request, "works/dashboard.html", {
        "data": data, "day": day, "date_note": note, "first_day": first, "last_day": last, "charts": charts,
        "map": _map_settings(),
        "subdistricts_total": len(data["subdistricts"]),
        "subdistricts_charted": len(charts["subdistricts"]["labels"]), "district_choice": choice,
    }, status=400 if choice.error else 200)


@gzip_page  # about 400 KB of points at province scale, 55 KB compressed; it holds no secret (BREACH)
@login_required
def dashboard_map(request):
    """The dashboard map's points as JSON, fetched by the page after it loads (same scope and date rules)."""
    choice, projects = _projects(request)
    if choice.error:
        return JsonResponse({"error": choice.error}, status=400)
    try:
        day, _note = _day(request, projects)  # the page that fetches the points says why a day moved
    except BadDate:
        return JsonResponse({"error": _("The date must be written YYYY-MM-DD, e.g. 2021-11-25.")}, status=400)
    return JsonResponse({"day": day.isoformat(), "points": _map_points(request.user, projects, day)},
                        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _dashboard_charts(data, projects, day) -> dict:
    planned = data["district"]["planned_value"]
    series = [(date.isoformat(), round(float(value / planned) * 100, 2) if planned else 0.0)
              for date, value in value_series(projects, day)]
    milestone = data["milestone"]
    progress = {"name": _("Value done, share of planned"), "points": series, "milestone": None,
                "day": day.isoformat()}
    if milestone is not None:
        target = round(milestone["target_share"] * 100, 2)
        last = series[-1] if series else [day.isoformat(), 0.0]
        progress["milestone"] = {
            "date": milestone["date"].isoformat(), "target": target,
            "name": _("Milestone: %(target)s by %(date)s") % {"target": f"{target:g}%",
                                                               "date": milestone["date"].isoformat()},
            "needed": [[day.isoformat(), last[1]], [milestone["date"].isoformat(), target]],
            "neededName": _("Pace needed"),
            "forecast": [[day.isoformat(), last[1]],
                         [milestone["date"].isoformat(), round(milestone["forecast_share"] * 100, 2)]],
            "forecastName": _("Forecast at the recent pace"),
        }
    subs = data["subdistricts"][:SUBDISTRICTS_CHARTED]  # ranked by share of value done
    return {
        "progress": progress,
        "subdistricts": {
            "labels": [s["name"] for s in subs],
            "series": [
                {"name": _("Share of value done"), "data": [round(s["share"] * 100, 2) for s in subs]},
                {"name": _("Start rate"), "data": [round(s["start_rate"] * 100, 2) for s in subs]},
            ],
            "target": progress["milestone"]["target"] if progress["milestone"] else None,
            "targetName": _("Milestone target"),
        },
        "items": {
            "labels": [i["name"] for i in data["items"]],
            "data": [round(i["share"] * 100, 2) for i in data["items"]],
            "texts": [i["text"] for i in data["items"]],
            "name": _("Share done"),
        },
        "started": {
            "name": _("Projects"),
            "data": [{"name": _("Started"), "value": data["district"]["started"]},
                     {"name": _("Not started"), "value": data["district"]["not_started"]}],
        },
    }


def _map_settings() -> dict:
    """What the dashboard's map needs besides its points (those come from `dashboard_map`)."""
    return {
        "tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION,
        "detailUrl": reverse("communities:detail", args=["CODE"]),
        "legend": [{"state": NOT_STARTED, "label": _("Not started")},
                   {"state": UNDER_CONSTRUCTION, "label": _("Under construction")},
                   {"state": DONE, "label": _("Done")}],
        "doneLabel": _("Share of value done"),
    }


def _map_points(user, projects, day) -> list[dict]:
    """Communities of the visible projects, coloured by state: not started, under construction, done. `link`:
    the user may open the community's page."""
    shares = measures_on(day, projects).communities
    links = (Project.communities.through.objects.filter(project__in=of_the_year(projects, day))
             .values_list("community__code", "community__name", "community__latitude", "community__longitude",
                          "project__actual_start"))
    found: dict[str, dict] = {}
    started: dict[str, bool] = {}
    for code, name, lat, lon, actual_start in links:
        if lat is None or lon is None:
            continue
        found.setdefault(code, {"code": code, "name": name, "lat": round(float(lat), 5), "lon": round(float(lon), 5)})
        started[code] = started.get(code, False) or (actual_start is not None and actual_start <= day)
    visible = set(Community.objects.visible_to(user).filter(code__in=found).values_list("code", flat=True))
    for code, point in found.items():
        measure = shares.get(code, {"share": 0.0, "planned_value": 0})
        share = measure["share"]
        if measure["planned_value"] and share >= 1:
            point["state"] = DONE
        elif started[code] or share > 0:
            point["state"] = UNDER_CONSTRUCTION
        else:
            point["state"] = NOT_STARTED
        point["share"] = round(share * 100, 1)
        point["link"] = code in visible
    return sorted(found.values(), key=lambda p: p["code"])
