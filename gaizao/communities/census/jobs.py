"""Census imports on the web: store the upload and queue its check, then its import, for the background worker
(`tasks.py` → `worker.py`), so no page hangs while a large workbook is read."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gaizao.communities.census.worker import upload_path
from gaizao.communities.models import CensusImportJob
from gaizao.communities.tasks import check_census_upload, import_census_upload

Status = CensusImportJob.Status


def start_check(user, upload, language: str) -> CensusImportJob:
    if not user.can_edit_census:
        raise PermissionDenied
    job = CensusImportJob.objects.create(created_by=user, file_name=upload.name[:200], language=language)
    with upload_path(job).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    transaction.on_commit(lambda: check_census_upload.enqueue(str(job.pk)))
    return job


def start_import(user, job: CensusImportJob) -> None:
    updated = CensusImportJob.objects.filter(pk=job.pk, created_by=user, status=Status.CHECKED).update(
        status=Status.QUEUED, stage="import", done=0, total=0)
    if not updated:
        raise PermissionDenied(_("This import is not ready, or it is not yours."))
    transaction.on_commit(lambda: import_census_upload.enqueue(str(job.pk)))
