from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaizao.catalog.forms import CatalogUploadForm, WorkItemForm
from gaizao.catalog.models import ContentGroup, Tier, WorkItem
from gaizao.catalog.services import save_item, set_cost, with_cost_on
from gaizao.catalog.sheet import catalog_workbook, import_catalog
from gaizao.core import clock, excel

SORTS = {"code": "code", "name": "name", "tier": "tier", "group": "content_group", "cost": "unit_cost"}


def _may_edit(user) -> bool:
    return user.sees_whole_district and user.can_edit_census


@login_required
def item_list(request):
    day = clock.today()
    items = with_cost_on(WorkItem.objects.all(), day)
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if request.GET.get("tier") in Tier.values:
        items = items.filter(tier=request.GET["tier"])
    if request.GET.get("group") in ContentGroup.values:
        items = items.filter(content_group=request.GET["group"])
    sort = request.GET.get("sort", "code")
    field = SORTS.get(sort.lstrip("-"), "code")
    items = items.order_by(("-" if sort.startswith("-") else "") + field, "code")
    return render(request, "catalog/item_list.html", {
        "items": items, "sort": sort, "tiers": Tier.choices, "groups": ContentGroup.choices,
        "can_edit": _may_edit(request.user), "today": day, "upload": CatalogUploadForm(),
    })


@login_required
def item_edit(request, code=None):
    if not _may_edit(request.user):
        raise PermissionDenied
    item = get_object_or_404(WorkItem, code=code) if code else WorkItem()
    form = WorkItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = save_item(request.user, form.save(commit=False))
            if form.cleaned_data.get("new_cost"):
                set_cost(request.user, item, form.cleaned_data["cost_from"], form.cleaned_data["new_cost"])
        messages.success(request, _("Saved %(name)s.") % {"name": item.name})
        return redirect("catalog:list")
    costs = item.costs.all() if item.pk else []
    return render(request, "catalog/item_form.html", {"form": form, "item": item, "costs": costs})


@login_required
def catalog_export(request):
    return excel.response(catalog_workbook(), f"改造内容_{clock.today():%Y%m%d}.xlsx")


@login_required
def catalog_import(request):
    if not _may_edit(request.user) or request.method != "POST":
        raise PermissionDenied
    form = CatalogUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        refused = form.errors.get("file") if request.FILES.get("file") else None  # e.g. too large
        messages.error(request, " ".join(refused) if refused else _("Choose an .xlsx file to import."))
        return redirect("catalog:list")
    result = import_catalog(form.cleaned_data["file"], request.user)
    if result.errors:
        for error in result.errors[:50]:
            messages.error(request, str(error))
        messages.error(request, _("Nothing was imported. Correct the rows above and try again."))
    else:
        messages.success(request, _("Catalog imported: %(c)s items created, %(u)s updated, %(k)s costs set.")
                         % {"c": result.created, "u": result.updated, "k": result.costs})
    return redirect("catalog:list")
