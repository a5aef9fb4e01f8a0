"""The defect list as a workbook. Households appear as unit and room only; numbers typed into texts are masked."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gaizao.core import excel
from gaizao.defects import services as service
from gaizao.works.bulletin_text import clean


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def defects_workbook(defects, today):
    rows = []
    for d in defects:
        answers = [e for e in d.events.all() if e.kind == service.Kind.ANSWERED]
        rows.append([
            d.pk, _local(d.created_at), d.community.code, clean(d.community.name), clean(d.community.subdistrict.name),
            clean(d.household.building.name) if d.household else "", str(d.household) if d.household else "",
            clean(d.project_item.plan_item.item.name), d.project_item.project.code,
            service.warranty_end(d.project_item),
            str(d.get_responsible_display()), clean(service.responsible_name(d)), clean(d.location),
            clean(service.redacted(d)), d.deadline, str(d.get_status_display()),
            _("yes") if service.is_overdue(d, today) else "",
            clean(service.redacted(d, answers[-1].text)) if answers else "", _local(d.closed_at),
        ])
    workbook = excel.new_workbook()
    sheet = excel.add_sheet(workbook, _("Defects"), [
        _("No."), _("Reported"), _("Community code"), _("Community"), _("Sub-district"), _("Building"),
        _("Household"), _("Work item"), _("Project code"), _("Warranty ends"), _("Passed on to"),
        _("Responsible party"), _("Where"), _("What is wrong"), _("Answer due"), _("Status"), _("Overdue"),
        _("Latest answer"), _("Closed")], rows, {2: 18, 4: 20, 8: 16, 11: 24, 12: 24, 14: 50, 18: 40, 19: 18})
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in (2, 19) and cell.value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif cell.column in (10, 15) and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
    return excel.response(workbook, f"质量缺陷报修_{today:%Y%m%d}.xlsx")
