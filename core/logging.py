"""Logging that keeps health information out of the logs.

The portal's own log lines carry identifiers only. What other code puts in
a log is not ours to word: an exception's message may quote what it was
handed (PostgreSQL's "Key (medicaid_id)=(1234567A) already exists", a
library quoting a member's name it could not lay out), and Celery writes
a failed task's exception into the line itself. So every handler formats
with ``HealthSafeFormatter``: a traceback keeps its frames (file, line,
function and the line of code), which is what finding a bug needs, and
names each exception by its type only. ``TaskFailureFilter`` does the
same for the exception Celery puts into its failure lines.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

WITHHELD = "[message withheld: it may quote health information]"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

CAUSE_SEPARATOR = (
    "\nThe above exception was the direct cause of the following exception:\n\n"
)
CONTEXT_SEPARATOR = (
    "\nDuring handling of the above exception, another exception occurred:\n\n"
)


def exception_kind(exception: BaseException) -> str:
    """The exception's type as Python names it in a traceback.

    ``KeyError`` for a built-in, ``django.db.utils.IntegrityError`` for the
    others.
    """
    kind = type(exception)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _chain_lines(exception: BaseException, seen: set[int]) -> list[str]:
    """The traceback of an exception and those it came from, oldest first."""
    seen.add(id(exception))
    lines: list[str] = []
    cause, context = exception.__cause__, exception.__context__
    if cause is not None and id(cause) not in seen:
        lines += [*_chain_lines(cause, seen), CAUSE_SEPARATOR]
    elif (
        context is not None
        and not exception.__suppress_context__
        and id(context) not in seen
    ):
        lines += [*_chain_lines(context, seen), CONTEXT_SEPARATOR]

    if exception.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(exception.__traceback__)
    lines.append(f"{exception_kind(exception)}: {WITHHELD}\n")
    return lines


def traceback_without_messages(exception: BaseException) -> str:
    """Format a traceback as Python does, each exception's message withheld.

    Chained exceptions (``raise … from``, or raised while handling another)
    are shown as Python shows them, oldest first. Notes added to an
    exception and the members of an exception group are left out: they
    are text too.
    """
    return "".join(_chain_lines(exception, set())).rstrip("\n")


class HealthSafeFormatter(logging.Formatter):
    """A formatter whose tracebacks name exceptions but never quote them."""

    def formatException(self, ei: Any) -> str:
        exception = ei[1]
        if exception is None:
            return ""
        return traceback_without_messages(exception)

    def format(self, record: logging.LogRecord) -> str:
        # logging caches a record's formatted traceback for every handler;
        # one formatted by another handler's formatter would carry the
        # messages, so it is made again here and the cache left as it was.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


class TaskFailureFilter(logging.Filter):
    """Name only the exception's type in Celery's failed-task lines.

    Celery logs "Task …[id] raised unexpected: %(exc)s" with the
    exception's repr, message included, in the record's arguments.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        arguments = record.args
        if isinstance(arguments, dict) and "exc" in arguments and record.exc_info:
            exception = record.exc_info[1]
            if exception is not None:
                record.args = {**arguments, "exc": exception_kind(exception)}
        return True
