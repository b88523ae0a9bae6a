"""Structures used inside the SDK to carry the parts of a message."""

from __future__ import annotations

from typing import Optional

import attrs

from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of

_optional_bytes = optional_instance_of(bytes)


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptedData:
    """Ciphertext with its IV and tag (``iv`` and ``tag`` are None for RSA)."""

    iv: Optional[bytes] = attrs.field(validator=_optional_bytes)
    ciphertext: bytes = attrs.field(validator=instance_of(bytes))
    tag: Optional[bytes] = attrs.field(validator=_optional_bytes)


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MessageHeaderAuthentication:
    """The header authentication block: IV (version 1 only on the wire) and tag."""

    iv: bytes = attrs.field(validator=instance_of(bytes))
    tag: bytes = attrs.field(validator=instance_of(bytes))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MessageFrameBody:
    """One frame of a framed message body."""

    iv: bytes = attrs.field(validator=instance_of(bytes))
    ciphertext: bytes = attrs.field(validator=instance_of(bytes))
    tag: bytes = attrs.field(validator=instance_of(bytes))
    sequence_number: int = attrs.field(validator=instance_of(int))
    final_frame: bool = attrs.field(validator=instance_of(bool))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MessageNoFrameBody:
    """The body of a non-framed message."""

    iv: bytes = attrs.field(validator=instance_of(bytes))
    ciphertext: bytes = attrs.field(validator=instance_of(bytes))
    tag: bytes = attrs.field(validator=instance_of(bytes))
    sequence_number = 1
    final_frame = True


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MessageFooter:
    """The message footer: the signature of a signed message."""

    signature: bytes = attrs.field(validator=instance_of(bytes))
