"""The bureau's corrections of a joint-meeting item: another lead department or due date, or reopening a closed
item. Each needs a reason; the rules are in services.revise_item and services.reopen_item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaizao.coordination import access, services
from gaizao.coordination.forms import ReopenForm, ReviseForm
from gaizao.coordination.models import CoordinationItem


@login_required
def item_correct(request, pk):
    item = access.get_item_for_user(request.user, pk)
    if not access.is_bureau(request.user):
        raise PermissionDenied
    done = item.status == CoordinationItem.Status.DONE
    posted = request.method == "POST"
    form = (ReopenForm if done else ReviseForm)(
        request.POST if posted else None, prefix="correct",
        initial=None if done else {"lead_department": item.lead_department_id, "due_date": item.due_date})
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            if done:
                services.reopen_item(request.user, item, reason=data["reason"])
                messages.success(request, _("The item is open again; its lead department has been told why."))
            else:
                services.revise_item(request.user, item, lead_department=data["lead_department"],
                                     due_date=data["due_date"], reason=data["reason"])
                messages.success(request, _("The item is revised; the reason is in its history."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("coordination:item", pk=item.pk)
    return render(request, "coordination/item_correct.html", {"item": item, "form": form, "done": done},
                  status=400 if form.errors else 200)
