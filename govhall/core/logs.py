"""Server log formatting: a refused request is one line, a server error keeps its traceback."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Formatter):
    """Leaves out the traceback Django attaches to a 4xx record (PermissionDenied, BadRequest …).

    A refusal is the expected answer to a wrong request, not a fault: the line naming the status
    and path says all there is. A 5xx record keeps its traceback.
    """

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and status < 500:
            # A copy: other handlers (an error mailer, a capture in tests) still get the exception.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)
