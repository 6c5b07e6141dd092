"""Logging failures without what people typed in them."""

from __future__ import annotations

import logging
import traceback


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """Log that ``what`` failed: the exception's type and where it happened, never its
    message (which may quote a person's answer or feedback)."""
    where = "".join(traceback.format_tb(error.__traceback__))
    log.error("%s failed with %s\n%s", what, type(error).__name__, where)
