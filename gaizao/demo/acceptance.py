"""The demo's acceptance rules (#18): Yanhu accepts a project only when 80 percent of its residents are satisfied
(the bureau's setting on /works/acceptance-settings/), and an accepted project shows a correction with its reason
beside the first record.

On 25 November 2021 no Yanhu project of the 2021 batch has finished: every started one reported that day and none
has reached its plan (the newspaper's totals are pinned), and any acceptance of them could only be dated that day.
The accepted projects come from the after-acceptance demo; this module corrects the earliest of them. It runs
last in `load_demo`, after every loader that accepts a project: the minimum would stop an acceptance without
satisfaction answers, as it should on the platform.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from gaizao.accounts.models import User
from gaizao.demo.yanhu import DISTRICT_CODE
from gaizao.regions.models import Area, DistrictSettings
from gaizao.regions.services import set_satisfaction_minimum
from gaizao.works.acceptance import correct_acceptance
from gaizao.works.models import Acceptance, AcceptanceCorrection

MINIMUM = Decimal("0.80")
BUREAU_USER = "bureau"
REASON = "验收签到表上有监理单位总监理工程师签字，录入时漏记，据签到表补录"


def delete_acceptance_rules() -> None:
    """Back to the server's setting (the projects, their acceptances and corrections go with `delete_works`)."""
    DistrictSettings.objects.filter(district__code=DISTRICT_CODE).update(satisfaction_min_rate=None)


def _yanhu_acceptances(district):
    return (Acceptance.objects.filter(project__communities__subdistrict__parent=district).distinct()
            .select_related("project__supervisor").order_by("date", "project__code"))


@transaction.atomic
def load_acceptance_rules() -> dict:
    """Set Yanhu's minimum (once) and correct one acceptance (once); says what it did."""
    district = Area.objects.get(code=DISTRICT_CODE)
    bureau = User.objects.filter(username=BUREAU_USER).first()
    found = DistrictSettings.objects.filter(district=district).first()
    if found is None or found.satisfaction_min_rate is None:
        set_satisfaction_minimum(bureau, district, MINIMUM)
    accepted = _yanhu_acceptances(district)
    corrected = AcceptanceCorrection.objects.filter(acceptance__in=accepted).select_related("acceptance__project")
    if corrected.exists():
        return {"minimum": MINIMUM, "corrected": corrected.first().acceptance.project.code}
    record = accepted.first()
    if record is None:
        return {"minimum": MINIMUM, "corrected": None}
    supervisor = record.project.supervisor
    missed = f"{supervisor.name} 总监理工程师 {supervisor.contact}".strip() if supervisor else "监理单位 总监理工程师"
    try:
        correct_acceptance(bureau, record.project, day=record.date, participants=f"{record.participants}\n{missed}",
                           checklist=record.checklist or {}, notes=record.notes, reason=REASON)
    except ValidationError:
        # An acceptance dated outside its works cannot be corrected to itself; the demo's tests name it.
        return {"minimum": MINIMUM, "corrected": None}
    return {"minimum": MINIMUM, "corrected": record.project.code}
