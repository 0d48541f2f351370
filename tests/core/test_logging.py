"""Tracebacks in the logs name exceptions and never quote their messages."""

import logging

from core.logging import (
    WITHHELD,
    HealthSafeFormatter,
    TaskFailureFilter,
    traceback_without_messages,
)

MEDICAID_ID = "9000123Z"
NAME = "Zoë Ngũgĩ"


def raised_in_a_chain() -> BaseException:
    """A KeyError naming a Medicaid ID, re-raised as a ValueError naming a
    member, as a library handed our data would."""
    try:
        try:
            raise KeyError(MEDICAID_ID)
        except KeyError as error:
            raise ValueError(f"cannot lay out {NAME}") from error
    except ValueError as error:
        return error


def test_a_traceback_keeps_its_frames_and_types_and_withholds_every_message() -> None:
    text = traceback_without_messages(raised_in_a_chain())

    assert MEDICAID_ID not in text
    assert NAME not in text
    assert f"KeyError: {WITHHELD}" in text
    assert f"ValueError: {WITHHELD}" in text
    assert "direct cause of the following exception" in text
    assert text.index("KeyError") < text.index("ValueError")
    assert "in raised_in_a_chain" in text
    assert 'raise ValueError(f"cannot lay out {NAME}") from error' in text


def test_an_exception_raised_while_handling_another_shows_both_withheld() -> None:
    try:
        try:
            raise LookupError(MEDICAID_ID)
        except LookupError:
            raise RuntimeError(NAME) from None
    except RuntimeError as error:
        suppressed = traceback_without_messages(error)
    try:
        try:
            raise LookupError(MEDICAID_ID)
        except LookupError:
            raise RuntimeError(NAME)  # noqa: B904 (the implicit chain is the point)
    except RuntimeError as error:
        chained = traceback_without_messages(error)

    assert "LookupError" not in suppressed
    assert "another exception occurred" in chained
    assert MEDICAID_ID not in chained + suppressed
    assert NAME not in chained + suppressed


def record_with(exception: BaseException, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "tests", logging.ERROR, __file__, 1, "Failed for id %s", (42,), None
    )
    record.exc_info = (type(exception), exception, exception.__traceback__)
    record.__dict__.update(fields)
    return record


def test_the_formatter_ignores_a_traceback_another_handler_formatted_in_full() -> None:
    record = record_with(raised_in_a_chain(), exc_text=f"ValueError: {NAME}")

    text = HealthSafeFormatter("%(levelname)s %(message)s").format(record)

    assert text.startswith("ERROR Failed for id 42\nTraceback")
    assert NAME not in text
    # The other handler's text is left as that handler made it.
    assert record.exc_text == f"ValueError: {NAME}"


def test_celerys_failed_task_line_names_only_the_type_of_the_exception() -> None:
    exception = raised_in_a_chain()
    record = logging.LogRecord(
        "celery.app.trace",
        logging.ERROR,
        __file__,
        1,
        "Task %(name)s[%(id)s] %(description)s: %(exc)s",
        (
            {
                "name": "flags.sweep_member",
                "id": "abc",
                "description": "raised unexpected",
                "exc": repr(exception),
            },
        ),
        (type(exception), exception, exception.__traceback__),
    )

    assert TaskFailureFilter().filter(record) is True
    line = record.getMessage()

    assert line == "Task flags.sweep_member[abc] raised unexpected: ValueError"
