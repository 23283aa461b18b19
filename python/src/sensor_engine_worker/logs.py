"""Log lines that carry the workflow id of the sensor they are about, in text or one JSON object per line.

The workflow id lives in a context variable set where a poke starts, so lines that the sensor's own code logs
(in the poke thread, in tasks the poke starts) carry it as well as the worker's own.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone

WORKFLOW_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("sensor_workflow_id", default=None)


class _WorkflowIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "workflow_id"):
            record.workflow_id = WORKFLOW_ID.get()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        workflow_id = getattr(record, "workflow_id", None)
        if workflow_id:
            # Appended rather than formatted in, so lines without a sensor stay short.
            first, newline, rest = text.partition("\n")
            text = f"{first} workflow_id={workflow_id}{newline}{rest}"
        return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        workflow_id = getattr(record, "workflow_id", None)
        if workflow_id:
            line["workflow_id"] = workflow_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str, level: str = "INFO") -> None:
    """Sends every logger's lines to stderr in ``log_format`` (text or json)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(_WorkflowIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
