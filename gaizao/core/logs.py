"""Logging filters shared by the settings."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Django logs a refused request (403 PermissionDenied, 400 bad request) with the exception's traceback. That is
    the user's mistake or a rule working, not a fault to debug: one warning line says what and where. Server
    errors (5xx) keep their traceback."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
