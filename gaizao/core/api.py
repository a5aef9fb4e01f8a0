"""What every API operation shares: the error answers, declared once for the whole schema; query parameters
read the same way everywhere; a JSON 404 for any other address under /api/."""

import datetime

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from gaizao.core import clock
from gaizao.core.filters import INT64

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
# DRF answers a bad request either with {"detail": …} or with the messages of each field ({"date": ["…"]}).
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]},
}
NO_NUL = "^[^\\x00]*$"
# A code in a path (communities/{code}/): any text but "/", "." and NUL, which PostgreSQL cannot compare (500).
CODE_IN_PATH = r"[^/.\x00]+"


def _ref(name):
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


ERROR_RESPONSES = {
    "400": {"description": "Invalid parameters or body", **_ref("ValidationError")},
    "401": {"description": "Not authenticated", **_ref("Error")},
    "403": {"description": "Not authenticated or not allowed", **_ref("Error")},
    "404": {"description": "Not found, not in the caller's scope, or no such page", **_ref("Error")},
    "415": {"description": "A body in a format the operation does not take", **_ref("Error")},
}


def _may_answer(operation) -> set[str]:
    parameters = operation.get("parameters", [])
    codes = {"401", "403"}  # a wrong token is refused before any permission is checked, everywhere
    if operation.get("requestBody") or any(p.get("in") == "query" for p in parameters):
        codes.add("400")
    if operation.get("requestBody"):
        codes.add("415")
    if any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
        codes.add("404")  # an object outside the caller's scope, or a page past the end
    return codes


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers DRF gives, unless a view declared its own."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    # Every filter (and page, date, sort) left empty counts as left out, as in an HTML form.
                    parameter["allowEmptyValue"] = True
                schema = parameter.get("schema", {})
                if schema.get("type") == "integer" and "maximum" not in schema:
                    schema.update(format="int64", minimum=-INT64, maximum=INT64 - 1)
                if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
                    schema["pattern"] = NO_NUL  # Django forms refuse NUL, and PostgreSQL cannot store it
            responses = operation.setdefault("responses", {})
            for code in sorted(_may_answer(operation)):
                if code not in responses:
                    responses[code] = ERROR_RESPONSES[code]
            for code, response in responses.items():
                if code in ERROR_RESPONSES and "content" not in response:
                    # Declared with a description only (what is refused): DRF answers {"detail": …}, and a 400
                    # may carry each field's messages instead.
                    response.update(_ref("ValidationError" if code == "400" else "Error"))
    return result


def date_param(request, name: str = "date") -> datetime.date:
    """The date in a query parameter, today when it is left out; a 400 when it is not a date."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return clock.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def text_param(request, name: str) -> str:
    """A text query parameter, stripped; a 400 when it holds NUL, which PostgreSQL cannot compare."""
    value = request.query_params.get(name, "").strip()
    if "\x00" in value:
        raise ValidationError({name: [_("Null characters are not allowed.")]})
    return value


@csrf_exempt  # a POST to a wrong address is a 404 too, not a CSRF page
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404 like the API's own, not the HTML page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


def exception_handler(exc, context):
    """DRF's handler, and an id past 64 bits (SQLite cannot even look it up) is an object that does not exist."""
    if isinstance(exc, OverflowError):
        exc = NotFound()
    return drf_exception_handler(exc, context)
