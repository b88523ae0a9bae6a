"""AWS Encryption SDK for Python: encrypt and decrypt data in the AWS Encryption SDK message format.

Create an :class:`~aws_encryption_sdk.EncryptionSDKClient`, then call :meth:`~EncryptionSDKClient.encrypt`,
:meth:`~EncryptionSDKClient.decrypt` or :meth:`~EncryptionSDKClient.stream` with a master key
provider (``key_provider=``) or a crypto materials manager (``materials_manager=``).
"""

from __future__ import annotations

from aws_encryption_sdk._client import EncryptionSDKClient, EncryptionSDKClientConfig
from aws_encryption_sdk._inspection import DecryptionResult, UnauthenticatedHeader, read_unauthenticated_header
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.caches.null import NullCryptoMaterialsCache
from aws_encryption_sdk.compatability import (  # the redundant alias re-exports it for type checkers
    _warn_deprecated_python as _warn_deprecated_python,
)
from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
from aws_encryption_sdk.identifiers import Algorithm, CommitmentPolicy, __version__
from aws_encryption_sdk.internal.utils.signature import SignaturePolicy
from aws_encryption_sdk.key_providers.kms import (  # boto3 itself is imported only when a provider is built
    DiscoveryAwsKmsMasterKeyProvider,
    KMSMasterKeyProviderConfig,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.materials_managers.caching import CachingCryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.streaming_client import DecryptorConfig, EncryptorConfig, StreamDecryptor, StreamEncryptor

__all__ = [
    "AWSEncryptionSDKClientError",
    "Algorithm",
    "CachingCryptoMaterialsManager",
    "CommitmentPolicy",
    "DecryptionResult",
    "DecryptorConfig",
    "DefaultCryptoMaterialsManager",
    "DiscoveryAwsKmsMasterKeyProvider",
    "EncryptionSDKClient",
    "EncryptionSDKClientConfig",
    "EncryptorConfig",
    "KMSMasterKeyProviderConfig",
    "LocalCryptoMaterialsCache",
    "NullCryptoMaterialsCache",
    "SignaturePolicy",
    "StreamDecryptor",
    "StreamEncryptor",
    "StrictAwsKmsMasterKeyProvider",
    "UnauthenticatedHeader",
    "__version__",
    "read_unauthenticated_header",
]

for _public in (
    EncryptionSDKClient,
    EncryptionSDKClientConfig,
    DecryptionResult,
    UnauthenticatedHeader,
    read_unauthenticated_header,
):
    _public.__module__ = __name__
del _public

_warn_deprecated_python()
