"""An independent reader: decrypts AWS Encryption SDK messages from the specification alone.

Our promise is that every message we write decrypts in every other AWS Encryption SDK. None of
those can run here, so this module stands in for them: a one-shot decryptor written from the
message-format, algorithm-suite, raw-keyring and decrypt specifications with the standard library
and ``cryptography`` only. It imports nothing from ``aws_encryption_sdk`` and shares no code with
its serializer, deserializer or key providers, so a mistake in our writer cannot be mirrored here.

It is deliberately stricter than a decryptor has to be wherever the specification puts a MUST on
the *writer* that another SDK may rely on: encryption-context entries sorted by key bytes, at least
one encrypted data key, a zero v1 header IV, frame and body IVs equal to the ones derived from the
sequence number, version and suite that agree, and nothing after the end of the message.

Every failed check raises :class:`IndependentReaderError` naming the check.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

PUBLIC_KEY_NAME = "aws-crypto-public-key"
FRAME_LABEL = b"AWSKMSEncryptionClient Frame"
FINAL_FRAME_LABEL = b"AWSKMSEncryptionClient Final Frame"
SINGLE_BLOCK_LABEL = b"AWSKMSEncryptionClient Single Block"
FINAL_FRAME_MARKER = 0xFFFFFFFF
IV_LENGTH = 12
TAG_LENGTH = 16
COMMITMENT_LENGTH = 32
MAX_NON_FRAMED_LENGTH = 2**36 - 32


class IndependentReaderError(Exception):
    """A message failed one of the specification's checks."""


@dataclass(frozen=True)
class Suite:
    """What the specification says about one algorithm suite."""

    suite_id: int
    version: int
    key_length: int
    kdf_hash: type[hashes.HashAlgorithm] | None
    curve: type[ec.EllipticCurve] | None
    signature_hash: type[hashes.HashAlgorithm] | None

    @property
    def committing(self) -> bool:
        """Whether the suite carries a key commitment (the format-v2 suites)."""
        return self.version == 2

    @property
    def message_id_length(self) -> int:
        """16 bytes in format v1, 32 in format v2."""
        return 32 if self.version == 2 else 16


SUITES: dict[int, Suite] = {
    0x0014: Suite(0x0014, 1, 16, None, None, None),
    0x0046: Suite(0x0046, 1, 24, None, None, None),
    0x0078: Suite(0x0078, 1, 32, None, None, None),
    0x0114: Suite(0x0114, 1, 16, hashes.SHA256, None, None),
    0x0146: Suite(0x0146, 1, 24, hashes.SHA256, None, None),
    0x0178: Suite(0x0178, 1, 32, hashes.SHA256, None, None),
    0x0214: Suite(0x0214, 1, 16, hashes.SHA256, ec.SECP256R1, hashes.SHA256),
    0x0346: Suite(0x0346, 1, 24, hashes.SHA384, ec.SECP384R1, hashes.SHA384),
    0x0378: Suite(0x0378, 1, 32, hashes.SHA384, ec.SECP384R1, hashes.SHA384),
    0x0478: Suite(0x0478, 2, 32, hashes.SHA512, None, None),
    0x0578: Suite(0x0578, 2, 32, hashes.SHA512, ec.SECP384R1, hashes.SHA384),
}


@dataclass(frozen=True)
class RawAesKey:
    """A raw AES wrapping key as a raw AES keyring or master key holds it."""

    namespace: str
    name: bytes
    key: bytes


@dataclass(frozen=True)
class RawRsaKey:
    """A raw RSA wrapping key (private half) and the padding it wraps with."""

    namespace: str
    name: bytes
    private_key: rsa.RSAPrivateKey
    padding: padding.AsymmetricPadding


WrappingKey = RawAesKey | RawRsaKey


def rsa_padding(scheme: str) -> padding.AsymmetricPadding:
    """The padding of a raw RSA key: ``PKCS1`` or ``OAEP-SHA1/256/384/512`` (MGF1 with the same hash, no label).

    :param scheme: the padding scheme's name
    :returns: the ``cryptography`` padding object
    :raises IndependentReaderError: when the scheme is not one the specification lists
    """
    if scheme == "PKCS1":
        return padding.PKCS1v15()
    oaep_hashes: dict[str, type[hashes.HashAlgorithm]] = {
        "OAEP-SHA1": hashes.SHA1,
        "OAEP-SHA256": hashes.SHA256,
        "OAEP-SHA384": hashes.SHA384,
        "OAEP-SHA512": hashes.SHA512,
    }
    if scheme not in oaep_hashes:
        raise IndependentReaderError(f"unknown RSA padding scheme {scheme!r}")
    hash_type = oaep_hashes[scheme]
    return padding.OAEP(mgf=padding.MGF1(algorithm=hash_type()), algorithm=hash_type(), label=None)


@dataclass(frozen=True)
class EncryptedDataKey:
    """One entry of the header's encrypted data key list."""

    provider_id: str
    provider_info: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Header:
    """A parsed header body and its authentication block."""

    version: int
    suite: Suite
    message_id: bytes
    encryption_context: dict[str, str]
    encrypted_data_keys: tuple[EncryptedDataKey, ...]
    framed: bool
    frame_length: int
    commitment: bytes
    body_bytes: bytes
    auth_iv: bytes
    auth_tag: bytes


@dataclass(frozen=True)
class Decrypted:
    """What the reader found in a message that passed every check."""

    plaintext: bytes
    header: Header
    frame_count: int


class _Cursor:
    """Reads big-endian fields and raises when the message ends inside one."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data = data
        self.offset = offset

    def take(self, size: int, what: str) -> bytes:
        if size > len(self.data) - self.offset:
            missing = size - (len(self.data) - self.offset)
            raise IndependentReaderError(f"message ends inside {what}: {missing} bytes missing")
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def uint(self, size: int, what: str) -> int:
        return int.from_bytes(self.take(size, what), "big")

    def prefixed(self, what: str) -> bytes:
        return self.take(self.uint(2, f"length of {what}"), what)


def _u32(value: int) -> bytes:
    return struct.pack(">I", value)


def _u64(value: int) -> bytes:
    return struct.pack(">Q", value)


def deterministic_iv(sequence_number: int) -> bytes:
    """The IV the specification derives from a sequence number: 8 zero bytes then the u32 number."""
    return bytes(8) + _u32(sequence_number)


def serialize_encryption_context(context: dict[str, str]) -> bytes:
    """The specification's encryption context serialization: empty, or count then sorted UTF-8 pairs."""
    if not context:
        return b""
    pairs = sorted((key.encode("utf-8"), value.encode("utf-8")) for key, value in context.items())
    out = bytearray(struct.pack(">H", len(pairs)))
    for key, value in pairs:
        out += struct.pack(">H", len(key)) + key + struct.pack(">H", len(value)) + value
    return bytes(out)


def parse_encryption_context(data: bytes) -> dict[str, str]:
    """Parse a serialized encryption context, requiring unique keys in ascending byte order.

    :raises IndependentReaderError: when the bytes are truncated, not UTF-8, unsorted or too long
    """
    if not data:
        return {}
    cursor = _Cursor(data)
    context: dict[str, str] = {}
    previous: bytes | None = None
    for _ in range(cursor.uint(2, "encryption context pair count")):
        key = cursor.prefixed("encryption context key")
        value = cursor.prefixed("encryption context value")
        if previous is not None and key <= previous:
            raise IndependentReaderError(f"encryption context key {key!r} is not after {previous!r} in byte order")
        previous = key
        try:
            context[key.decode("utf-8")] = value.decode("utf-8")
        except UnicodeDecodeError as err:
            raise IndependentReaderError("encryption context entry is not UTF-8") from err
    if cursor.offset != len(data):
        raise IndependentReaderError(f"{len(data) - cursor.offset} bytes follow the encryption context pairs")
    return context


def _parse_suite(cursor: _Cursor, version: int) -> Suite:
    suite_id = cursor.uint(2, "algorithm suite ID")
    if suite_id not in SUITES:
        raise IndependentReaderError(f"unknown algorithm suite 0x{suite_id:04x}")
    suite = SUITES[suite_id]
    if suite.version != version:
        raise IndependentReaderError(f"suite 0x{suite_id:04x} belongs to format v{suite.version}, header is v{version}")
    return suite


def _parse_data_keys(cursor: _Cursor) -> tuple[EncryptedDataKey, ...]:
    count = cursor.uint(2, "encrypted data key count")
    if count == 0:
        raise IndependentReaderError("the header holds no encrypted data key")
    keys = []
    for _ in range(count):
        provider_id = cursor.prefixed("key provider ID")
        provider_info = cursor.prefixed("key provider info")
        ciphertext = cursor.prefixed("encrypted data key")
        try:
            keys.append(EncryptedDataKey(provider_id.decode("utf-8"), provider_info, ciphertext))
        except UnicodeDecodeError as err:
            raise IndependentReaderError("key provider ID is not UTF-8") from err
    return tuple(keys)


def _parse_framing(cursor: _Cursor, version: int) -> tuple[bool, int]:
    content_type = cursor.uint(1, "content type")
    if content_type not in (1, 2):
        raise IndependentReaderError(f"unknown content type {content_type}")
    if version == 1:
        if cursor.take(4, "reserved field") != bytes(4):
            raise IndependentReaderError("v1 reserved field is not zero")
        iv_length = cursor.uint(1, "IV length")
        if iv_length != IV_LENGTH:
            raise IndependentReaderError(f"v1 IV length is {iv_length}, the suites use {IV_LENGTH}")
    frame_length = cursor.uint(4, "frame length")
    framed = content_type == 2
    if framed and frame_length == 0:
        raise IndependentReaderError("framed content with frame length 0")
    if not framed and frame_length != 0:
        raise IndependentReaderError(f"non-framed content with frame length {frame_length}")
    return framed, frame_length


def parse_header(message: bytes) -> tuple[Header, int]:
    """Parse the header body and header authentication block.

    :returns: the header and the offset of the first body byte
    :raises IndependentReaderError: when a field is missing or has a value the specification forbids
    """
    cursor = _Cursor(message)
    version = cursor.uint(1, "version")
    if version not in (1, 2):
        raise IndependentReaderError(f"unknown message format version {version}")
    if version == 1 and cursor.uint(1, "type") != 0x80:
        raise IndependentReaderError("v1 type is not 0x80 (customer authenticated encrypted data)")
    suite = _parse_suite(cursor, version)
    message_id = cursor.take(suite.message_id_length, "message ID")
    context = parse_encryption_context(cursor.prefixed("encryption context"))
    data_keys = _parse_data_keys(cursor)
    framed, frame_length = _parse_framing(cursor, version)
    commitment = cursor.take(COMMITMENT_LENGTH, "key commitment") if suite.committing else b""
    body_bytes = message[: cursor.offset]
    auth_iv = cursor.take(IV_LENGTH, "header auth IV") if version == 1 else bytes(IV_LENGTH)
    if auth_iv != bytes(IV_LENGTH):
        raise IndependentReaderError("v1 header auth IV is not 12 zero bytes")
    auth_tag = cursor.take(TAG_LENGTH, "header auth tag")
    header = Header(
        version, suite, message_id, context, data_keys, framed, frame_length, commitment, body_bytes, auth_iv, auth_tag
    )
    return header, cursor.offset


def _gcm_decrypt(key: bytes, iv: bytes, ciphertext_and_tag: bytes, aad: bytes, what: str) -> bytes:
    try:
        return AESGCM(key).decrypt(iv, ciphertext_and_tag, aad)
    except InvalidTag as err:
        raise IndependentReaderError(f"{what} failed authentication") from err


def _unwrap_aes(key: RawAesKey, edk: EncryptedDataKey, context: dict[str, str]) -> bytes | None:
    name = key.name
    prefix = name + _u32(TAG_LENGTH * 8) + _u32(IV_LENGTH)
    info = edk.provider_info
    if edk.provider_id != key.namespace or len(info) != len(prefix) + IV_LENGTH or not info.startswith(prefix):
        return None
    if len(edk.ciphertext) <= TAG_LENGTH:
        raise IndependentReaderError("raw AES encrypted data key is shorter than its tag")
    aad = serialize_encryption_context(context)
    return _gcm_decrypt(key.key, info[len(prefix) :], edk.ciphertext, aad, "raw AES unwrap")


def _unwrap_rsa(key: RawRsaKey, edk: EncryptedDataKey) -> bytes | None:
    if edk.provider_id != key.namespace or edk.provider_info != key.name:
        return None
    try:
        return key.private_key.decrypt(edk.ciphertext, key.padding)
    except ValueError as err:
        raise IndependentReaderError("raw RSA unwrap failed") from err


def _unwrap(key: WrappingKey, edk: EncryptedDataKey, context: dict[str, str]) -> bytes | None:
    if isinstance(key, RawAesKey):
        return _unwrap_aes(key, edk, context)
    return _unwrap_rsa(key, edk)


def find_data_key(header: Header, keys: Sequence[WrappingKey]) -> bytes:
    """Unwrap the first encrypted data key (in header order) that one of ``keys`` owns and can decrypt.

    A key that matches by namespace and name but fails to unwrap is skipped, as the keyring
    specification asks; the failures are listed if nothing works.

    :raises IndependentReaderError: when no key yields a data key of the suite's length
    """
    failures: list[str] = []
    for index, edk in enumerate(header.encrypted_data_keys):
        for key in keys:
            try:
                data_key = _unwrap(key, edk, header.encryption_context)
            except IndependentReaderError as err:
                failures.append(f"EDK {index} with {key.namespace}/{key.name!r}: {err}")
                continue
            if data_key is None:
                continue
            if len(data_key) != header.suite.key_length:
                needed = header.suite.key_length
                failures.append(f"EDK {index}: data key has {len(data_key)} bytes, suite needs {needed}")
                continue
            return data_key
    tried = "; ".join(failures) or "no key matched any provider ID and key info"
    raise IndependentReaderError(f"none of {len(header.encrypted_data_keys)} encrypted data keys decrypted ({tried})")


def derive_keys(suite: Suite, data_key: bytes, message_id: bytes) -> tuple[bytes, bytes]:
    """The message key and (v2 only) commitment key derived from the data key.

    :returns: ``(derived key, commitment key)``; the commitment key is empty for non-committing suites
    """
    suite_id = struct.pack(">H", suite.suite_id)
    if suite.kdf_hash is None:
        return data_key, b""
    if not suite.committing:
        hkdf = HKDF(algorithm=suite.kdf_hash(), length=suite.key_length, salt=None, info=suite_id + message_id)
        return hkdf.derive(data_key), b""
    extract = hmac.new(message_id, data_key, "sha512").digest()
    derived = HKDFExpand(algorithm=hashes.SHA512(), length=suite.key_length, info=suite_id + b"DERIVEKEY")
    commit = HKDFExpand(algorithm=hashes.SHA512(), length=COMMITMENT_LENGTH, info=b"COMMITKEY")
    return derived.derive(extract), commit.derive(extract)


def body_aad(message_id: bytes, label: bytes, sequence_number: int, content_length: int) -> bytes:
    """The body AAD: message ID, label, u32 sequence number, u64 content length."""
    return message_id + label + _u32(sequence_number) + _u64(content_length)


def _read_frames(cursor: _Cursor, header: Header, key: bytes) -> tuple[bytes, int]:
    plaintext = bytearray()
    sequence = 1
    while True:
        first = cursor.uint(4, f"frame {sequence} sequence number")
        final = first == FINAL_FRAME_MARKER
        number = cursor.uint(4, "final frame sequence number") if final else first
        if number != sequence:
            raise IndependentReaderError(f"frame {sequence} carries sequence number {number}")
        iv = cursor.take(IV_LENGTH, f"frame {sequence} IV")
        if iv != deterministic_iv(sequence):
            raise IndependentReaderError(f"frame {sequence} IV {iv.hex()} is not the one derived from its number")
        length = cursor.uint(4, "final frame content length") if final else header.frame_length
        if length > header.frame_length:
            raise IndependentReaderError(f"final frame holds {length} bytes, above frame length {header.frame_length}")
        sealed = cursor.take(length + TAG_LENGTH, f"frame {sequence} content and tag")
        label = FINAL_FRAME_LABEL if final else FRAME_LABEL
        aad = body_aad(header.message_id, label, sequence, length)
        plaintext += _gcm_decrypt(key, iv, sealed, aad, f"frame {sequence}")
        if final:
            return bytes(plaintext), sequence
        if sequence == FINAL_FRAME_MARKER - 1:
            raise IndependentReaderError("no final frame before the sequence numbers ran out")
        sequence += 1


def _read_single_block(cursor: _Cursor, header: Header, key: bytes) -> bytes:
    iv = cursor.take(IV_LENGTH, "non-framed body IV")
    if iv != deterministic_iv(1):
        raise IndependentReaderError(f"non-framed body IV {iv.hex()} is not the one derived from sequence number 1")
    length = cursor.uint(8, "non-framed content length")
    if length > MAX_NON_FRAMED_LENGTH:
        raise IndependentReaderError(f"non-framed content of {length} bytes exceeds {MAX_NON_FRAMED_LENGTH}")
    sealed = cursor.take(length + TAG_LENGTH, "non-framed content and tag")
    aad = body_aad(header.message_id, SINGLE_BLOCK_LABEL, 1, length)
    return _gcm_decrypt(key, iv, sealed, aad, "non-framed body")


def _verification_key(header: Header) -> ec.EllipticCurvePublicKey | None:
    suite = header.suite
    encoded = header.encryption_context.get(PUBLIC_KEY_NAME)
    if suite.curve is None:
        if encoded is not None:
            raise IndependentReaderError(f"unsigned suite 0x{suite.suite_id:04x} with {PUBLIC_KEY_NAME} in the context")
        return None
    if encoded is None:
        raise IndependentReaderError(f"signed suite 0x{suite.suite_id:04x} without {PUBLIC_KEY_NAME} in the context")
    try:
        point = base64.b64decode(encoded, validate=True)
    except binascii.Error as err:
        raise IndependentReaderError(f"{PUBLIC_KEY_NAME} is not base64") from err
    curve = suite.curve()
    if len(point) != 1 + (curve.key_size + 7) // 8 or point[0] not in (2, 3):
        raise IndependentReaderError(f"{PUBLIC_KEY_NAME} is not a compressed {curve.name} point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    except ValueError as err:
        raise IndependentReaderError(f"{PUBLIC_KEY_NAME} is not a point on {curve.name}") from err


def _verify_footer(cursor: _Cursor, header: Header, public_key: ec.EllipticCurvePublicKey) -> None:
    signed_bytes = cursor.data[: cursor.offset]
    signature = cursor.prefixed("footer signature")
    hash_type = header.suite.signature_hash
    if hash_type is None:
        raise IndependentReaderError(f"suite 0x{header.suite.suite_id:04x} has no signature hash")
    try:
        public_key.verify(signature, signed_bytes, ec.ECDSA(hash_type()))
    except InvalidSignature as err:
        raise IndependentReaderError("footer signature does not verify") from err


def decrypt_message(message: bytes, keys: Sequence[WrappingKey]) -> Decrypted:
    """Decrypt a whole message with the raw wrapping keys given, checking everything the specification asks.

    Order: header body, header auth block, data key, key commitment (v2), header tag, body, footer,
    end of message. Plaintext is returned only when every check passed.

    :param message: the complete message
    :param keys: raw AES and RSA wrapping keys; the first that unwraps an encrypted data key is used
    :returns: the plaintext, the parsed header and the number of frames (0 for non-framed content)
    :raises IndependentReaderError: when any check fails
    """
    header, offset = parse_header(message)
    public_key = _verification_key(header)
    data_key = find_data_key(header, keys)
    derived, commitment = derive_keys(header.suite, data_key, header.message_id)
    if header.suite.committing and not hmac.compare_digest(commitment, header.commitment):
        raise IndependentReaderError("key commitment in the header does not match the data key")
    _gcm_decrypt(derived, header.auth_iv, header.auth_tag, header.body_bytes, "header")
    cursor = _Cursor(message, offset)
    if header.framed:
        plaintext, frame_count = _read_frames(cursor, header, derived)
    else:
        plaintext, frame_count = _read_single_block(cursor, header, derived), 0
    if public_key is not None:
        _verify_footer(cursor, header, public_key)
    if cursor.offset != len(message):
        raise IndependentReaderError(f"{len(message) - cursor.offset} bytes follow the end of the message")
    return Decrypted(plaintext, header, frame_count)


def decrypt(message: bytes, *keys: WrappingKey) -> bytes:
    """The plaintext of ``message``, decrypted with any of ``keys``; see :func:`decrypt_message`."""
    return decrypt_message(message, keys).plaintext
