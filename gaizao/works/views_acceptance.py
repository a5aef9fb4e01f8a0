"""Completion acceptance pages: record it once, read it, correct it with a reason; the bureau's minimum
residents' satisfaction. The rules are in `gaizao.works.acceptance`; these views only parse and show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaizao.regions import services as regions
from gaizao.regions.models import Area
from gaizao.works import acceptance as rules
from gaizao.works.access import get_project_for_user
from gaizao.works.forms import CHECKS, AcceptanceCorrectionForm, AcceptanceForm, SatisfactionMinimumForm
from gaizao.works.models import Acceptance


def _project_for_bureau(request, code):
    project = get_project_for_user(request.user, code)
    if not rules.may_accept(request.user, project):
        raise PermissionDenied
    return project


def _record(project):
    return Acceptance.objects.filter(project=project).select_related("recorded_by").first()


def _add_errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


def _date_hint(form, window):
    """The allowed range under the date field, and as the browser's date picker's bounds."""
    form.fields["date"].help_text = window.sentence()
    form.fields["date"].widget.attrs.update(min=window.earliest.isoformat(), max=window.latest.isoformat())


def _community_codes(project):
    return list(project.communities.order_by("code").values_list("code", flat=True))


@login_required
def acceptance(request, code):
    """Not yet accepted: the form. Accepted: the record, read only, with its corrections and the way to one."""
    project = _project_for_bureau(request, code)
    record = _record(project)
    if record is not None:
        if request.method == "POST":
            messages.error(request, rules.already_accepted(record).messages[0])
            return redirect("works:acceptance", code=project.code)
        return render(request, "works/acceptance_record.html", {
            "project": project, "acceptance": record, "first": record.first_record(),
            "corrections": rules.history(record), "check_labels": CHECKS,
            "documents": record.documents.all()})
    rows = rules.short_items(project)
    window = rules.date_window(project)
    form = AcceptanceForm(request.POST or None, request.FILES or None)
    _date_hint(form, window)
    if request.method == "POST" and form.is_valid():
        reasons = {r["item"].pk: request.POST.get(f"reason_{r['item'].pk}", "") for r in rows}
        try:
            with transaction.atomic():
                record = rules.accept(request.user, project, day=form.cleaned_data["date"],
                                      participants=form.cleaned_data["participants"],
                                      checklist={key: key in form.cleaned_data["checks"] for key, _label in CHECKS},
                                      shortfall_reasons=reasons, notes=form.cleaned_data["notes"])
                for upload in form.cleaned_data["documents"]:
                    record.documents.create(title=upload.name[:150], file=upload)
        except rules.AlreadyAccepted as error:
            messages.error(request, error.messages[0])
            return redirect("works:acceptance", code=project.code)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Completion acceptance recorded."))
            return redirect("works:detail", code=project.code)
    typed = {r["item"].pk: request.POST.get(f"reason_{r['item'].pk}") for r in rows} if request.method == "POST" \
        else {}
    return render(request, "works/acceptance.html", {
        "project": project, "form": form, "window": window, "typed_reasons": typed,
        "short_rows": rows, "community_codes": _community_codes(project),
        **_satisfaction(project)})


def _satisfaction(project) -> dict:
    found = rules.satisfaction(project)
    return {"satisfaction": found, "satisfaction_line": rules.satisfaction_line(found),
            "satisfaction_refusal": "" if found.ok else rules.satisfaction_refusal(found)}


@login_required
def correct(request, code):
    """更正验收记录: new values with a reason; the record before stays in the history."""
    project = _project_for_bureau(request, code)
    record = _record(project)
    if record is None:
        messages.info(request, _("This project has no acceptance to correct; record the acceptance first."))
        return redirect("works:acceptance", code=project.code)
    window = rules.date_window(project)
    if request.method == "POST":
        form = AcceptanceCorrectionForm(request.POST, request.FILES)
    else:
        form = AcceptanceCorrectionForm(acceptance=record)
    _date_hint(form, window)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                rules.correct_acceptance(request.user, project, day=form.cleaned_data["date"],
                                         participants=form.cleaned_data["participants"],
                                         checklist=form.checklist(), notes=form.cleaned_data["notes"],
                                         reason=form.cleaned_data["reason"])
                for upload in form.cleaned_data["documents"]:
                    record.documents.create(title=upload.name[:150], file=upload)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Acceptance corrected; the earlier record stays in the history."))
            return redirect("works:acceptance", code=project.code)
    return render(request, "works/acceptance_correct.html", {"project": project, "form": form,
                                                             "acceptance": record})


def _districts():
    districts = list(Area.objects.filter(level=Area.Level.DISTRICT).select_related("settings").order_by("code"))
    return [(d, getattr(getattr(d, "settings", None), "satisfaction_min_rate", None)) for d in districts]


@login_required
def settings_page(request):
    """The bureau's minimum residents' satisfaction before a project may be accepted, per district."""
    if not rules.may_accept(request.user):
        raise PermissionDenied
    server = regions.server_satisfaction_minimum()
    server_words = rules.percent(server) if server else _("no minimum")
    districts = _districts()
    form = SatisfactionMinimumForm(request.POST or None, districts=districts, server=server_words)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for district, rate in form.rates():
                    regions.set_satisfaction_minimum(request.user, district, rate)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved. Acceptances from now on need this satisfaction."))
            return redirect("works:acceptance_settings")
    effective = [(district, rules.percent(regions.satisfaction_minimum([district.pk])))
                 for district, _rate in districts]
    return render(request, "works/acceptance_settings.html", {"form": form, "effective": effective,
                                                              "server": server_words})
