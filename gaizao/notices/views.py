"""Notice pages: staff publish and take down; anyone with the link reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.communities.models import Community
from gaizao.core import clock
from gaizao.households import access
from gaizao.notices import seasonal
from gaizao.notices import services as notices
from gaizao.notices.forms import NoticeForm
from gaizao.residents.session import current_household

PAGE_SIZE = 100


@login_required
def notice_list(request):
    visible = notices.visible_to(request.user)
    can_publish = notices.may_publish_any(request.user)
    if not (can_publish or request.user.sees_whole_district or access.works_with_residents(request.user)):
        raise PermissionDenied
    form = None
    chosen = seasonal.template(request.GET.get("template", ""))
    if can_publish:
        initial = {"title": chosen.title, "body": chosen.body} if chosen else {}
        form = NoticeForm(request.POST or None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                notice = notices.publish(request.user, title=data["title"], body=data["body"], area=data["area"],
                                         community=data["community"], published_at=data["published_at"],
                                         valid_until=data["valid_until"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Notice “%(title)s” published to %(audience)s.")
                                 % {"title": notice.title, "audience": notices.audience_label(notice)})
                return redirect("notices:list")
    elif request.method == "POST":
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    listed = visible.select_related("area", "community", "created_by").order_by("-published_at", "-pk")
    if query:
        listed = listed.filter(Q(title__icontains=query) | Q(body__icontains=query))
    now = clock.now()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notice": n, "audience": notices.audience_label(n), "state": notices.state(n, now),
             "can_end": notices.may_end(request.user, n) and notices.state(n, now) != "ended"} for n in page]
    return render(request, "notices/list.html", {
        "form": form, "templates": seasonal.TEMPLATES, "chosen": chosen, "page": page, "rows": rows,
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def notice_end(request, pk):
    notice = get_object_or_404(notices.visible_to(request.user), pk=pk)
    notices.end(request.user, notice)
    messages.success(request, _("Notice “%(title)s” taken down.") % {"title": notice.title})
    return redirect("notices:list")


def resident_notices(request, code):
    """The community's notices in force, for anyone holding the stairwell's link (no need to identify)."""
    community = get_object_or_404(Community.objects.select_related("subdistrict"), code=code)
    household = current_household(request)
    if household is not None and household.building.community_id != community.pk:
        household = None
    return render(request, "notices/resident_list.html", {
        "community": community, "notices": notices.for_community(community), "household": household,
    })
