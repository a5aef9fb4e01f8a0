from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, ProtectedError, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.communities import services
from gaizao.communities.access import get_building_for_edit, get_community_for_edit, get_community_for_user
from gaizao.communities.census import jobs
from gaizao.communities.census.exporter import census_workbook
from gaizao.communities.filters import CommunityFilterSet, sorted_by
from gaizao.communities.forms import BuildingForm, CensusUploadForm, CommunityForm
from gaizao.communities.history import history_rows
from gaizao.communities.models import Building, CensusImportJob, Community
from gaizao.core import clock, excel
from gaizao.regions.models import Area
from gaizao.regions.services import subdistrict_name

PAGE_SIZE = 50
# Above this many located communities the list's map shows one circle per sub-district (with its count) instead
# of a dot per community: 30,000 dots were 3.9 MB in the page at 50,000 communities and unreadable on the map.
MAP_POINT_LIMIT = 2000


def _filtered(request):
    filterset = CommunityFilterSet(request.GET or None, queryset=Community.objects.visible_to(request.user))
    return filterset, filterset.qs


@login_required
def community_list(request):
    filterset, communities = _filtered(request)
    sort = request.GET.get("sort", "code")
    rows = sorted_by(communities.with_building_totals().select_related("subdistrict"), sort)
    paginator = Paginator(rows, PAGE_SIZE)
    # Counted without the building totals: the same rows, but counting the annotated query joined and grouped
    # every building of the filtered communities (250,000 for the whole platform at 50,000 communities).
    paginator.count = communities.count()
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "communities/community_list.html", {
        "filter": filterset, "page": page, "sort": sort, "total": page.paginator.count,
        "map": {**_map_settings(), "url": f"{reverse('communities:map')}?{request.GET.urlencode()}"},
        "district": _district_named(request.GET.get("district", "")),
    })


def _district_named(code: str):
    code = code.strip()
    return Area.objects.filter(level=Area.Level.DISTRICT, code=code).first() if code else None


def _map_settings() -> dict:
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION,
            "detailUrl": reverse("communities:detail", args=["CODE"]),
            "legend": {"eligible": _("Eligible"), "excluded": _("Not eligible"),
                       "group": _("A sub-district: the larger the circle, the more communities"),
                       "groupLabel": _("%(name)s: %(count)s communities, %(eligible)s eligible")}}


def _map_points(communities) -> dict:
    """The communities' own dots (a community's page: one)."""
    points = [
        {"code": code, "name": name, "lat": float(lat), "lng": float(lng), "eligible": eligible}
        for code, name, lat, lng, eligible in communities.filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("code", "name", "latitude", "longitude", "is_eligible")[:MAP_POINT_LIMIT]
    ]
    return {"points": points, **_map_settings()}


@login_required
def community_map(request):
    """The list's map, fetched after the page has loaded, with the list's filters: a dot per community, or one
    circle per sub-district (placed at its communities' mean position, linking to its rows) when there are more
    than MAP_POINT_LIMIT."""
    filterset, communities = _filtered(request)
    located = communities.filter(latitude__isnull=False, longitude__isnull=False).order_by()
    if located[MAP_POINT_LIMIT:MAP_POINT_LIMIT + 1].exists():
        query = request.GET.copy()
        query.pop("page", None)
        groups = []
        for row in located.values("subdistrict_id", "subdistrict__name", "subdistrict__parent__name").annotate(
                n=Count("pk"), eligible=Count("pk", filter=Q(is_eligible=True)),
                lat=Avg("latitude"), lng=Avg("longitude")).order_by("subdistrict__code"):
            query["subdistrict"] = str(row["subdistrict_id"])
            name = subdistrict_name(row["subdistrict__name"], row["subdistrict__parent__name"], True)
            groups.append({"name": name, "lat": float(row["lat"]), "lng": float(row["lng"]),
                           "count": row["n"], "eligible": row["eligible"],
                           "url": f"{reverse('communities:list')}?{query.urlencode()}"})
        return JsonResponse({"grouped": True, "points": groups})
    return JsonResponse({"grouped": False, "points": _map_points(located)["points"]})


@login_required
def community_export(request):
    _filterset, communities = _filtered(request)
    workbook = census_workbook(communities)
    return excel.response(workbook, f"小区普查_{clock.today():%Y%m%d}.xlsx")


@login_required
def community_detail(request, code):
    community = get_community_for_user(request.user, code)
    buildings = list(community.buildings.all())
    totals = {
        "buildings": len(buildings),
        "households": sum(b.households for b in buildings),
        "floor_area": sum(b.floor_area_m2 for b in buildings),
    }
    return render(request, "communities/community_detail.html", {
        "community": community, "buildings": buildings, "totals": totals,
        "verdict": services.verdict_for(community), "history": history_rows(community),
        "can_edit": request.user.can_edit_census,
        "map": _map_points(Community.objects.filter(pk=community.pk)),
    })


@login_required
def community_edit(request, code=None):
    community = get_community_for_edit(request.user, code) if code else Community()
    if code is None and not request.user.can_edit_census:
        raise PermissionDenied
    form = CommunityForm(request.POST or None, instance=community, user=request.user)
    if request.method == "POST" and form.is_valid():
        community = services.save_community(request.user, form.save(commit=False))
        messages.success(request, _("Saved %(name)s.") % {"name": community.name})
        return redirect("communities:detail", code=community.code)
    return render(request, "communities/community_form.html", {"form": form, "community": community})


@login_required
def community_delete(request, code):
    community = get_community_for_edit(request.user, code)
    if request.method == "POST":
        try:
            services.delete_community(request.user, community)
        except ProtectedError:  # its plans and projects keep it (and the service wrote nothing)
            messages.error(request, _("%(name)s has plans or projects and cannot be deleted.")
                           % {"name": community.name})
            return redirect("communities:detail", code=community.code)
        messages.success(request, _("Deleted %(name)s.") % {"name": community.name})
        return redirect("communities:list")
    return render(request, "communities/confirm_delete.html", {"object": community, "community": community})


@login_required
def building_edit(request, code, building_id=None):
    if building_id:
        building = get_building_for_edit(request.user, code, building_id)
        community = building.community
    else:
        community = get_community_for_edit(request.user, code)
        building = Building(community=community)
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and form.is_valid():
        services.save_building(request.user, form.save(commit=False))
        messages.success(request, _("Saved building %(name)s.") % {"name": building.name})
        return redirect("communities:detail", code=community.code)
    return render(request, "communities/building_form.html", {"form": form, "community": community,
                                                              "building": building})


@login_required
def building_delete(request, code, building_id):
    building = get_building_for_edit(request.user, code, building_id)
    if request.method == "POST":
        services.delete_building(request.user, building)
        messages.success(request, _("Deleted building %(name)s.") % {"name": building.name})
        return redirect("communities:detail", code=code)
    return render(request, "communities/confirm_delete.html", {"object": building,
                                                               "community": building.community})


def census_template(request):
    return excel.response(census_workbook(), "小区普查模板.xlsx")


def _job_for_user(user, job_id) -> CensusImportJob:
    return get_object_or_404(CensusImportJob, pk=job_id, created_by=user)


@login_required
def census_import(request):
    if not request.user.can_edit_census:
        raise PermissionDenied
    form = CensusUploadForm(request.POST or None, request.FILES or None,
                            max_bytes=settings.CENSUS_UPLOAD_MAX_BYTES)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_check(request.user, form.cleaned_data["file"], get_language() or settings.LANGUAGE_CODE)
        return redirect("communities:import_job", job_id=job.pk)
    recent = CensusImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "communities/census_import.html", {"form": form, "recent": recent})


@login_required
def census_import_job(request, job_id):
    job = _job_for_user(request.user, job_id)
    template = "communities/_import_job.html" if request.headers.get("HX-Request") else "communities/import_job.html"
    return render(request, template, {"job": job, "waiting_long": _waiting_long(job)})


def _waiting_long(job) -> bool:
    # A job nobody picks up means the background worker is not running; say so instead of spinning forever.
    return job.status == CensusImportJob.Status.QUEUED and (timezone.now() - job.updated_at).total_seconds() > 15


@login_required
@require_POST
def census_import_confirm(request, job_id):
    job = _job_for_user(request.user, job_id)
    try:
        jobs.start_import(request.user, job)
    except PermissionDenied:
        messages.error(request, _("This import has already been run or has expired; please upload the file again."))
    return redirect("communities:import_job", job_id=job.pk)
