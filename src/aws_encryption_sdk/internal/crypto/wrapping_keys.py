"""Wrapping keys of raw master keys: AES-GCM and RSA encryption of data keys.

A :class:`~aws_encryption_sdk.internal.crypto.wrapping_keys.WrappingKey` holds the key material of a raw AES
or raw RSA master key and wraps (encrypts) and unwraps (decrypts) plaintext data keys with it. AES wrapping
binds the encryption context as associated data and uses a fresh random IV per data key; RSA wrapping ignores
the encryption context.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import (
    DataKeyUnwrapError,
    EncryptKeyError,
    IncorrectMasterKeyError,
    InvalidDataKeyError,
)
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    EncryptionKeyType,
    EncryptionType,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal._types import BytesLike
from aws_encryption_sdk.internal.crypto.encryption import check_iv, check_tag
from aws_encryption_sdk.internal.formatting.encryption_context import (
    serialize_encryption_context,
)
from aws_encryption_sdk.internal.structures import EncryptedData

__all__ = ["WrappingKey"]

_BYTES_LIKE = (bytes, bytearray, memoryview)

_RsaKey = rsa.RSAPrivateKey | rsa.RSAPublicKey


def _load_rsa_key(wrapping_key: bytes, wrapping_key_type: EncryptionKeyType, password: bytes | None) -> _RsaKey:
    """Load a PEM RSA private or public key.

    :raises InvalidDataKeyError: when the PEM data cannot be loaded or is not an RSA key of that kind
    """
    kind = "private" if wrapping_key_type is EncryptionKeyType.PRIVATE else "public"
    key: object
    try:
        if wrapping_key_type is EncryptionKeyType.PRIVATE:
            key = serialization.load_pem_private_key(wrapping_key, password=password)
        else:
            key = serialization.load_pem_public_key(wrapping_key)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise InvalidDataKeyError(
            f"Wrapping key could not be loaded as a PEM {kind} key (check the key data and the password)"
        ) from error
    expected = rsa.RSAPrivateKey if wrapping_key_type is EncryptionKeyType.PRIVATE else rsa.RSAPublicKey
    if not isinstance(key, expected):
        raise InvalidDataKeyError(f"RSA wrapping algorithms need an RSA {kind} key, got {type(key).__name__}")
    return key


class WrappingKey:
    """Key material that wraps and unwraps data keys for a raw master key.

    :param wrapping_algorithm: how data keys are wrapped (AES-GCM or an RSA padding)
    :param wrapping_key: raw AES key bytes, or a PEM-encoded RSA private or public key
    :param wrapping_key_type: whether ``wrapping_key`` is symmetric, public or private
    :param password: the password of an encrypted PEM private key
    :raises InvalidDataKeyError: when the key type is unknown or does not suit the wrapping algorithm,
        an AES key has the wrong length for the algorithm, or a PEM key cannot be loaded
    :raises TypeError: when ``wrapping_key`` is not bytes
    """

    wrapping_algorithm: WrappingAlgorithm
    wrapping_key_type: EncryptionKeyType
    _wrapping_key: bytes | _RsaKey

    def __init__(
        self,
        wrapping_algorithm: WrappingAlgorithm,
        wrapping_key: bytes,
        wrapping_key_type: EncryptionKeyType,
        password: bytes | None = None,
    ) -> None:
        self.wrapping_algorithm = wrapping_algorithm
        self.wrapping_key_type = wrapping_key_type
        if not isinstance(wrapping_key_type, EncryptionKeyType):
            raise InvalidDataKeyError(f"Invalid wrapping_key_type: {wrapping_key_type!r}")
        if not isinstance(wrapping_algorithm, WrappingAlgorithm):
            raise TypeError(f"wrapping_algorithm must be a WrappingAlgorithm, not {type(wrapping_algorithm).__name__}")
        if not isinstance(wrapping_key, _BYTES_LIKE):
            raise TypeError(f"wrapping_key must be bytes, not {type(wrapping_key).__name__}")
        self._check_key_type_matches_algorithm()
        if wrapping_key_type is EncryptionKeyType.SYMMETRIC:
            self._wrapping_key = self._checked_aes_key(bytes(wrapping_key))
            self._aead = AESGCM(self._wrapping_key)  # one key schedule for every data key it wraps
        else:
            self._wrapping_key = _load_rsa_key(bytes(wrapping_key), wrapping_key_type, password)

    def _check_key_type_matches_algorithm(self) -> None:
        """Refuse a symmetric key for RSA wrapping or an RSA key for AES wrapping.

        :raises InvalidDataKeyError: when key type and wrapping algorithm disagree
        """
        symmetric_algorithm = self.wrapping_algorithm.encryption_type is EncryptionType.SYMMETRIC
        symmetric_key = self.wrapping_key_type is EncryptionKeyType.SYMMETRIC
        if symmetric_algorithm != symmetric_key:
            raise InvalidDataKeyError(
                f"Wrapping algorithm {self.wrapping_algorithm.name} cannot use a "
                f"{self.wrapping_key_type.name} wrapping key"
            )

    def _aes_suite(self) -> AlgorithmSuite:
        """Return the AES-GCM suite of a symmetric wrapping algorithm."""
        suite = self.wrapping_algorithm.algorithm
        assert isinstance(suite, AlgorithmSuite)  # guaranteed for SYMMETRIC wrapping algorithms
        return suite

    def _checked_aes_key(self, key: bytes) -> bytes:
        """Check an AES wrapping key's length against the wrapping algorithm.

        :raises InvalidDataKeyError: when the lengths differ
        """
        expected = self._aes_suite().data_key_len
        if len(key) != expected:
            raise InvalidDataKeyError(
                f"Wrapping algorithm {self.wrapping_algorithm.name} needs a {expected}-byte wrapping key, "
                f"got {len(key)} bytes"
            )
        return key

    def _generate_iv(self) -> bytes:
        """Return a fresh IV for one AES-GCM wrapping operation.

        Subclasses may override this to pin the IV, for example in known-answer tests. Production code must
        never reuse an IV with the same wrapping key.

        .. versionadded:: 4.1.0

        :returns: 12 random bytes
        """
        return os.urandom(self._aes_suite().iv_len)

    def encrypt(self, plaintext_data_key: BytesLike, encryption_context: Mapping[str, str]) -> EncryptedData:
        """Wrap a plaintext data key.

        :param plaintext_data_key: the data key to wrap
        :param encryption_context: the encryption context, bound as AAD by AES wrapping (RSA ignores it)
        :returns: IV, ciphertext and tag for AES; the RSA ciphertext with ``iv`` and ``tag`` None for RSA
        :raises EncryptKeyError: when RSA cannot encrypt the data key (too long for the key and padding)
        :raises SerializationError: when the encryption context cannot be serialized
        """
        if self.wrapping_key_type is EncryptionKeyType.SYMMETRIC:
            suite = self._aes_suite()
            iv = check_iv(suite, self._generate_iv())
            sealed = self._aead.encrypt(iv, plaintext_data_key, serialize_encryption_context(encryption_context))
            split = len(sealed) - suite.tag_len
            return EncryptedData(iv, sealed[:split], sealed[split:])
        public_key = self._wrapping_key
        if isinstance(public_key, rsa.RSAPrivateKey):
            public_key = public_key.public_key()
        assert isinstance(public_key, rsa.RSAPublicKey)
        try:
            ciphertext = public_key.encrypt(bytes(plaintext_data_key), self.wrapping_algorithm.padding)
        except ValueError as error:
            raise EncryptKeyError(
                f"A {public_key.key_size}-bit RSA key with {self.wrapping_algorithm.name} cannot encrypt a "
                f"{len(plaintext_data_key)}-byte data key"
            ) from error
        return EncryptedData(None, ciphertext, None)

    def decrypt(self, encrypted_wrapped_data_key: EncryptedData, encryption_context: Mapping[str, str]) -> bytes:
        """Unwrap an encrypted data key.

        :param encrypted_wrapped_data_key: the wrapped data key (IV, ciphertext and tag for AES)
        :param encryption_context: the encryption context of the message (used by AES only)
        :returns: the plaintext data key
        :raises DataKeyUnwrapError: when AES authentication fails (wrong wrapping key or encryption context)
        :raises IncorrectMasterKeyError: when an RSA public key is asked to decrypt, or RSA decryption fails
        :raises SerializationError: when the encryption context cannot be serialized or the IV is malformed
        """
        if self.wrapping_key_type is EncryptionKeyType.SYMMETRIC:
            suite = self._aes_suite()
            iv = check_iv(suite, encrypted_wrapped_data_key.iv)
            aad = serialize_encryption_context(encryption_context)
            try:
                tag = check_tag(suite, encrypted_wrapped_data_key.tag)
                return self._aead.decrypt(iv, encrypted_wrapped_data_key.ciphertext + tag, aad)
            except InvalidTag as error:  # also a malformed tag (BodyAuthenticationError)
                raise DataKeyUnwrapError(
                    "Unable to unwrap the data key: the wrapping key or the encryption context does not match "
                    "the ones used to wrap it"
                ) from error
        if self.wrapping_key_type is EncryptionKeyType.PUBLIC:
            raise IncorrectMasterKeyError("Public key cannot decrypt")
        assert isinstance(self._wrapping_key, rsa.RSAPrivateKey)
        try:
            return self._wrapping_key.decrypt(encrypted_wrapped_data_key.ciphertext, self.wrapping_algorithm.padding)
        except ValueError as error:
            raise IncorrectMasterKeyError("_wrapping_key cannot decrypt provided ciphertext") from error
