"""The residents' phone pages: report a defect, follow the household's defects, confirm or reopen a repair."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaizao.core import formatting
from gaizao.defects import services as service
from gaizao.defects.forms import ConfirmForm, ReportForm
from gaizao.defects.models import Defect
from gaizao.households.forms import household_label
from gaizao.residents.session import household_required


def _context(household, **more):
    return {"community": household.building.community, "household": household, "label": household_label(household),
            **more}


@household_required
def resident_new(request, code, household):
    community = household.building.community
    form = ReportForm(request.POST or None, request.FILES or None, community=community, resident=True)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service.report(community, form.project_item(), household=household,
                                     text=form.cleaned_data["text"], location=form.cleaned_data["location"],
                                     photos=form.cleaned_data["photos"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.feedback is not None:
                messages.warning(request, service.not_accepted_message())
                return redirect("feedback:mine", code=code)
            defect = outcome.defect
            messages.success(request, _("Thank you. Your report has been passed to %(who)s, who must answer by "
                                        "%(date)s.") % {"who": service.responsible_name(defect),
                                                        "date": formatting.date(defect.deadline)})
            return redirect(reverse("defects:mine", kwargs={"code": code}) + f"#defect-{defect.pk}")
    return render(request, "defects/resident_new.html", _context(household, form=form,
                                                                  has_items=bool(form.items)),
                  status=400 if form.errors else 200)


@household_required
def resident_mine(request, code, household):
    defects = service.with_everything(Defect.objects.filter(household=household)).order_by("-created_at", "-pk")
    rows = [{"defect": d, "events": service.event_rows(d), "responsible": service.responsible_name(d),
             "overdue": service.is_overdue(d), "form": ConfirmForm(prefix=f"c{d.pk}")} for d in defects]
    return render(request, "defects/resident_mine.html", _context(household, rows=rows))


@require_POST
@household_required
def resident_confirm(request, code, household, pk):
    defect = get_object_or_404(Defect, pk=pk, household=household)
    form = ConfirmForm(request.POST, prefix=f"c{defect.pk}")
    back = reverse("defects:mine", kwargs={"code": code}) + f"#defect-{defect.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    try:
        service.confirm(defect, form.cleaned_data["satisfied"], form.cleaned_data["text"], household=household)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if form.cleaned_data["satisfied"]:
            messages.success(request, _("Thank you for confirming. The defect is closed."))
        else:
            messages.info(request, _("The defect is open again and has been passed back, with a new deadline."))
    return redirect(back)
