"""What the background worker does with a census import job: read the stored upload, check or import it.

The page polls the job row. Reading and checking commit progress as they go; the write itself is one
transaction (all or nothing), so while it runs the page shows a moving bar without a count.
"""

import time
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from gaizao.communities.census.importer import ImportRejected, apply_import, plan_import
from gaizao.communities.census.reader import read_workbook
from gaizao.communities.models import CensusImportJob

Status = CensusImportJob.Status
SHOWN_ERRORS = 1000
SHOWN_CHANGES = 300


def upload_path(job) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}.xlsx"


class _Reporter:
    """Writes progress to the job row at most a few times a second."""

    def __init__(self, job_id, stage):
        self.job_id, self.stage, self.last = job_id, stage, 0.0

    def __call__(self, done, total, label=""):
        now = time.monotonic()
        if now - self.last < 0.3 and done < total:
            return
        self.last = now
        CensusImportJob.objects.filter(pk=self.job_id).update(stage=self.stage, done=min(done, total), total=total)


def _summary(result) -> dict:
    return {
        "totals": result.totals,
        "error_count": len(result.errors),
        "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column, "value": e.value, "message": e.message}
                   for e in result.errors[:SHOWN_ERRORS]],
        "change_count": len(result.operations),
        "changes": [{"action": op.action, "key": op.key, "label": op.label, "changed": op.changed}
                    for op in result.operations[:SHOWN_CHANGES]],
    }


def run_check(job_id) -> str:
    job = CensusImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        CensusImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, stage="read")
        data = read_workbook(upload_path(job), progress=_Reporter(job.pk, "read"))
        CensusImportJob.objects.filter(pk=job.pk).update(stage="compare")
        result = plan_import(data, job.created_by)
        status = Status.REJECTED if result.errors else Status.CHECKED
        CensusImportJob.objects.filter(pk=job.pk).update(status=status, stage="", result=_summary(result))
    if status == Status.REJECTED:
        upload_path(job).unlink(missing_ok=True)
    return status


def run_import(job_id) -> str:
    job = CensusImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        CensusImportJob.objects.filter(pk=job.pk).update(status=Status.IMPORTING, stage="read")
        data = read_workbook(upload_path(job), progress=_Reporter(job.pk, "read"))
        CensusImportJob.objects.filter(pk=job.pk).update(stage="write", done=0, total=0)
        try:
            result = apply_import(data, job.created_by, reason=_("Imported %(name)s") % {"name": job.file_name})
            status = Status.IMPORTED
        except ImportRejected as rejected:
            # The database changed since the check (someone else imported): report, write nothing.
            result, status = rejected.result, Status.REJECTED
        except Exception:
            CensusImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, stage="")
            raise
        finally:
            upload_path(job).unlink(missing_ok=True)
        CensusImportJob.objects.filter(pk=job.pk).update(status=status, stage="", result=_summary(result))
    return status
