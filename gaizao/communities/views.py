import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.communities import services
from gaizao.communities.access import get_building_for_edit, get_community_for_edit, get_community_for_user
from gaizao.communities.census.exporter import census_workbook
from gaizao.communities.census.importer import ImportRejected, apply_import, plan_import
from gaizao.communities.census.reader import read_workbook
from gaizao.communities.filters import CommunityFilterSet, sorted_by
from gaizao.communities.forms import BuildingForm, CensusUploadForm, CommunityForm
from gaizao.communities.history import history_rows
from gaizao.communities.models import Building, Community
from gaizao.core import excel

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "census_import"


def _filtered(request):
    filterset = CommunityFilterSet(request.GET or None, queryset=Community.objects.visible_to(request.user))
    return filterset, filterset.qs


@login_required
def community_list(request):
    filterset, communities = _filtered(request)
    sort = request.GET.get("sort", "code")
    rows = sorted_by(communities.with_building_totals().select_related("subdistrict"), sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "communities/community_list.html", {
        "filter": filterset, "page": page, "sort": sort, "total": page.paginator.count,
    })


@login_required
def community_export(request):
    _filterset, communities = _filtered(request)
    workbook = census_workbook(communities)
    return excel.response(workbook, f"小区普查_{timezone.localdate():%Y%m%d}.xlsx")


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
        services.delete_community(request.user, community)
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


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def census_import(request):
    if not request.user.can_edit_census:
        raise PermissionDenied
    form = CensusUploadForm(request.POST or None, request.FILES or None,
                            max_bytes=settings.CENSUS_UPLOAD_MAX_BYTES)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        path = _upload_dir() / f"{token}.xlsx"
        with path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        result = plan_import(read_workbook(path), request.user)
        context.update(result=result, filename=form.cleaned_data["file"].name)
        if result.errors:
            path.unlink(missing_ok=True)
        else:
            request.session[IMPORT_SESSION_KEY] = {"token": token, "name": form.cleaned_data["file"].name}
            context["token"] = token
    return render(request, "communities/census_import.html", context)


@login_required
@require_POST
def census_import_confirm(request):
    if not request.user.can_edit_census:
        raise PermissionDenied
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not token or pending.get("token") != token:
        messages.error(request, _("This import has expired; please upload the file again."))
        return redirect("communities:import")
    path = _upload_dir() / f"{token}.xlsx"
    try:
        result = apply_import(read_workbook(path), request.user, reason=_("Imported %(name)s") % pending)
    except ImportRejected as rejected:
        return render(request, "communities/census_import.html", {
            "form": CensusUploadForm(max_bytes=settings.CENSUS_UPLOAD_MAX_BYTES), "result": rejected.result,
            "filename": pending.get("name"),
        })
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(IMPORT_SESSION_KEY, None)
    totals = result.totals
    messages.success(request, _(
        "Imported: %(c_new)s communities created, %(c_upd)s updated; %(b_new)s buildings created, %(b_upd)s updated."
    ) % {"c_new": totals["community"]["create"], "c_upd": totals["community"]["update"],
         "b_new": totals["building"]["create"], "b_upd": totals["building"]["update"]})
    return redirect("communities:list")
