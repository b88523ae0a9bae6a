"""Rules for caller-supplied encryption contexts (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_encryption_sdk.exceptions import InvalidParameterError
from aws_encryption_sdk.internal.defaults import RESERVED_ENCRYPTION_CONTEXT_PREFIX

#: The reserved prefix, for keys given as bytes.
_RESERVED_PREFIX_BYTES = RESERVED_ENCRYPTION_CONTEXT_PREFIX.encode("ascii")


def _reserved_name(key: Any) -> str | None:
    """Return an encryption context key as text if it is reserved for the SDK, else None.

    Bytes are compared as bytes: a key that is not UTF-8 is not reserved (serialization refuses it).
    """
    if isinstance(key, str):
        return key if key.startswith(RESERVED_ENCRYPTION_CONTEXT_PREFIX) else None
    if isinstance(key, bytes) and key.startswith(_RESERVED_PREFIX_BYTES):
        return key.decode("utf-8", "backslashreplace")
    return None


def reject_reserved_keys(encryption_context: Mapping[Any, Any]) -> None:
    """Refuse an encryption context that uses a key reserved for the SDK.

    Keys starting with ``aws-crypto-`` belong to the SDK (``aws-crypto-public-key`` carries the
    signature key). The original library wrote such messages, and they could not be decrypted.

    :param encryption_context: the caller's encryption context
    :raises InvalidParameterError: naming the first reserved key found
    """
    for key in encryption_context:
        name = _reserved_name(key)
        if name is not None:
            raise InvalidParameterError(
                f"The encryption context key {name!r} is reserved for the SDK "
                f"(keys starting with {RESERVED_ENCRYPTION_CONTEXT_PREFIX!r}); pick another key"
            )


def _as_text(item: Any) -> Any:
    """Return ``bytes`` decoded as UTF-8, None for bytes that are not UTF-8, anything else unchanged."""
    if not isinstance(item, bytes):
        return item
    try:
        return item.decode("utf-8")
    except UnicodeDecodeError:
        return None


def missing_required_keys(stored: Mapping[str, str], required: Mapping[Any, Any]) -> list[Any]:
    """Return the keys of ``required`` whose pair is not in a message's encryption context.

    Keys and values may be ``str`` or ``bytes`` holding UTF-8 text, as on encrypt; bytes that are
    not UTF-8 can never be in a message's context.

    :param stored: the encryption context of the message
    :param required: the pairs the caller requires
    :returns: the keys (as the caller gave them) whose pair is absent or has another value
    """
    missing = []
    for key, value in required.items():
        text_key, text_value = _as_text(key), _as_text(value)
        if text_key is None or text_value is None or stored.get(text_key) != text_value:
            missing.append(key)
    return missing
