"""AWS KMS master keys (private module; import them from :mod:`aws_encryption_sdk.key_providers.kms`).

A :class:`KMSMasterKey` asks AWS KMS to generate, encrypt and decrypt data keys under one KMS key.
The key info it writes into each encrypted data key is the key ARN that KMS returns, whatever id
the master key was configured with. :class:`MRKAwareKMSMasterKey` also decrypts data keys that a
replica of the same multi-Region key wrapped in another region.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from aws_encryption_sdk.exceptions import (
    DecryptKeyError,
    EncryptKeyError,
    GenerateKeyError,
    KMSCallError,
    MalformedArnError,
    UnknownRegionError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal._validators import instance_of
from aws_encryption_sdk.internal.arn import arn_from_str
from aws_encryption_sdk.key_providers._kms_common import (
    _PROVIDER_ID,
    KMSClient,
    _botocore_client_class,
    _check_mrk_arns_equal,
    _describe_client_error,
    _key_info_to_str,
    _region_from_key_id,
    _user_agent_config,
)
from aws_encryption_sdk.key_providers.base import MasterKey, MasterKeyConfig
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo, RawDataKey

if TYPE_CHECKING:
    from typing import Self

__all__ = ["KMSMasterKey", "KMSMasterKeyConfig", "MRKAwareKMSMasterKey", "MRKAwareKMSMasterKeyConfig"]

#: The original logged KMS failures under its ``key_providers.kms`` module; so do we.
_LOGGER = logging.getLogger("aws_encryption_sdk.key_providers.kms")

_KMSError = type[GenerateKeyError] | type[EncryptKeyError] | type[DecryptKeyError]


#: One :class:`KMSCallError` class per botocore exception class, built on first use.
_KMS_CALL_ERROR_CLASSES: dict[type[Exception], type[KMSCallError]] = {}


def _kms_call_error_class(botocore_error_class: type[Exception]) -> type[KMSCallError]:
    """Return the :class:`KMSCallError` that is also ``botocore_error_class``.

    The original let botocore's own exception through; callers that catch it keep catching ours.
    """
    known = _KMS_CALL_ERROR_CLASSES.get(botocore_error_class)
    if known is None:
        built = type(
            f"KMS{botocore_error_class.__name__}", (KMSCallError, botocore_error_class), {"__module__": __name__}
        )
        known = _KMS_CALL_ERROR_CLASSES.setdefault(botocore_error_class, built)
    return known


def _validate_client(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Require a botocore client (imports botocore only when a config is built)."""
    instance_of(_botocore_client_class())(instance, attribute, value)


def _grant_tokens_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value)


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class KMSMasterKeyConfig(MasterKeyConfig):
    """Configuration of a :class:`KMSMasterKey`.

    :param key_id: the KMS key: key ARN, key id, alias name or alias ARN
    :param client: the boto3 KMS client to call; by default a new client for the region named in
        ``key_id`` (else the default boto3 region), with the SDK's user agent suffix
    :param grant_tokens: grant tokens to send with every KMS request
    """

    provider_id: ClassVar[str] = _PROVIDER_ID

    client: KMSClient = attrs.field(validator=_validate_client)
    grant_tokens: tuple[str, ...] = attrs.field(default=(), converter=_grant_tokens_tuple, validator=instance_of(tuple))

    @client.default
    def client_default(self) -> KMSClient:
        """Build a boto3 KMS client for the key's region (or boto3's default region)."""
        import boto3

        key_id = self.key_id.decode("utf-8", "replace")
        try:
            session = boto3.session.Session(region_name=_region_from_key_id(key_id))
        except UnknownRegionError:
            session = boto3.session.Session()
        client: KMSClient = session.client("kms", config=_user_agent_config())
        return client


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MRKAwareKMSMasterKeyConfig(MasterKeyConfig):
    """Configuration of a :class:`MRKAwareKMSMasterKey`.

    .. versionadded:: 2.3.0

    :param key_id: the KMS key: key ARN, key id, alias name or alias ARN
    :param client: the boto3 KMS client to call (required)
    :param grant_tokens: grant tokens to send with every KMS request
    """

    provider_id: ClassVar[str] = _PROVIDER_ID

    client: KMSClient = attrs.field(validator=_validate_client)
    grant_tokens: tuple[str, ...] = attrs.field(default=(), converter=_grant_tokens_tuple, validator=instance_of(tuple))


class KMSMasterKey(MasterKey):
    """Master key backed by one AWS KMS key.

    Build it with ``KMSMasterKey(key_id=..., client=..., grant_tokens=[...])`` or
    ``KMSMasterKey(config=KMSMasterKeyConfig(...))``. It decrypts only encrypted data keys whose
    key info is exactly its configured key id, so configure it with a key ARN to decrypt.
    """

    provider_id = _PROVIDER_ID
    _config_class: ClassVar[type[MasterKeyConfig]] = KMSMasterKeyConfig

    config: KMSMasterKeyConfig | MRKAwareKMSMasterKeyConfig
    #: The configured key id as text (KMS takes ``str`` ids).
    _key_id: str
    #: Called when the client raises a botocore (transport/credentials) error; set by providers
    #: so that the region's cached client is dropped.
    _on_botocore_error: Callable[[], None] | None

    def __new__(cls, **kwargs: Any) -> Self:
        instance = super().__new__(cls, **kwargs)
        instance._key_id = instance.key_id.decode("utf-8")
        instance._on_botocore_error = None
        return instance

    # Request builders ------------------------------------------------------------------------

    def _common_request_fields(self, encryption_context: Mapping[str, str] | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if encryption_context:
            fields["EncryptionContext"] = encryption_context
        if self.config.grant_tokens:
            fields["GrantTokens"] = self.config.grant_tokens
        return fields

    def _build_generate_data_key_request(
        self, algorithm: AlgorithmSuite, encryption_context: Mapping[str, str] | None
    ) -> dict[str, Any]:
        """Return the GenerateDataKey parameters (the context is sent whenever it is not None)."""
        request: dict[str, Any] = {"KeyId": self._key_id, "NumberOfBytes": algorithm.kdf_input_len}
        if encryption_context is not None:
            request["EncryptionContext"] = encryption_context
        if self.config.grant_tokens:
            request["GrantTokens"] = self.config.grant_tokens
        return request

    def _build_encrypt_request(
        self, data_key: DataKey | RawDataKey, encryption_context: Mapping[str, str] | None
    ) -> dict[str, Any]:
        """Return the Encrypt parameters (context and grant tokens only when non-empty)."""
        return {
            "KeyId": self._key_id,
            "Plaintext": data_key.data_key,
            **self._common_request_fields(encryption_context),
        }

    def _build_decrypt_request(
        self, encrypted_data_key: EncryptedDataKey, encryption_context: Mapping[str, str] | None
    ) -> dict[str, Any]:
        """Return the Decrypt parameters (always naming the configured key id)."""
        return {
            "CiphertextBlob": encrypted_data_key.encrypted_data_key,
            "KeyId": self._key_id,
            **self._common_request_fields(encryption_context),
        }

    # KMS calls -------------------------------------------------------------------------------

    def _call_kms(
        self, operation: str, request: dict[str, Any], error_class: _KMSError, action: str
    ) -> Mapping[str, Any]:
        """Call one KMS operation; a KMS error becomes ``error_class``, chained from it.

        A botocore error that is not a KMS response (no credentials, an unreachable endpoint) first
        tells the owning provider to drop this region's client, then becomes a :class:`KMSCallError`
        that is also that botocore error (see :func:`_kms_call_error_class`), which no decrypt loop
        skips, as the original's raw botocore error was not skipped.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response: Mapping[str, Any] = getattr(self.config.client, operation)(**request)
        except ClientError as error:
            message = f"Master Key {self._key_id} unable to {action} data key: {_describe_client_error(error)}"
            _LOGGER.exception(message)
            raise error_class(message) from error
        except BotoCoreError as error:
            if self._on_botocore_error is not None:
                self._on_botocore_error()
            message = (
                f"Master Key {self._key_id} unable to {action} data key: AWS KMS could not be called: "
                f"{type(error).__name__}: {error}"
            )
            _LOGGER.exception(message)
            raise _kms_call_error_class(type(error))(message, getattr(error, "kwargs", None)) from error
        return response

    def _response_field(self, response: Mapping[str, Any], field: str, error_class: _KMSError, action: str) -> Any:
        try:
            return response[field]
        except KeyError as error:
            message = f"Master Key {self._key_id} unable to {action} data key: the KMS response has no {field}"
            _LOGGER.exception(message)
            raise error_class(message) from error

    @staticmethod
    def _require_key_arn(key_id: str, error_class: _KMSError) -> None:
        try:
            arn_from_str(key_id)
        except MalformedArnError as error:
            message = f"Retrieved an unexpected KeyID in response from KMS: {key_id}"
            _LOGGER.exception(message)
            raise error_class(message) from error

    def _generate_data_key(
        self, algorithm: AlgorithmSuite, encryption_context: dict[str, str] | None = None
    ) -> DataKey:
        """Ask KMS for a new data key for ``algorithm``.

        :param algorithm: the algorithm suite the data key is for
        :param encryption_context: the encryption context to bind the data key to
        :returns: the data key; its key info is the key ARN KMS returned
        :raises GenerateKeyError: when KMS fails or returns something that is not a key ARN
        """
        request = self._build_generate_data_key_request(algorithm, encryption_context)
        response = self._call_kms("generate_data_key", request, GenerateKeyError, "generate")
        plaintext = self._response_field(response, "Plaintext", GenerateKeyError, "generate")
        ciphertext = self._response_field(response, "CiphertextBlob", GenerateKeyError, "generate")
        key_arn = self._response_field(response, "KeyId", GenerateKeyError, "generate")
        self._require_key_arn(key_arn, GenerateKeyError)
        return DataKey(
            key_provider=MasterKeyInfo(provider_id=self.provider_id, key_info=key_arn),
            data_key=plaintext,
            encrypted_data_key=ciphertext,
        )

    def _encrypt_data_key(
        self,
        data_key: DataKey | RawDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str] | None = None,
    ) -> EncryptedDataKey:
        """Ask KMS to encrypt an existing data key.

        :param data_key: the plaintext data key
        :param algorithm: the algorithm suite of the message (unused)
        :param encryption_context: the encryption context to bind the data key to
        :returns: the encrypted data key; its key info is the key ARN KMS returned
        :raises EncryptKeyError: when KMS fails or returns something that is not a key ARN
        """
        request = self._build_encrypt_request(data_key, encryption_context)
        response = self._call_kms("encrypt", request, EncryptKeyError, "encrypt")
        ciphertext = self._response_field(response, "CiphertextBlob", EncryptKeyError, "encrypt")
        key_arn = self._response_field(response, "KeyId", EncryptKeyError, "encrypt")
        self._require_key_arn(key_arn, EncryptKeyError)
        return EncryptedDataKey(
            key_provider=MasterKeyInfo(provider_id=self.provider_id, key_info=key_arn),
            encrypted_data_key=ciphertext,
        )

    def _validate_allowed_to_decrypt(self, edk_key_id: str) -> None:
        """Refuse an encrypted data key that another KMS key wrapped.

        :param edk_key_id: the key ARN recorded in the encrypted data key
        :raises DecryptKeyError: when it is not exactly this master key's id
        """
        if edk_key_id != self._key_id:
            raise DecryptKeyError(
                f"Cannot decrypt EDK wrapped by key_id={edk_key_id}, "
                f"because it does not match this provider's key_id={self._key_id}"
            )

    def _decrypt_data_key(
        self,
        encrypted_data_key: EncryptedDataKey,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str] | None = None,
    ) -> DataKey:
        """Ask KMS to decrypt an encrypted data key with this master key's KMS key.

        :param encrypted_data_key: the encrypted data key
        :param algorithm: the algorithm suite of the message
        :param encryption_context: the encryption context the data key is bound to
        :returns: the decrypted data key
        :raises MalformedArnError: when the key info is not an ARN at all (this ends the decryption, as
            in the original)
        :raises DecryptKeyError: when the key info is not a KMS key ARN this master key may use, when
            KMS fails, or when KMS answers for another key or with a key of the wrong length
        """
        edk_key_id = _key_info_to_str(encrypted_data_key.key_provider.key_info)
        edk_arn = arn_from_str(edk_key_id)
        if edk_arn.resource_type != "key":
            raise DecryptKeyError(f"AWS KMS Provider EDK contains unexpected key_id: {edk_key_id}")
        self._validate_allowed_to_decrypt(edk_key_id)

        request = self._build_decrypt_request(encrypted_data_key, encryption_context)
        response = self._call_kms("decrypt", request, DecryptKeyError, "decrypt")
        returned_key_id = self._response_field(response, "KeyId", DecryptKeyError, "decrypt")
        if returned_key_id != self._key_id:
            raise DecryptKeyError(f"AWS KMS returned unexpected key_id {returned_key_id} (expected {self._key_id})")
        plaintext = self._response_field(response, "Plaintext", DecryptKeyError, "decrypt")
        if len(plaintext) != algorithm.data_key_len:
            raise DecryptKeyError(
                f"Plaintext length ({len(plaintext)}) does not match algorithm's expected length "
                f"({algorithm.data_key_len})"
            )
        return DataKey(
            key_provider=self.key_provider,
            data_key=plaintext,
            encrypted_data_key=encrypted_data_key.encrypted_data_key,
        )


class MRKAwareKMSMasterKey(KMSMasterKey):
    """KMS master key that treats replicas of a multi-Region key (``key/mrk-...``) as itself.

    It decrypts data keys wrapped by any replica of its multi-Region key, always calling KMS in
    its own region with its own key ARN.

    .. versionadded:: 2.3.0
    """

    provider_id = _PROVIDER_ID
    _config_class: ClassVar[type[MasterKeyConfig]] = MRKAwareKMSMasterKeyConfig

    def __init__(self, **kwargs: Any) -> None:
        """Check the configured key id (see :meth:`validate_config`)."""
        super().__init__(**kwargs)
        self.validate_config()

    def validate_config(self) -> None:
        """Check that a configured id starting with ``arn:`` is a valid KMS ARN.

        :raises MalformedArnError: when it is not
        """
        if self._key_id.startswith("arn:"):
            arn_from_str(self._key_id)

    def _matches(self, edk_key_id: str) -> bool:
        """Say whether an EDK key ARN is this key or a replica of it.

        :raises MalformedArnError: when the two ids differ and either is not an ARN (so, as in the
            original, a key configured with a bare ``mrk-`` id or an alias matches only that same id
            and raises for every other)
        """
        return _check_mrk_arns_equal(edk_key_id, self._key_id)

    def owns_data_key(self, data_key: DataKey | RawDataKey | EncryptedDataKey) -> bool:
        """Say whether a data key was wrapped by this key or by a replica of its multi-Region key.

        :param data_key: the data key
        :returns: True when the data key belongs to this master key
        :raises MalformedArnError: when the data key's KMS key info is not an ARN (this ends the
            decryption, as in the original)
        """
        if data_key.key_provider.provider_id != self.provider_id:
            return False
        return self._matches(_key_info_to_str(data_key.key_provider.key_info))

    def _validate_allowed_to_decrypt(self, edk_key_id: str) -> None:
        """Refuse an encrypted data key that is neither this key nor a replica of it.

        :param edk_key_id: the key ARN recorded in the encrypted data key
        :raises DecryptKeyError: when it does not match
        """
        if not self._matches(edk_key_id):
            raise DecryptKeyError(
                f"Cannot decrypt EDK wrapped by key_id={edk_key_id}, "
                f"because it does not match this provider's key_id={self._key_id}"
            )
