"""Staff pages of the households register: the register, its workbook, the committee, access codes and the
community's QR poster."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gaizao.accounts.models import User
from gaizao.communities.models import Community
from gaizao.core import clock, excel
from gaizao.households import access
from gaizao.households import services as households
from gaizao.households.forms import CommitteeForm, HouseholdsUploadForm, IssueCodesForm, MemberForm, household_label
from gaizao.households.models import Committee, CommitteeMember, Household, Ownership

PAGE_SIZE = 50


def entry_url(request, community) -> str:
    """The link on the stairwell door: RESIDENT_BASE_URL (e.g. https://gaizao.example.gov.cn) when set."""
    path = reverse("residents:entry", args=[community.code])
    base = getattr(settings, "RESIDENT_BASE_URL", "")
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


@login_required
def qr_page(request, code):
    community = access.get_managed_community(request.user, code)
    return render(request, "households/qr.html", {"community": community,
                                                               "url": entry_url(request, community)})


@login_required
def qr_svg(request, code):
    community = access.get_managed_community(request.user, code)
    buffer = io.BytesIO()
    segno.make(entry_url(request, community), error="m").save(buffer, kind="svg", scale=8, border=2,
                                                              title=community.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def manage_index(request):
    user = request.user
    if not (user.works_on_programme or user.role == User.Role.COMMITTEE_MEMBER):
        raise PermissionDenied
    communities = access.managed_communities(user).select_related("subdistrict").order_by("code")
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "households/manage_index.html", {"page": page})


def manage_context(request, community, **extra):
    user = request.user
    return {"community": community, "is_staff_for": access.is_staff_for(user, community),
            "may_work": access.may_work_for(user, community),
            "may_import": households.may_import(user, community), **extra}


@login_required
def manage(request, code):
    community = access.get_managed_community(request.user, code)
    rows = (Household.objects.filter(building__community=community).select_related("building")
            .prefetch_related(Prefetch("ownerships", queryset=Ownership.objects.select_related("owner")))
            .order_by("building__name", "stairwell_unit", "room"))
    building = request.GET.get("building")
    if building and building.isdigit():
        rows = rows.filter(building_id=int(building))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    codes = access.code_status([h.pk for h in page.object_list])
    listed = [{"household": h, "owners": [households.owner_contacts(o.owner) for o in h.ownerships.all()],
               "code_until": codes.get(h.pk)} for h in page.object_list]
    totals = Household.objects.filter(building__community=community)
    # The reverse relation: the register lists the surveys without depending on the surveys app.
    survey_list = community.surveys.select_related("project").order_by("-opens_at")
    return render(request, "households/manage.html", manage_context(
        request, community, page=page, rows=listed, buildings=community.buildings.order_by("name"),
        building=building, household_count=totals.count(),
        owner_count=Ownership.objects.filter(household__in=totals).values("owner").distinct().count(),
        surveys=survey_list, committees=community.committees.prefetch_related("members__user"),
        may_reveal=households.may_reveal(request.user, community), now=timezone.now()))


@never_cache
@login_required
def households_export(request, code):
    """Masked numbers; full ones only when asked for (POST) with a reason, which the history keeps."""
    community = access.get_managed_community(request.user, code)
    name = f"住户_{community.code}_{clock.today():%Y%m%d}.xlsx"
    if request.method == "POST":
        try:
            workbook = households.reveal_export(request.user, community, request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("households:manage", code=code)
        return excel.response(workbook, name)
    return excel.response(households.households_workbook(Community.objects.filter(pk=community.pk)), name)


@never_cache
@login_required
@require_POST
def reveal(request, code):
    """One household's full numbers, for a reason kept in the history; the page is never cached."""
    community = access.get_managed_community(request.user, code)
    household = get_object_or_404(Household.objects.select_related("building__community"),
                                  pk=request.POST.get("household"), building__community=community)
    try:
        owners = households.reveal(request.user, household, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("households:manage", code=code)
    return render(request, "households/reveal.html", manage_context(
        request, community, household=household, owners=owners, reason=request.POST.get("reason", "")))


@login_required
def households_template(request):
    return excel.response(households.households_workbook(), "住户模板.xlsx")


@login_required
def households_import(request, code):
    community = access.get_managed_community(request.user, code)
    access.require(households.may_import(request.user, community))
    form = HouseholdsUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        if dry_run:
            result = households.plan_import(upload, request.user, community)
        else:
            try:
                result = households.apply_import(upload, request.user, community,
                                                 reason=_("Imported %(name)s") % {"name": upload.name[:100]})
            except households.ImportRejected as rejected:
                result = rejected.result
            else:
                messages.success(request, _("Households imported: %(create)s new, %(update)s updated, "
                                            "%(unchanged)s unchanged.") % result.households)
                return redirect("households:manage", code=code)
    return render(request, "households/import.html", manage_context(
        request, community, form=form, result=result, shown_errors=(result.errors[:500] if result else [])))


@login_required
def committee(request, code):
    community = access.get_managed_community(request.user, code)
    staff = access.is_staff_for(request.user, community)
    committees = list(community.committees.prefetch_related("members__user").order_by("pk"))
    committee_form = CommitteeForm(prefix="committee", initial={"name": _("%(name)s residents' committee")
                                                                        % {"name": community.name}})
    member_form = MemberForm(prefix="member")
    if request.method == "POST":
        access.require(staff)
        action = request.POST.get("action")
        if action == "create":
            committee_form = CommitteeForm(request.POST, prefix="committee",
                                           instance=Committee(community=community))
            if committee_form.is_valid():
                committee_form.save()
                messages.success(request, _("Committee created."))
                return redirect("households:committee", code=code)
        elif action == "add":
            target = get_object_or_404(Committee, pk=request.POST.get("committee"), community=community)
            member_form = MemberForm(request.POST, prefix="member")
            if member_form.is_valid():
                _add_member(target, member_form)
                messages.success(request, _("Member added."))
                return redirect("households:committee", code=code)
        elif action == "remove":
            member = get_object_or_404(CommitteeMember, pk=request.POST.get("member"),
                                       committee__community=community)
            member.delete()
            messages.success(request, _("Member removed."))
            return redirect("households:committee", code=code)
    return render(request, "households/committee.html", manage_context(
        request, community, committees=committees, committee_form=committee_form, member_form=member_form))


@transaction.atomic
def _add_member(committee_obj, form):
    data = form.cleaned_data
    user = form.user
    if user is None:
        user = User(username=data["username"], role=User.Role.COMMITTEE_MEMBER, first_name=data.get("full_name", ""))
        user.set_password(data["password"])
        user.save()
    CommitteeMember.objects.update_or_create(committee=committee_obj, user=user, defaults={"role": data["role"]})


@never_cache
@login_required
def codes(request, code):
    """Issue codes for a building; the answer is the printable sheet, the only place codes are shown."""
    community = access.get_managed_community(request.user, code)
    access.require(access.may_work_for(request.user, community))
    form = IssueCodesForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        building = get_object_or_404(community.buildings, pk=form.cleaned_data["building"])
        targets = Household.objects.filter(building=building).select_related("building").order_by(
            "stairwell_unit", "room")
        if form.cleaned_data.get("unit"):
            targets = targets.filter(stairwell_unit=form.cleaned_data["unit"])
        if form.cleaned_data.get("only_without_code"):
            holding = access.code_status(targets)
            targets = [h for h in targets if h.pk not in holding]
        issued = access.issue_codes(request.user, targets)
        if not issued:
            messages.info(request, _("Every household chosen already has a valid code; nothing was issued."))
            return redirect("households:codes", code=code)
        return render(request, "households/code_sheet.html", {
            "community": community, "building": building, "issued": issued,
            "url": entry_url(request, community), "labels": {i.household.pk: household_label(i.household)
                                                             for i in issued}})
    return render(request, "households/codes.html", manage_context(request, community, form=form))
