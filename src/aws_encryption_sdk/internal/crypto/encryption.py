"""AES-GCM encryption of message parts: streaming classes and one-shot functions.

The streaming :class:`Encryptor` and :class:`Decryptor` serve non-framed bodies, which can be larger
than memory; the one-shot :func:`encrypt` and :func:`decrypt` serve frames, the header
authentication tag and raw AES data key wrapping.

A failed authentication raises :class:`~aws_encryption_sdk.exceptions.BodyAuthenticationError`,
which is also a :class:`cryptography.exceptions.InvalidTag`.
"""

from __future__ import annotations

from cryptography.exceptions import AlreadyFinalized, InvalidTag, NotYetFinalized
from cryptography.hazmat.primitives.ciphers import (
    AEADDecryptionContext,
    AEADEncryptionContext,
    Cipher,
    modes,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    BodyAuthenticationError,
    InvalidDataKeyError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._types import BytesLike
from aws_encryption_sdk.internal.structures import EncryptedData

__all__ = ["Decryptor", "Encryptor", "decrypt", "encrypt"]

#: Largest plaintext or associated data (bytes) that ``AESGCM`` takes in one call; longer input
#: goes through the streaming cipher instead.
_AESGCM_MAX_INPUT = 2**31 - 1

_AUTHENTICATION_FAILED = "AES-GCM authentication failed: the data was altered or truncated, or the wrong key was used"


def _check_key(algorithm: AlgorithmSuite, key: BytesLike) -> bytes:
    """Return ``key`` as bytes after checking its length against the suite.

    :raises InvalidDataKeyError: when the key length does not match the suite
    """
    key = bytes(key)
    if len(key) != algorithm.data_key_len:
        raise InvalidDataKeyError(
            f"Algorithm suite {algorithm.name} needs a {algorithm.data_key_len}-byte key, got {len(key)} bytes"
        )
    return key


def check_iv(algorithm: AlgorithmSuite, iv: BytesLike | None) -> bytes:
    """Return ``iv`` as bytes after checking its length against the suite.

    :raises SerializationError: when the IV is missing or of the wrong length
    """
    if iv is None:
        raise SerializationError(f"Algorithm suite {algorithm.name} needs a {algorithm.iv_len}-byte IV, got none")
    iv = bytes(iv)
    if len(iv) != algorithm.iv_len:
        raise SerializationError(f"Algorithm suite {algorithm.name} needs a {algorithm.iv_len}-byte IV, got {len(iv)}")
    return iv


def check_tag(algorithm: AlgorithmSuite, tag: BytesLike | None) -> bytes:
    """Return ``tag`` as bytes after checking its length against the suite.

    :raises BodyAuthenticationError: when the tag is missing or of the wrong length (it cannot verify)
    """
    length = 0 if tag is None else len(tag)
    if tag is None or length != algorithm.tag_len:
        raise BodyAuthenticationError(
            f"{_AUTHENTICATION_FAILED} (authentication tag must be {algorithm.tag_len} bytes, got {length})"
        )
    return bytes(tag)


def _cipher(algorithm: AlgorithmSuite, key: bytes, iv: bytes, tag: bytes | None = None) -> Cipher[modes.GCM]:
    """Build the suite's AES-GCM cipher; ``tag`` is given for decryption."""
    return Cipher(algorithm.encryption_algorithm(key), algorithm.encryption_mode(iv, tag))


class Encryptor:
    """Streaming AES-GCM encryptor for one (key, IV) pair.

    :param algorithm: the suite of the message
    :param key: the data encryption key
    :param associated_data: the AAD bound to the ciphertext
    :param iv: the IV (``algorithm.iv_len`` bytes)
    :raises InvalidDataKeyError: when the key length does not match the suite
    :raises SerializationError: when the IV length does not match the suite
    """

    iv: bytes

    def __init__(self, algorithm: AlgorithmSuite, key: BytesLike, associated_data: BytesLike, iv: BytesLike) -> None:
        self.iv = check_iv(algorithm, iv)
        self._encryptor: AEADEncryptionContext = _cipher(algorithm, _check_key(algorithm, key), self.iv).encryptor()
        self._encryptor.authenticate_additional_data(associated_data)

    def update(self, plaintext: BytesLike) -> bytes:
        """Encrypt a chunk of plaintext.

        :param plaintext: the next plaintext bytes
        :returns: the matching ciphertext bytes
        :raises ActionNotAllowedError: when called after :meth:`finalize`
        """
        try:
            return self._encryptor.update(plaintext)
        except AlreadyFinalized as error:
            raise ActionNotAllowedError("Encryptor.update() called after finalize()") from error

    def finalize(self) -> bytes:
        """Finish encryption; the authentication tag is then available as :attr:`tag`.

        :returns: any remaining ciphertext (always empty for GCM)
        :raises ActionNotAllowedError: when called twice
        """
        try:
            return self._encryptor.finalize()
        except AlreadyFinalized as error:
            raise ActionNotAllowedError("Encryptor.finalize() called twice") from error

    @property
    def tag(self) -> bytes:
        """The authentication tag, available after :meth:`finalize`.

        :raises ActionNotAllowedError: when read before :meth:`finalize`
        """
        try:
            return self._encryptor.tag
        except NotYetFinalized as error:
            raise ActionNotAllowedError("The authentication tag is available only after finalize()") from error


class Decryptor:
    """Streaming AES-GCM decryptor for one (key, IV, tag) triple.

    Plaintext returned by :meth:`update` is unauthenticated until :meth:`finalize` returns.

    :param algorithm: the suite of the message
    :param key: the data encryption key
    :param associated_data: the AAD bound to the ciphertext
    :param iv: the IV (``algorithm.iv_len`` bytes)
    :param tag: the expected authentication tag
    :raises InvalidDataKeyError: when the key length does not match the suite
    :raises SerializationError: when the IV length does not match the suite
    :raises BodyAuthenticationError: when the tag length does not match the suite
    """

    def __init__(
        self,
        algorithm: AlgorithmSuite,
        key: BytesLike,
        associated_data: BytesLike,
        iv: BytesLike,
        tag: BytesLike,
    ) -> None:
        key = _check_key(algorithm, key)
        iv = check_iv(algorithm, iv)
        tag = check_tag(algorithm, tag)
        self._decryptor: AEADDecryptionContext = _cipher(algorithm, key, iv, tag).decryptor()
        self._decryptor.authenticate_additional_data(associated_data)

    def update(self, ciphertext: BytesLike) -> bytes:
        """Decrypt a chunk of ciphertext (not yet authenticated).

        :param ciphertext: the next ciphertext bytes
        :returns: the matching plaintext bytes
        :raises ActionNotAllowedError: when called after :meth:`finalize`
        """
        try:
            return self._decryptor.update(ciphertext)
        except AlreadyFinalized as error:
            raise ActionNotAllowedError("Decryptor.update() called after finalize()") from error

    def finalize(self) -> bytes:
        """Check the authentication tag.

        :returns: any remaining plaintext (always empty for GCM)
        :raises BodyAuthenticationError: when the tag does not verify
        :raises ActionNotAllowedError: when called twice
        """
        try:
            return self._decryptor.finalize()
        except InvalidTag as error:
            raise BodyAuthenticationError(_AUTHENTICATION_FAILED) from error
        except AlreadyFinalized as error:
            raise ActionNotAllowedError("Decryptor.finalize() called twice") from error


def encrypt(
    algorithm: AlgorithmSuite,
    key: BytesLike,
    plaintext: BytesLike,
    associated_data: BytesLike,
    iv: BytesLike,
) -> EncryptedData:
    """Encrypt a whole plaintext with AES-GCM.

    :param algorithm: the suite (gives key, IV and tag lengths)
    :param key: the encryption key
    :param plaintext: the data to encrypt
    :param associated_data: the AAD bound to the ciphertext
    :param iv: the IV (``algorithm.iv_len`` bytes)
    :returns: the IV, ciphertext and tag
    :raises InvalidDataKeyError: when the key length does not match the suite
    :raises SerializationError: when the IV length does not match the suite
    """
    key = _check_key(algorithm, key)
    iv = check_iv(algorithm, iv)
    if len(plaintext) > _AESGCM_MAX_INPUT or len(associated_data) > _AESGCM_MAX_INPUT:
        encryptor = Encryptor(algorithm, key, associated_data, iv)
        ciphertext = encryptor.update(plaintext) + encryptor.finalize()
        return EncryptedData(iv, ciphertext, encryptor.tag)
    sealed = AESGCM(key).encrypt(iv, plaintext, associated_data)
    split = len(sealed) - algorithm.tag_len
    return EncryptedData(iv, sealed[:split], sealed[split:])


def decrypt(
    algorithm: AlgorithmSuite,
    key: BytesLike,
    encrypted_data: EncryptedData,
    associated_data: BytesLike,
) -> bytes:
    """Decrypt and authenticate a whole ciphertext with AES-GCM.

    :param algorithm: the suite (gives key, IV and tag lengths)
    :param key: the encryption key
    :param encrypted_data: the IV, ciphertext and tag
    :param associated_data: the AAD bound to the ciphertext
    :returns: the plaintext
    :raises BodyAuthenticationError: when the tag is malformed or does not verify
    :raises InvalidDataKeyError: when the key length does not match the suite
    :raises SerializationError: when the IV is missing or its length does not match the suite
    """
    key = _check_key(algorithm, key)
    iv = check_iv(algorithm, encrypted_data.iv)
    tag = check_tag(algorithm, encrypted_data.tag)
    ciphertext = encrypted_data.ciphertext
    if len(ciphertext) > _AESGCM_MAX_INPUT - len(tag) or len(associated_data) > _AESGCM_MAX_INPUT:
        decryptor = Decryptor(algorithm, key, associated_data, iv, tag)
        return decryptor.update(ciphertext) + decryptor.finalize()
    try:
        return AESGCM(key).decrypt(iv, ciphertext + tag, associated_data)
    except InvalidTag as error:
        raise BodyAuthenticationError(_AUTHENTICATION_FAILED) from error
