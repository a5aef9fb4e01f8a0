"""Request id: one id per request, shared by its log lines and its audit rows."""

import contextvars
import logging
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_log = logging.getLogger("gaizao.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A proxy in front may already have named the request; keep its id so logs line up.
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            # One line per request, carrying the same id as the audit rows it wrote.
            request_log.info("%s %s %s %.0fms user=%s", request.method, request.path, response.status_code,
                             (time.monotonic() - started) * 1000, getattr(request, "user", None) and
                             (request.user.pk if request.user.is_authenticated else "-"))
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True
