from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from gaizao.communities.eligibility import reason_label
from gaizao.communities.models import Community, ProgrammeStatus
from gaizao.core import clock, excel
from gaizao.reports.services import district_summary
from gaizao.rollup.choice import choose


def _summary_for(user, choice):
    return district_summary(choice.communities(Community.objects.visible_to(user)))


@login_required
def summary(request):
    choice = choose(request)
    result = _summary_for(request.user, choice)
    reasons = [{"code": code, "label": reason_label(code), "count": n} for code, n in result.excluded_by_reason.items()]
    statuses = [{"code": value, "label": label, **result.by_status[value]}
                for value, label in ProgrammeStatus.choices if value in result.by_status]
    rows = result.by_district or result.by_subdistrict  # several districts: by district, each opening its own
    chart = {
        "labels": [row["name"] for row in rows],
        "series": [
            {"name": _("Eligible communities"), "data": [row["eligible"] for row in rows]},
            {"name": _("Excluded communities"), "data": [row["communities"] - row["eligible"] for row in rows]},
        ],
        "households": {"name": _("Households"), "data": [row["households"] for row in rows]},
    }
    return render(request, "reports/summary.html", {
        "summary": result, "reasons": reasons, "statuses": statuses, "chart": chart,
        "today": clock.today(), "district_choice": choice,
    }, status=400 if choice.error else 200)


@login_required
def summary_export(request):
    choice = choose(request)
    if choice.error:
        return HttpResponseBadRequest(choice.error)
    result = _summary_for(request.user, choice)
    workbook = excel.new_workbook()
    measures = [_("Communities"), _("Buildings"), _("Households"), _("Floor area (m²)"),
                _("Estimated investment (yuan)")]

    def values(bucket):
        return [bucket["communities"], bucket["buildings"], bucket["households"],
                round(float(bucket["floor_area_m2"]), 2), round(float(bucket["estimated_investment_yuan"]), 2)]

    excel.add_sheet(workbook, _("Overview"), [_("Item"), _("Value")], [
        [_("Communities surveyed"), result.total],
        [_("Eligible"), result.eligible_count],
        [_("Excluded"), result.excluded],
        *[[_("Excluded: %(reason)s") % {"reason": reason_label(code)}, n]
          for code, n in result.excluded_by_reason.items()],
        *[[label, value] for label, value in zip(measures[1:], values(result.eligible)[1:], strict=True)],
    ], {1: 36, 2: 20})
    excel.add_sheet(workbook, _("By sub-district"),
                    [_("Sub-district"), _("Communities surveyed"), _("Eligible"), *measures[1:]],
                    [[row["name"], row["communities"], row["eligible"], *values(row)[1:]]
                     for row in result.by_subdistrict], {1: 16})
    if result.by_district:
        excel.add_sheet(workbook, _("By district"),
                        [_("District"), _("Communities surveyed"), _("Eligible"), *measures[1:]],
                        [[row["name"], row["communities"], row["eligible"], *values(row)[1:]]
                         for row in result.by_district], {1: 16})
    excel.add_sheet(workbook, _("By batch year"), [_("Batch year"), *measures],
                    [[int(year), *values(bucket)] for year, bucket in result.by_batch_year.items()])
    excel.add_sheet(workbook, _("By programme status"), [_("Programme status"), *measures],
                    [[str(label), *values(result.by_status[value])]
                     for value, label in ProgrammeStatus.choices if value in result.by_status])
    return excel.response(workbook, choice.filename(f"改造汇总_{clock.today():%Y%m%d}.xlsx"))
