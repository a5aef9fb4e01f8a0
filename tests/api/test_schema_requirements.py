"""The schema says what the server requires: the fields it refuses a request without are required, and the
operations that refuse well-formed bodies for what the schema cannot check (a household outside the electorate,
a date long before the project) document that 400 answer and what it refuses."""

import pytest
from drf_spectacular.generators import SchemaGenerator

# operation → (request body component, fields it requires, words the 400 answer's description must hold)
REFUSALS = {
    ("/api/feedback/", "post"): ("FeedbackCreateRequest", {"community", "category", "text"}, "`community`"),
    ("/api/votes/{vote_id}/ballots/", "post"): ("BallotRequestRequest", {"household", "choice"}, "electorate"),
    ("/api/projects/{code}/report/", "post"): ("ReportRequest", {"date", "quantities"}, "planned start"),
    ("/api/surveys/{survey_id}/responses/", "post"): ("ResponseRequestRequest", {"answers"}, "survey's community"),
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("operation", REFUSALS, ids=lambda operation: operation[0])
def test_the_schema_marks_required_fields_and_documents_the_400(schema, operation):
    component, required, refusal = REFUSALS[operation]
    path, method = operation
    assert required <= set(schema["components"]["schemas"][component]["required"])
    answer = schema["paths"][path][method]["responses"]["400"]
    assert refusal in answer["description"]
    # A 400 is a sentence ({"detail": …}) or each field's messages: the schema that takes both.
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}


def test_the_report_quantities_are_a_non_empty_mapping_of_decimals(schema):
    quantities = schema["components"]["schemas"]["ReportRequest"]["properties"]["quantities"]
    assert quantities["type"] == "object" and quantities["minProperties"] == 1
    assert quantities["additionalProperties"]["format"] == "decimal"
