"""Optimiser runs on the web: the scenario row is saved at once and the run is queued for the background worker
(`tasks.py` → `programme.run_scenario`), so no page waits for the solver."""

from django.db import transaction

from gaizao.planning.models import Programme, Scenario
from gaizao.planning.programme import default_inputs, require_programme_edit
from gaizao.planning.tasks import run_scenario_task


def start_scenario(actor, programme: Programme, name: str, inputs: dict | None = None) -> Scenario:
    require_programme_edit(actor, programme)
    scenario = Scenario.objects.create(programme=programme, name=name[:100], inputs=inputs or default_inputs(programme),
                                       created_by=actor if getattr(actor, "pk", None) else None)
    transaction.on_commit(lambda: run_scenario_task.enqueue(scenario.pk))
    return scenario
