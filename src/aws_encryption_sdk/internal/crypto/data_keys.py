"""Per-message key derivation and key commitment.

The plaintext data key from the materials is turned into the key that encrypts one message:

* no-KDF suites (0x0014, 0x0046, 0x0078) use the data key as is;
* format-1 HKDF suites use HKDF with no salt and ``suite id || message id`` as info;
* committing suites (0x0478, 0x0578) use HKDF-SHA512 with the message id as salt and
  ``suite id || "DERIVEKEY"`` as info, and derive a commitment key from the same extract step
  with ``"COMMITKEY"`` as info.
"""

from __future__ import annotations

import struct

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from aws_encryption_sdk.exceptions import NotSupportedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._types import BytesLike

__all__ = ["COMMIT_LABEL", "KEY_LABEL", "L_C", "calculate_commitment_key", "derive_data_encryption_key"]

#: HKDF info label of the data encryption key of committing suites.
KEY_LABEL = b"DERIVEKEY"
#: HKDF info label of the commitment key of committing suites.
COMMIT_LABEL = b"COMMITKEY"
#: Length in bytes of the commitment key.
L_C = 32

#: Message id bytes that go into the format-1 HKDF info.
_V1_MESSAGE_ID_LENGTH = 16


def _kdf_hash(algorithm: AlgorithmSuite) -> hashes.HashAlgorithm:
    """Return a fresh instance of the suite's KDF hash.

    :raises NotSupportedError: when the suite has no KDF
    """
    hash_type = algorithm.kdf_hash_type
    if hash_type is None:
        raise NotSupportedError(f"Algorithm suite {algorithm.name} has no key derivation function")
    return hash_type()


def _hkdf_extract(algorithm: AlgorithmSuite, salt: BytesLike | None, source_key: BytesLike) -> bytes:
    """HKDF-Extract (RFC 5869): ``PRK = HMAC-Hash(salt, IKM)``; no salt means hash-length zero bytes.

    :param algorithm: the suite (gives the hash)
    :param salt: the salt, or None
    :param source_key: the input key material (the plaintext data key)
    :returns: the pseudorandom key
    """
    hash_algorithm = _kdf_hash(algorithm)
    key = bytes(salt) if salt is not None else b"\x00" * hash_algorithm.digest_size
    extractor = hmac.HMAC(key, hash_algorithm)
    extractor.update(bytes(source_key))
    return extractor.finalize()


def _hkdf_expand(algorithm: AlgorithmSuite, prk: bytes, info: bytes, length: int) -> bytes:
    """HKDF-Expand (RFC 5869) of ``length`` bytes from a pseudorandom key.

    :param algorithm: the suite (gives the hash)
    :param prk: the pseudorandom key from :func:`_hkdf_extract`
    :param info: the context label
    :param length: the number of bytes to produce
    :returns: the output key material
    """
    return HKDFExpand(algorithm=_kdf_hash(algorithm), length=length, info=info).derive(prk)


def _v1_info(algorithm: AlgorithmSuite, message_id: BytesLike) -> bytes:
    """HKDF info of format-1 suites: the suite id and the message id in a 16-byte field."""
    return struct.pack(">H16s", algorithm.algorithm_id, bytes(message_id))


def _v2_key_info(algorithm: AlgorithmSuite) -> bytes:
    """HKDF info of the data encryption key of committing suites: the suite id and ``DERIVEKEY``."""
    return bytes(algorithm.id_as_bytes()) + KEY_LABEL


def _require_committing(algorithm: AlgorithmSuite) -> None:
    """Refuse to compute a commitment key for a suite that does not commit to its data key.

    :raises NotSupportedError: when the suite is not committing
    """
    if not algorithm.is_committing():
        raise NotSupportedError(
            f"Algorithm suite {algorithm.name} (0x{algorithm.algorithm_id:04x}) does not commit to its data key, "
            "so it has no commitment key"
        )


def derive_data_encryption_key(source_key: BytesLike, algorithm: AlgorithmSuite, message_id: BytesLike) -> bytes:
    """Derive the key that encrypts one message from the plaintext data key.

    :param source_key: the plaintext data key
    :param algorithm: the suite of the message
    :param message_id: the message id from the header
    :returns: the data encryption key (``algorithm.data_key_len`` bytes)
    """
    if algorithm.kdf_type is None:
        return bytes(source_key)
    if algorithm.is_committing():
        prk = _hkdf_extract(algorithm, message_id, source_key)
        return _hkdf_expand(algorithm, prk, _v2_key_info(algorithm), algorithm.data_key_len)
    prk = _hkdf_extract(algorithm, None, source_key)
    return _hkdf_expand(algorithm, prk, _v1_info(algorithm, message_id), algorithm.data_key_len)


def calculate_commitment_key(source_key: BytesLike, algorithm: AlgorithmSuite, message_id: BytesLike) -> bytes:
    """Compute the key commitment value of a message of a committing suite.

    :param source_key: the plaintext data key
    :param algorithm: a committing suite
    :param message_id: the message id from the header
    :returns: the :data:`L_C`-byte commitment key stored in the header
    :raises NotSupportedError: when the suite does not commit to its data key
    """
    _require_committing(algorithm)
    prk = _hkdf_extract(algorithm, message_id, source_key)
    return _hkdf_expand(algorithm, prk, COMMIT_LABEL, L_C)


def derive_message_keys(
    source_key: BytesLike, algorithm: AlgorithmSuite, message_id: BytesLike
) -> tuple[bytes, bytes | None]:
    """Derive the data encryption key and, for committing suites, the commitment key of a message.

    For committing suites the HKDF extract step runs once and both keys are expanded from it, as the
    specification recommends. The result equals calling :func:`derive_data_encryption_key` and
    :func:`calculate_commitment_key`.

    .. versionadded:: 4.1.0

    :param source_key: the plaintext data key
    :param algorithm: the suite of the message
    :param message_id: the message id from the header
    :returns: ``(data encryption key, commitment key)``; the commitment key is None for suites that
        do not commit to their data key
    """
    if not algorithm.is_committing():
        return derive_data_encryption_key(source_key, algorithm, message_id), None
    prk = _hkdf_extract(algorithm, message_id, source_key)
    data_key = _hkdf_expand(algorithm, prk, _v2_key_info(algorithm), algorithm.data_key_len)
    commitment_key = _hkdf_expand(algorithm, prk, COMMIT_LABEL, L_C)
    return data_key, commitment_key
