"""Background tasks (run by `gaizao db_worker`)."""

from django_tasks import task

from gaizao.planning import programme


@task()
def run_scenario_task(scenario_id: int) -> str:
    return programme.run_scenario(scenario_id)
