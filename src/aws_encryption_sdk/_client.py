"""The client facade: :class:`~aws_encryption_sdk.EncryptionSDKClient` and its config (private module).

Re-exported by :mod:`aws_encryption_sdk`. The stream classes are looked up on the package at call
time, as in the original, so code that replaces ``aws_encryption_sdk.StreamEncryptor`` still works.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import attrs

import aws_encryption_sdk
from aws_encryption_sdk._inspection import DecryptionResult
from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import CommitmentPolicy
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of
from aws_encryption_sdk.internal.utils.signature import SignaturePolicy
from aws_encryption_sdk.streaming_client import StreamDecryptor, StreamEncryptor
from aws_encryption_sdk.structures import MessageHeader


def _refuse_trailing_bytes(decryptor: StreamDecryptor) -> None:
    # Only our decryptor is asked: a stand-in put in place of aws_encryption_sdk.StreamDecryptor
    # (a test double, as upstream tests use) is taken at its word.
    if isinstance(decryptor, StreamDecryptor) and decryptor._source_has_trailing_bytes():
        raise SerializationError("The source holds bytes after the end of the message; decrypt one message at a time")


def _check_max_encrypted_data_keys(instance: Any, attribute: Any, value: Optional[int]) -> None:
    if value is not None and value < 1:
        raise ValueError("max_encrypted_data_keys cannot be less than 1")


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptionSDKClientConfig:
    """Settings of an :class:`~aws_encryption_sdk.EncryptionSDKClient`.

    :param commitment_policy: which algorithm suites the client may encrypt and decrypt with
    :param max_encrypted_data_keys: most encrypted data keys a message may carry (None: no limit)
    """

    commitment_policy: CommitmentPolicy = attrs.field(
        default=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
        validator=instance_of(CommitmentPolicy),
    )
    max_encrypted_data_keys: Optional[int] = attrs.field(
        default=None,
        validator=[optional_instance_of(int), _check_max_encrypted_data_keys],
    )


_SIGNATURE_POLICIES = {
    "e": SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
    "encrypt": SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
    "d": SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
    "decrypt": SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT,
    "decrypt-unsigned": SignaturePolicy.ALLOW_ENCRYPT_FORBID_DECRYPT,
}


class EncryptionSDKClient:
    """Encrypts and decrypts data with a commitment policy and limits fixed at construction.

    Takes the keyword arguments of :class:`EncryptionSDKClientConfig`, or ``config=``. A client
    holds no other state and may be shared between threads.
    """

    _config_class = EncryptionSDKClientConfig
    config: EncryptionSDKClientConfig

    def __new__(cls, **kwargs: Any) -> EncryptionSDKClient:
        instance = super().__new__(cls)
        config = kwargs.pop("config", None)
        if not isinstance(config, cls._config_class):
            config = cls._config_class(**kwargs)
        instance.config = config
        return instance

    def _set_config_kwargs(self, caller_name: str, kwargs: dict[str, Any]) -> None:
        for key in ("commitment_policy", "max_encrypted_data_keys"):
            if key in kwargs:
                warnings.warn(
                    f"Invalid keyword argument '{key}' passed to {caller_name}. "
                    "Set this value by passing a 'config' to the EncryptionSDKClient constructor instead.",
                    UserWarning,
                    stacklevel=3,
                )
        kwargs["commitment_policy"] = self.config.commitment_policy
        kwargs["max_encrypted_data_keys"] = self.config.max_encrypted_data_keys

    def encrypt(self, **kwargs: Any) -> tuple[bytes, MessageHeader]:
        """Encrypt ``source`` and return ``(ciphertext, header)``.

        Takes the keyword arguments of :class:`~aws_encryption_sdk.streaming_client.EncryptorConfig`
        except the commitment policy and key limit, which come from the client.

        :returns: the encrypted message and its header
        :raises AWSEncryptionSDKClientError: when encryption fails
        """
        self._set_config_kwargs("encrypt", kwargs)
        kwargs["signature_policy"] = SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT
        with aws_encryption_sdk.StreamEncryptor(**kwargs) as encryptor:
            ciphertext = encryptor.read()
        return ciphertext, encryptor.header

    def decrypt(self, **kwargs: Any) -> tuple[bytes, MessageHeader]:
        """Decrypt the message in ``source`` and return ``(plaintext, header)``.

        Takes the keyword arguments of :class:`~aws_encryption_sdk.streaming_client.DecryptorConfig`
        except the commitment policy and key limit, which come from the client. Nothing is returned
        unless the whole message authenticates (and, when signed, its signature verifies), and the
        source must hold nothing after the message.

        :returns: the plaintext and the message header
        :raises SerializationError: when bytes follow the end of the message
        :raises AWSEncryptionSDKClientError: when decryption fails
        """
        self._set_config_kwargs("decrypt", kwargs)
        kwargs["signature_policy"] = SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT
        with aws_encryption_sdk.StreamDecryptor(**kwargs) as decryptor:
            plaintext = decryptor.read()
            _refuse_trailing_bytes(decryptor)
        return plaintext, decryptor.header

    def decrypt_with_details(self, **kwargs: Any) -> DecryptionResult:
        """Decrypt like :meth:`decrypt`, and also say which master key opened the message.

        .. versionadded:: 4.1.0

        :returns: the plaintext, the header and the master key that decrypted the data key
        :raises AWSEncryptionSDKClientError: when decryption fails
        """
        self._set_config_kwargs("decrypt_with_details", kwargs)
        kwargs["signature_policy"] = SignaturePolicy.ALLOW_ENCRYPT_ALLOW_DECRYPT
        with aws_encryption_sdk.StreamDecryptor(**kwargs) as decryptor:
            plaintext = decryptor.read()
            _refuse_trailing_bytes(decryptor)
        return DecryptionResult(plaintext=plaintext, header=decryptor.header, decrypted_by=decryptor.decrypted_by)

    def stream(self, **kwargs: Any) -> StreamEncryptor | StreamDecryptor:
        """Return a lazy streaming encryptor or decryptor.

        ``mode`` (case-insensitive) is ``"e"``/``"encrypt"``, ``"d"``/``"decrypt"`` or
        ``"decrypt-unsigned"`` (which refuses signed messages); the other keyword arguments are
        those of the stream's config.

        :raises KeyError: when ``mode`` is missing or unknown
        """
        self._set_config_kwargs("stream", kwargs)
        mode = kwargs.pop("mode")
        signature_policy = _SIGNATURE_POLICIES[mode.lower()]
        kwargs["signature_policy"] = signature_policy
        if mode.lower() in ("e", "encrypt"):
            return aws_encryption_sdk.StreamEncryptor(**kwargs)
        return aws_encryption_sdk.StreamDecryptor(**kwargs)
