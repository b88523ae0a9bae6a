"""Master keys and master key providers backed by AWS KMS.

* :class:`~aws_encryption_sdk.key_providers.kms.StrictAwsKmsMasterKeyProvider` encrypts with every configured KMS
  key and decrypts only with them (configure key ARNs to decrypt).
* :class:`~aws_encryption_sdk.key_providers.kms.DiscoveryAwsKmsMasterKeyProvider` decrypts with whichever KMS key
  wrapped a data key, optionally limited by a :class:`~aws_encryption_sdk.key_providers.kms.DiscoveryFilter`;
  it cannot encrypt.
* The ``MRKAware`` variants treat replicas of a multi-Region key (``key/mrk-...``) as one key.

Importing this module does not import boto3 or botocore; they are imported when the first provider, master key
or config is built. Providers keep one KMS client per region; pass ``client_factory=`` to build those clients
yourself (timeouts, proxies, ``endpoint_url``), or override
:meth:`~aws_encryption_sdk.key_providers.kms.BaseKMSMasterKeyProvider.add_regional_client`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aws_encryption_sdk.exceptions import (
    ConfigMismatchError,
    DecryptKeyError,
    EncryptKeyError,
    GenerateKeyError,
    MalformedArnError,
    MasterKeyProviderError,
    UnknownRegionError,
)
from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX
from aws_encryption_sdk.internal.arn import arn_from_str, is_valid_mrk_identifier
from aws_encryption_sdk.internal.str_ops import to_str
from aws_encryption_sdk.key_providers._kms_common import (
    _PROVIDER_ID,
    KMSClient,
    _check_mrk_arns_equal,
    _key_resource_match,
    _region_from_key_id,
)
from aws_encryption_sdk.key_providers._kms_master_key import (
    KMSMasterKey,
    KMSMasterKeyConfig,
    MRKAwareKMSMasterKey,
    MRKAwareKMSMasterKeyConfig,
)
from aws_encryption_sdk.key_providers._kms_provider_config import DiscoveryFilter, KMSMasterKeyProviderConfig
from aws_encryption_sdk.key_providers._kms_providers import (
    BaseKMSMasterKeyProvider,
    DiscoveryAwsKmsMasterKeyProvider,
    MRKAwareDiscoveryAwsKmsMasterKeyProvider,
    MRKAwareStrictAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
)
from aws_encryption_sdk.key_providers.base import (
    MasterKey,
    MasterKeyConfig,
    MasterKeyProvider,
    MasterKeyProviderConfig,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo

__all__ = [
    "USER_AGENT_SUFFIX",
    "_PROVIDER_ID",
    "BaseKMSMasterKeyProvider",
    "ConfigMismatchError",
    "DataKey",
    "DecryptKeyError",
    "DiscoveryAwsKmsMasterKeyProvider",
    "DiscoveryFilter",
    "EncryptKeyError",
    "EncryptedDataKey",
    "GenerateKeyError",
    "KMSClient",
    "KMSMasterKey",
    "KMSMasterKeyConfig",
    "KMSMasterKeyProviderConfig",
    "MRKAwareDiscoveryAwsKmsMasterKeyProvider",
    "MRKAwareKMSMasterKey",
    "MRKAwareKMSMasterKeyConfig",
    "MRKAwareStrictAwsKmsMasterKeyProvider",
    "MalformedArnError",
    "MasterKey",
    "MasterKeyConfig",
    "MasterKeyInfo",
    "MasterKeyProvider",
    "MasterKeyProviderConfig",
    "MasterKeyProviderError",
    "StrictAwsKmsMasterKeyProvider",
    "UnknownRegionError",
    "_check_mrk_arns_equal",
    "_key_resource_match",
    "_region_from_key_id",
    "arn_from_str",
    "is_valid_mrk_identifier",
    "to_str",
]

# The classes live in private modules; they are documented, printed and pickled under this path.
for _public in (
    KMSMasterKey,
    KMSMasterKeyConfig,
    MRKAwareKMSMasterKey,
    MRKAwareKMSMasterKeyConfig,
    DiscoveryFilter,
    KMSMasterKeyProviderConfig,
    BaseKMSMasterKeyProvider,
    DiscoveryAwsKmsMasterKeyProvider,
    MRKAwareDiscoveryAwsKmsMasterKeyProvider,
    MRKAwareStrictAwsKmsMasterKeyProvider,
    StrictAwsKmsMasterKeyProvider,
    KMSClient,
):
    _public.__module__ = __name__
del _public

if TYPE_CHECKING:  # what the lazy attributes below give, for type checkers
    import boto3 as boto3  # noqa: PLC0414 (the alias marks a re-export)
    import botocore as botocore  # noqa: PLC0414
else:

    def __getattr__(name: str) -> Any:
        """Give ``boto3`` and ``botocore`` as module attributes, imported on first access.

        The original imported both here, and tests patch through them. The providers build their
        clients through ``kms.boto3``, so patching it, or anything under it (for example
        ``aws_encryption_sdk.key_providers.kms.boto3.session.Session``), takes effect.
        """
        if name == "boto3":
            return importlib.import_module("boto3")
        if name == "botocore":
            for submodule in ("client", "config", "exceptions", "session"):
                importlib.import_module(f"botocore.{submodule}")
            return importlib.import_module("botocore")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
