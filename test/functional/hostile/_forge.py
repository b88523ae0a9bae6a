"""An independent message writer for hostile tests: authenticated messages with any structure.

A sender who holds a legitimate key can write messages that authenticate but break the format's
rules (frames out of order, IVs that are not deterministic, frames after the final frame, odd
header fields). This module builds such messages from the format description alone, with
``cryptography`` primitives and no code from the SDK, so the SDK's decryptor is tested against a
writer that shares none of its mistakes. Keys match :func:`test.functional.raw_keys.aes_master_key`.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

WRAPPING_KEY = b"\x11" * 32
PROVIDER_ID = b"raw-aes"
KEY_ID = b"aes-key"
PUBLIC_KEY_NAME = "aws-crypto-public-key"

FRAME_LABEL = b"AWSKMSEncryptionClient Frame"
FINAL_LABEL = b"AWSKMSEncryptionClient Final Frame"
SINGLE_LABEL = b"AWSKMSEncryptionClient Single Block"
FINAL_MARKER = b"\xff\xff\xff\xff"


@dataclass(frozen=True)
class SuiteFacts:
    """What the writer needs to know about one algorithm suite."""

    suite_id: int
    key_length: int
    version: int
    kdf: hashes.HashAlgorithm | None
    signed: bool


SUITE_FACTS = {
    0x0014: SuiteFacts(0x0014, 16, 1, None, False),
    0x0078: SuiteFacts(0x0078, 32, 1, None, False),
    0x0178: SuiteFacts(0x0178, 32, 1, hashes.SHA256(), False),
    0x0378: SuiteFacts(0x0378, 32, 1, hashes.SHA384(), True),
    0x0478: SuiteFacts(0x0478, 32, 2, hashes.SHA512(), False),
    0x0578: SuiteFacts(0x0578, 32, 2, hashes.SHA512(), True),
}


def u8(value: int) -> bytes:
    """One unsigned byte."""
    return struct.pack(">B", value)


def u16(value: int) -> bytes:
    """A big-endian unsigned 16-bit integer."""
    return struct.pack(">H", value)


def u32(value: int) -> bytes:
    """A big-endian unsigned 32-bit integer."""
    return struct.pack(">I", value)


def u64(value: int) -> bytes:
    """A big-endian unsigned 64-bit integer."""
    return struct.pack(">Q", value)


def deterministic_iv(sequence_number: int) -> bytes:
    """The IV a conforming writer uses for a sequence number."""
    return bytes(8) + u32(sequence_number)


def serialize_pairs(pairs: Sequence[tuple[bytes, bytes]]) -> bytes:
    """Encryption context bytes for ``pairs`` exactly as given (no sorting, duplicates kept)."""
    if not pairs:
        return b""
    body = b"".join(u16(len(key)) + key + u16(len(value)) + value for key, value in pairs)
    return u16(len(pairs)) + body


def _hkdf(algorithm: hashes.HashAlgorithm, ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=algorithm, length=32, salt=salt, info=info).derive(ikm)


@dataclass
class Forge:
    """Writes messages of one suite under the raw AES test key, with every part open to change.

    :param suite_id: the algorithm suite
    :param context: the caller's encryption context
    :param message_id: the message ID (16 bytes for version 1, 32 for version 2)
    """

    suite_id: int
    context: dict[str, str] = field(default_factory=lambda: {"purpose": "hostile"})
    message_id: bytes = b""
    data_key: bytes = b""
    signing_key: ec.EllipticCurvePrivateKey | None = None

    def __post_init__(self) -> None:
        facts = SUITE_FACTS[self.suite_id]
        self.facts = facts
        if not self.message_id:
            self.message_id = bytes(range(0x40, 0x40 + (16 if facts.version == 1 else 32)))
        if not self.data_key:
            self.data_key = b"\x42" * facts.key_length
        if facts.signed and self.signing_key is None:
            self.signing_key = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP384R1())

    # keys ---------------------------------------------------------------------------------

    def stored_context(self) -> dict[str, str]:
        """The context written to the header (with the public key of a signed suite)."""
        stored = dict(self.context)
        if self.signing_key is not None:
            point = self.signing_key.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
            stored[PUBLIC_KEY_NAME] = base64.b64encode(point).decode("ascii")
        return stored

    def context_bytes(self) -> bytes:
        """The serialized stored context, sorted by key."""
        pairs = sorted((key.encode(), value.encode()) for key, value in self.stored_context().items())
        return serialize_pairs(pairs)

    def message_key(self) -> bytes:
        """The key that encrypts the body and authenticates the header."""
        facts = self.facts
        suite = u16(self.suite_id)
        if facts.kdf is None:
            return self.data_key
        if facts.version == 1:
            return _hkdf(facts.kdf, self.data_key, None, suite + self.message_id)
        return _hkdf(facts.kdf, self.data_key, self.message_id, suite + b"DERIVEKEY")

    def commitment_key(self) -> bytes:
        """The version 2 key commitment."""
        return _hkdf(hashes.SHA512(), self.data_key, self.message_id, b"COMMITKEY")

    def edk_entry(self, wrapping_iv: bytes = b"\x77" * 12) -> bytes:
        """One raw-AES encrypted data key entry (provider ID, key info, ciphertext) for the data key."""
        wrapped = AESGCM(WRAPPING_KEY).encrypt(wrapping_iv, self.data_key, self.context_bytes())
        key_info = KEY_ID + u32(128) + u32(12) + wrapping_iv
        return u16(len(PROVIDER_ID)) + PROVIDER_ID + u16(len(key_info)) + key_info + u16(len(wrapped)) + wrapped

    # header -------------------------------------------------------------------------------

    def header_body(
        self,
        frame_length: int,
        content_type: int = 2,
        edk_count: int = 1,
        context_field: bytes | None = None,
        commitment: bytes | None = None,
    ) -> bytes:
        """The header body; ``edk_count`` copies of the EDK entry, ``context_field`` replaces the EC bytes."""
        context = self.context_bytes() if context_field is None else context_field
        edks = u16(edk_count) + self.edk_entry() * edk_count
        if self.facts.version == 1:
            head = u8(1) + u8(0x80) + u16(self.suite_id) + self.message_id
            tail = u8(content_type) + u32(0) + u8(12) + u32(frame_length)
        else:
            head = u8(2) + u16(self.suite_id) + self.message_id
            tail = u8(content_type) + u32(frame_length) + (self.commitment_key() if commitment is None else commitment)
        return head + u16(len(context)) + context + edks + tail

    def header(self, body: bytes, header_iv: bytes | None = None) -> bytes:
        """The header body followed by its authentication (``header_iv`` replaces the v1 zero IV)."""
        iv = bytes(12) if header_iv is None else header_iv
        tag = AESGCM(self.message_key()).encrypt(iv, b"", body)
        return body + (iv + tag if self.facts.version == 1 else tag)

    # body ---------------------------------------------------------------------------------

    def _seal(self, iv: bytes, plaintext: bytes, label: bytes, sequence_number: int) -> bytes:
        aad = self.message_id + label + u32(sequence_number) + u64(len(plaintext))
        return AESGCM(self.message_key()).encrypt(iv, plaintext, aad)

    def regular_frame(self, sequence_number: int, plaintext: bytes, iv: bytes | None = None) -> bytes:
        """A regular frame (its plaintext must be exactly the header's frame length)."""
        iv = deterministic_iv(sequence_number) if iv is None else iv
        return u32(sequence_number) + iv + self._seal(iv, plaintext, FRAME_LABEL, sequence_number)

    def final_frame(self, sequence_number: int, plaintext: bytes, iv: bytes | None = None) -> bytes:
        """The final frame."""
        iv = deterministic_iv(sequence_number) if iv is None else iv
        sealed = self._seal(iv, plaintext, FINAL_LABEL, sequence_number)
        return FINAL_MARKER + u32(sequence_number) + iv + u32(len(plaintext)) + sealed

    def single_block(self, plaintext: bytes, iv: bytes | None = None) -> bytes:
        """A non-framed body."""
        iv = deterministic_iv(1) if iv is None else iv
        sealed = self._seal(iv, plaintext, SINGLE_LABEL, 1)
        return iv + u64(len(plaintext)) + sealed

    def footer(self, signed_bytes: bytes) -> bytes:
        """The footer of a signed suite over ``signed_bytes`` (empty for unsigned suites)."""
        if self.signing_key is None:
            return b""
        signature = self.signing_key.sign(signed_bytes, ec.ECDSA(hashes.SHA384()))
        return u16(len(signature)) + signature

    def seal(self, header_and_body: bytes) -> bytes:
        """Append the footer (signed suites) to a header and body."""
        return header_and_body + self.footer(header_and_body)

    def framed(self, plaintext: bytes, frame_length: int) -> bytes:
        """A conforming framed message (used to check that the writer itself is right)."""
        chunks = [plaintext[i : i + frame_length] for i in range(0, len(plaintext), frame_length)]
        if not chunks or len(chunks[-1]) == frame_length:
            chunks.append(b"")
        frames = [self.regular_frame(n, chunk) for n, chunk in enumerate(chunks[:-1], start=1)]
        frames.append(self.final_frame(len(chunks), chunks[-1]))
        return self.seal(self.header(self.header_body(frame_length)) + b"".join(frames))

    def non_framed(self, plaintext: bytes) -> bytes:
        """A conforming non-framed message."""
        return self.seal(self.header(self.header_body(0, content_type=1)) + self.single_block(plaintext))
