"""Cryptographic primitives of the SDK: key derivation, AES-GCM, IVs, signatures and wrapping keys.

:class:`~aws_encryption_sdk.internal.crypto.wrapping_keys.WrappingKey` is re-exported here for backwards compatibility.
"""

from __future__ import annotations

from aws_encryption_sdk.internal.crypto import (
    authentication,
    data_keys,
    elliptic_curve,
    encryption,
    iv,
    wrapping_keys,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey

__all__ = [
    "WrappingKey",
    "authentication",
    "data_keys",
    "elliptic_curve",
    "encryption",
    "iv",
    "wrapping_keys",
]
