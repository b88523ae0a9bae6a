"""Helpers to obtain ``str`` and ``bytes`` consistently."""

from __future__ import annotations

from typing import Any

ENCODING = "utf-8"


def to_str(data: Any) -> Any:
    """Return ``data`` decoded as UTF-8 if it is ``bytes``; anything else unchanged.

    :param data: value to convert
    :returns: the converted value
    """
    if isinstance(data, bytes):
        return data.decode(ENCODING)
    return data


def to_bytes(data: Any) -> Any:
    """Return ``data`` encoded as UTF-8 if it is a ``str``; anything else unchanged.

    :param data: value to convert
    :returns: the converted value
    """
    if isinstance(data, str):
        return data.encode(ENCODING)
    return data
