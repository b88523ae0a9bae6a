"""Raw master keys: data keys wrapped locally with an AES or RSA wrapping key.

A raw AES key writes ``key id || tag length in bits || IV length || IV`` as the key info of each encrypted
data key and authenticates the wrapped key with the serialized encryption context. A raw RSA key writes only
its key id.
"""

from __future__ import annotations

import abc
import os
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from aws_encryption_sdk.exceptions import DecryptKeyError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, EncryptionType
from aws_encryption_sdk.internal._validators import instance_of
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_wrapped_key
from aws_encryption_sdk.internal.formatting.serialize import (
    serialize_raw_master_key_prefix,
    serialize_wrapped_key,
)
from aws_encryption_sdk.internal.str_ops import to_str
from aws_encryption_sdk.key_providers.base import (
    MasterKey,
    MasterKeyConfig,
    MasterKeyProvider,
    MasterKeyProviderConfig,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, RawDataKey

if TYPE_CHECKING:
    from typing import Self

__all__ = [
    "DataKey",
    "EncryptionType",
    "MasterKey",
    "MasterKeyConfig",
    "MasterKeyProvider",
    "MasterKeyProviderConfig",
    "RawDataKey",
    "RawMasterKey",
    "RawMasterKeyConfig",
    "RawMasterKeyProvider",
    "WrappingKey",
]


def _provider_id_str(value: str | bytes) -> str:
    result: str = to_str(value)
    return result


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class RawMasterKeyConfig(MasterKeyConfig):
    """Configuration of a raw master key.

    :param key_id: the key id (``str`` is encoded as UTF-8)
    :param provider_id: the provider id (``bytes`` are decoded as UTF-8)
    :param wrapping_key: the key that wraps data keys
    """

    provider_id: str = attrs.field(converter=_provider_id_str, validator=instance_of(str))
    wrapping_key: WrappingKey = attrs.field(validator=instance_of(WrappingKey))


class RawMasterKey(MasterKey):
    """A master key that wraps data keys locally with a
    :class:`~aws_encryption_sdk.internal.crypto.wrapping_keys.WrappingKey`.

    Build it with ``RawMasterKey(key_id=..., provider_id=..., wrapping_key=...)`` or
    ``RawMasterKey(config=RawMasterKeyConfig(...))``. The provider id comes from the config.
    """

    # None at class level: MasterKey.__new__ copies the config's provider id onto the instance.
    provider_id = None  # type: ignore[assignment]
    _config_class: ClassVar[type[RawMasterKeyConfig]] = RawMasterKeyConfig

    config: RawMasterKeyConfig
    _key_info_prefix: bytes

    def __new__(cls, **kwargs: Any) -> Self:
        instance = super().__new__(cls, **kwargs)
        instance._key_info_prefix = serialize_raw_master_key_prefix(raw_master_key=instance)
        return instance

    def owns_data_key(self, data_key: DataKey | RawDataKey | EncryptedDataKey) -> bool:
        """Say whether this master key wrapped a data key.

        RSA keys own data keys whose provider id and key info equal theirs. AES keys own data keys with their
        provider id whose key info is their key info prefix followed by an IV.

        :param data_key: the data key
        :returns: True when the data key belongs to this master key
        """
        wrapping_algorithm = self.config.wrapping_key.wrapping_algorithm
        if wrapping_algorithm.encryption_type is EncryptionType.ASYMMETRIC:
            result: bool = data_key.key_provider == self.key_provider
            return result
        key_info = data_key.key_provider.key_info
        return (
            data_key.key_provider.provider_id == self.provider_id
            and key_info.startswith(self._key_info_prefix)
            and len(key_info) == len(self._key_info_prefix) + wrapping_algorithm.algorithm.iv_len
        )

    def _random_data_key(self, length: int) -> bytes:
        """Return a new plaintext data key of ``length`` random bytes.

        Override this in a subclass to pin the data key, for example in known-answer tests.

        .. versionadded:: 4.1.0

        :param length: the key length the algorithm suite needs
        :returns: the data key
        """
        return os.urandom(length)

    def _generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> DataKey:
        """Generate a random data key and wrap it.

        :param algorithm: the algorithm suite the data key is for
        :param encryption_context: the encryption context of the message
        :returns: the data key, in plaintext and wrapped form
        """
        plaintext_data_key = self._random_data_key(algorithm.kdf_input_len)
        encrypted_data_key = self._encrypt_data_key(
            RawDataKey(key_provider=self.key_provider, data_key=plaintext_data_key), algorithm, encryption_context
        )
        return DataKey(
            key_provider=encrypted_data_key.key_provider,
            data_key=plaintext_data_key,
            encrypted_data_key=encrypted_data_key.encrypted_data_key,
        )

    def _encrypt_data_key(
        self,
        data_key: DataKey | RawDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> EncryptedDataKey:
        """Wrap a data key with the wrapping key.

        :param data_key: the plaintext data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context (authenticated by AES wrapping keys)
        :returns: the encrypted data key
        """
        encrypted_wrapped_key = self.config.wrapping_key.encrypt(
            plaintext_data_key=data_key.data_key, encryption_context=encryption_context
        )
        encrypted_data_key: EncryptedDataKey = serialize_wrapped_key(
            key_provider=self.key_provider,
            wrapping_algorithm=self.config.wrapping_key.wrapping_algorithm,
            wrapping_key_id=self.key_id,
            encrypted_wrapped_key=encrypted_wrapped_key,
        )
        return encrypted_data_key

    def _decrypt_data_key(
        self,
        encrypted_data_key: EncryptedDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Unwrap a data key with the wrapping key.

        :param encrypted_data_key: the encrypted data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context (authenticated by AES wrapping keys)
        :returns: the decrypted data key
        :raises DataKeyUnwrapError: when an AES wrapping key cannot authenticate the data key
            (wrong key or wrong encryption context)
        :raises IncorrectMasterKeyError: when an RSA wrapping key cannot decrypt the data key
        :raises DecryptKeyError: when the encrypted data key is malformed (decryption moves on)
        """
        try:
            encrypted_wrapped_key = deserialize_wrapped_key(
                wrapping_algorithm=self.config.wrapping_key.wrapping_algorithm,
                wrapping_key_id=self.key_id,
                wrapped_encrypted_key=encrypted_data_key,
            )
        except SerializationError as error:
            raise DecryptKeyError(f"Malformed encrypted data key for {self.key_provider}: {error}") from error
        plaintext_data_key: bytes = self.config.wrapping_key.decrypt(
            encrypted_wrapped_data_key=encrypted_wrapped_key, encryption_context=encryption_context
        )
        return DataKey(
            key_provider=encrypted_data_key.key_provider,
            data_key=plaintext_data_key,
            encrypted_data_key=encrypted_data_key.encrypted_data_key,
        )


class RawMasterKeyProvider(MasterKeyProvider):
    """Abstract provider of raw master keys.

    Subclasses set ``provider_id`` and implement :meth:`_get_raw_key`. Only master keys added with
    :meth:`~aws_encryption_sdk.key_providers.base.MasterKeyProvider.add_master_key` are used, for decryption
    too (``vend_masterkey_on_decrypt`` is False).
    """

    # Annotated so that subclasses may set a config class with a different constructor.
    _config_class: ClassVar[type[MasterKeyProviderConfig]] = MasterKeyProviderConfig
    vend_masterkey_on_decrypt = False
    _master_key_class: ClassVar[type[RawMasterKey]] = RawMasterKey

    @abc.abstractmethod
    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        """Return the wrapping key for a key id.

        :param key_id: the key id
        :returns: the wrapping key
        """

    def _new_master_key(self, key_id: bytes) -> RawMasterKey:
        """Build the raw master key for a key id from :meth:`_get_raw_key`.

        :param key_id: the key id
        :returns: the new master key
        """
        return self._master_key_class(
            config=RawMasterKeyConfig(
                key_id=key_id, provider_id=self.provider_id, wrapping_key=self._get_raw_key(key_id)
            )
        )
