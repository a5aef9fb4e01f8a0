"""Schemathesis over /api/schema/: no server error and no response that breaks the schema, for every operation.

Runs in-process against the WSGI app, as bureau staff authenticated with a token, over a small district with one
object of each kind. Derandomized and bounded so that CI is repeatable and quick. Every phase runs: each operation's
examples, coverage (the schema's edges: missing required fields, values at and past each limit) and fuzzing in
test_api, and the stateful phase in test_api_workflows (sequences that feed one answer's ids into the next call,
e.g. report feedback, then answer and confirm it, along the links Schemathesis infers from the schema).
"""

import json
import os

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

# More, and random, to explore locally: API_FUZZ_EXAMPLES=500 API_FUZZ_RANDOM=1 pytest tests/api
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", 25))
STATEFUL_STEPS = int(os.environ.get("API_FUZZ_STEPS", 6))
DERANDOMIZE = not os.environ.get("API_FUZZ_RANDOM")
TOKEN = "0123456789abcdef0123456789abcdef01234567"


def _load_schema():
    # The same generator /api/schema/ serves; built at import so that pytest gets one test per operation.
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@schema.auth()
class BureauToken:
    """The token of the bureau user the fixture creates (a fixed key: each test has a new database)."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture
def token(api_district, bureau):
    # Django's test client keeps the test's connection open across requests; the bare WSGI handler would close it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Token.objects.create(user=bureau, key=TOKEN).key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=DERANDOMIZE, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api(case, token):
    case.call_and_validate(excluded_checks=_excluded(case))


def _excluded(case):
    # A body names things the schema cannot check: a community or household that exists, a vote still open, a
    # quantity within the plan. Refusing those with a 400 and a message is right; every other check applies.
    return [positive_data_acceptance] if case.method == "POST" else []


@pytest.mark.django_db
def test_api_workflows(token):
    """The stateful phase: chains of calls (about 170 in 6 s at 25 examples of 6 steps), no server error, every
    answer as the schema says."""

    class Workflow(schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, additional_checks=additional_checks, excluded_checks=_excluded(case),
                                   transport_kwargs=kwargs or None, recorder=self.recorder)

    Workflow.run(settings=settings(max_examples=MAX_EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None,
                                   derandomize=DERANDOMIZE, suppress_health_check=list(HealthCheck)))
