"""Rules for caller-supplied encryption contexts (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_encryption_sdk.exceptions import InvalidParameterError
from aws_encryption_sdk.internal.defaults import RESERVED_ENCRYPTION_CONTEXT_PREFIX
from aws_encryption_sdk.internal.str_ops import to_str


def reject_reserved_keys(encryption_context: Mapping[Any, Any]) -> None:
    """Refuse an encryption context that uses a key reserved for the SDK.

    Keys starting with ``aws-crypto-`` belong to the SDK (``aws-crypto-public-key`` carries the
    signature key). The original library wrote such messages, and they could not be decrypted.

    :param encryption_context: the caller's encryption context
    :raises InvalidParameterError: naming the first reserved key found
    """
    for key in encryption_context:
        name = to_str(key)
        if isinstance(name, str) and name.startswith(RESERVED_ENCRYPTION_CONTEXT_PREFIX):
            raise InvalidParameterError(
                f"The encryption context key {name!r} is reserved for the SDK "
                f"(keys starting with {RESERVED_ENCRYPTION_CONTEXT_PREFIX!r}); pick another key"
            )
