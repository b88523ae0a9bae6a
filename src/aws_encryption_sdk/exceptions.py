"""Exception classes raised by the AWS Encryption SDK.

Every error the SDK raises on purpose derives from :class:`AWSEncryptionSDKClientError`.
Where the original library let a raw ``cryptography`` or botocore exception escape, we raise an SDK
class that *also* derives from that class, so ``except InvalidTag`` or ``except NoCredentialsError``
keeps working.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature, InvalidTag


class AWSEncryptionSDKClientError(Exception):
    """Base class for every exception the SDK raises on purpose."""


class SerializationError(AWSEncryptionSDKClientError):
    """A message, header or structure could not be serialized or parsed."""


class CustomMaximumValueExceeded(SerializationError):
    """A value exceeded a limit that the caller configured."""


class MaxEncryptedDataKeysExceeded(CustomMaximumValueExceeded):
    """A message carries more encrypted data keys than ``max_encrypted_data_keys`` allows."""

    def __init__(self, num_keys: int, max_keys: int) -> None:
        super().__init__(
            f"Number of encrypted data keys found larger than configured value: {num_keys:d} > {max_keys:d}"
        )
        self.num_keys = num_keys
        self.max_keys = max_keys


class UnknownIdentityError(AWSEncryptionSDKClientError):
    """An identifier (algorithm suite, content type, ...) is not known."""


class NotSupportedError(AWSEncryptionSDKClientError):
    """The requested operation or format is not supported."""


class MasterKeyProviderError(AWSEncryptionSDKClientError):
    """A master key provider failed or refused an operation."""


class MasterKeyError(AWSEncryptionSDKClientError):
    """A master key failed (kept for compatibility; the SDK does not raise it)."""


class InvalidAlgorithmError(AWSEncryptionSDKClientError):
    """An algorithm suite is invalid for the requested operation."""


class InvalidKeyIdError(AWSEncryptionSDKClientError):
    """A key id is not valid for this provider or master key."""


class InvalidDataKeyError(AWSEncryptionSDKClientError):
    """A data key is invalid (for example, of the wrong length)."""


class InvalidProviderIdError(AWSEncryptionSDKClientError):
    """A provider id is invalid (kept for compatibility; the SDK does not raise it)."""


class IncorrectMasterKeyError(AWSEncryptionSDKClientError):
    """A master key was asked to decrypt a data key that it does not own."""


class GenerateKeyError(AWSEncryptionSDKClientError):
    """A master key could not generate a data key."""


class EncryptKeyError(AWSEncryptionSDKClientError):
    """A master key could not encrypt a data key."""


class DecryptKeyError(AWSEncryptionSDKClientError):
    """A master key could not decrypt a data key."""


class KMSCallError(AWSEncryptionSDKClientError):
    """AWS KMS could not be called: botocore failed before KMS answered (no credentials or region, an
    unreachable endpoint, a timeout, a request botocore refused).

    What the SDK raises is a subclass that is also the botocore exception it stands for, so
    ``except NoCredentialsError`` or ``except BotoCoreError`` catch it, as they caught the raw botocore
    exception the original library let through; its message names the master key. As with the
    original, it ends the operation: decryption does not go on to the next encrypted data key.

    .. versionadded:: 4.1.0

    :param message: what failed, naming the master key
    :param kwargs: the botocore exception's ``kwargs`` (what its message was formatted from)
    """

    def __init__(self, message: str, kwargs: dict[str, object] | None = None) -> None:
        Exception.__init__(self, message)  # not botocore's __init__, which only formats its own message
        self.kwargs = kwargs or {}


class ActionNotAllowedError(AWSEncryptionSDKClientError):
    """The configuration forbids the requested action."""


class InvalidParameterError(AWSEncryptionSDKClientError):
    """A caller-supplied parameter is not acceptable (for example a reserved encryption context key).

    .. versionadded:: 4.1.0
    """


class ConfigMismatchError(AWSEncryptionSDKClientError):
    """A configuration is inconsistent."""


class UnknownRegionError(AWSEncryptionSDKClientError):
    """No AWS region could be determined."""


class MalformedArnError(AWSEncryptionSDKClientError):
    """A string could not be parsed as an AWS KMS ARN."""


class CacheError(AWSEncryptionSDKClientError):
    """A cryptographic materials cache operation failed."""


class CacheKeyError(CacheError):
    """A cache key was not found in a cryptographic materials cache."""


class BodyAuthenticationError(SerializationError, InvalidTag):
    """The message body failed AES-GCM authentication.

    Also an instance of :class:`cryptography.exceptions.InvalidTag`, the class the original
    library let escape here.

    .. versionadded:: 4.1.0
    """


class SignatureVerificationError(SerializationError, InvalidSignature):
    """The message footer signature did not verify.

    Also an instance of :class:`cryptography.exceptions.InvalidSignature`, the class the original
    library let escape here.

    .. versionadded:: 4.1.0
    """


class DataKeyUnwrapError(DecryptKeyError, InvalidTag):
    """A raw AES wrapping key could not authenticate an encrypted data key.

    Raised when the wrapping key or the encryption context is wrong. Also an instance of
    :class:`cryptography.exceptions.InvalidTag`; master key providers treat it like any other
    :class:`~aws_encryption_sdk.exceptions.DecryptKeyError` and move on to the next encrypted data key.

    .. versionadded:: 4.1.0
    """


class ArnDecodeError(MalformedArnError, UnicodeDecodeError):
    """An AWS KMS key id or encrypted-data-key key info given as bytes is not UTF-8, so not an ARN.

    Also an instance of :class:`UnicodeDecodeError` (a :class:`ValueError`), the class the original
    library let escape here. It takes the arguments of :class:`UnicodeDecodeError`.

    .. versionadded:: 4.1.0
    """

    def __str__(self) -> str:
        return f"Resource 0x{bytes(self.object).hex()} could not be parsed as an ARN: not UTF-8 ({self.reason})"
