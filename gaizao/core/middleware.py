"""Request id: one id per request, shared by its log lines and its audit rows."""

import contextvars
import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_log = logging.getLogger("gaizao.request")


def current_request_id() -> str:
    return _request_id.get()


def client_address(request) -> str | None:
    """The client's address. Behind PROXY_COUNT trusted proxies (nginx appends the address it saw to
    X-Forwarded-For), it is that many entries from the right; anything further left the client could forge."""
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


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
            # A path with control characters (%0a) must not start a forged line of its own in the log.
            path = request.path if request.path.isprintable() else request.path.encode("unicode_escape").decode()
            request_log.info("%s %s %s %.0fms user=%s ip=%s%s", request.method, path, response.status_code,
                             (time.monotonic() - started) * 1000, getattr(request, "user", None) and
                             (request.user.pk if request.user.is_authenticated else "-"), client_address(request),
                             # which database a report read (gaizao.core.db_router), when a replica is configured
                             f" db={request.reads_from}" if hasattr(request, "reads_from") else "")
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class UnreadableAddress(BadRequest):
    """A 400 whose message is our own sentence for the user (the error page shows it; Django's are internals)."""


class RejectNulMiddleware:
    """A NUL character in the address or the query cannot be stored or looked up in PostgreSQL (it would raise
    a server error deep in a view); no user types one, so a page request is refused up front. The API answers
    such requests itself, in JSON (gaizao.core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").replace("%2500", ""):
            # Raised, not answered: Django turns it into the site's 400 page (gaizao.errors), in the user's language.
            raise UnreadableAddress(_("The address contains a character that is not allowed."))
        return self.get_response(request)
