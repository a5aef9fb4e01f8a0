"""Background tasks (run by `gaizao db_worker`); each calls one service function."""

from django_tasks import task

from gaizao.communities.census import worker


@task()
def check_census_upload(job_id: str) -> str:
    return worker.run_check(job_id)


@task()
def import_census_upload(job_id: str) -> str:
    return worker.run_import(job_id)
