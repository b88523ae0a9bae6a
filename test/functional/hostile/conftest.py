"""Hostile-input tests: keep the SDK's per-rejection error log out of the way.

Every rejected message makes ``StreamDecryptor.__exit__`` log "Error on closing" with a traceback
at ERROR level (as the original does). Formatting tens of thousands of tracebacks would dominate
the run time, so the streaming client's logger is silenced for these tests only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _quiet_streaming_logger() -> Iterator[None]:
    logger = logging.getLogger("aws_encryption_sdk.streaming_client")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(previous)
