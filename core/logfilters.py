"""Logging filters: a refused request is one line in the log, not a traceback."""

import logging

__all__ = ["ClientErrorsOnOneLine"]


class ClientErrorsOnOneLine(logging.Filter):
    """Django logs a 403 (PermissionDenied) and some 400s with the exception's traceback; for a client's error that
    is noise (a worker opening 账号维护 is not a bug). Keep the line, add the exception's message, drop the traceback.
    Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.exc_info:
            exc = record.exc_info[1]
            message = record.getMessage()
            reason = str(exc) if exc is not None else ""
            record.msg = f"{message} ({reason})" if reason and reason not in message else message
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
