"""AWS KMS master key providers (private module; import them from :mod:`aws_encryption_sdk.key_providers.kms`).

A provider keeps one KMS client per region, created on first use, and builds one master key per KMS key.
Strict providers encrypt and decrypt with the configured keys only; discovery providers decrypt with whatever
KMS key wrapped a data key, within an optional account/partition filter.
"""

from __future__ import annotations

import abc
import functools
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import attr
import attrs

from aws_encryption_sdk.exceptions import (
    ConfigMismatchError,
    DecryptKeyError,
    MasterKeyProviderError,
)
from aws_encryption_sdk.internal.arn import arn_from_str, is_valid_mrk_identifier
from aws_encryption_sdk.key_providers._kms_common import (
    _PROVIDER_ID,
    KMSClient,
    _key_info_to_str,
    _key_resource_match,
    _region_from_key_id,
    _user_agent_config,
)
from aws_encryption_sdk.key_providers._kms_master_key import (
    KMSMasterKey,
    KMSMasterKeyConfig,
    MRKAwareKMSMasterKey,
    MRKAwareKMSMasterKeyConfig,
    _kms_call_error_class,
)
from aws_encryption_sdk.key_providers._kms_provider_config import (
    KMSMasterKeyProviderConfig,
    _check_discovery_config,
    _filter_rejection,
)
from aws_encryption_sdk.key_providers.base import MasterKey, MasterKeyProvider, MasterKeyProviderConfig

if TYPE_CHECKING:
    from typing import Self

__all__ = [
    "BaseKMSMasterKeyProvider",
    "DiscoveryAwsKmsMasterKeyProvider",
    "MRKAwareDiscoveryAwsKmsMasterKeyProvider",
    "MRKAwareStrictAwsKmsMasterKeyProvider",
    "StrictAwsKmsMasterKeyProvider",
]

#: The original logged under its ``key_providers.kms`` module; so do we.
_LOGGER = logging.getLogger("aws_encryption_sdk.key_providers.kms")

#: Most regional clients :meth:`BaseKMSMasterKeyProvider.add_regional_client` keeps (AWS has about 40
#: regions). Regions come from the key ARNs of the messages a provider decrypts, so forged ARNs naming
#: made-up regions would otherwise each leave a client behind (about 0.25 MiB each) whenever their calls
#: fail with a KMS error rather than a botocore one, as with a ``client_factory`` that sends every region
#: to one endpoint.
_REGIONAL_CLIENT_LIMIT = 128


class BaseKMSMasterKeyProvider(MasterKeyProvider, metaclass=abc.ABCMeta):
    """Abstract base of the AWS KMS master key providers.

    Holds one KMS client per region in ``_regional_clients``, created on first use by
    :meth:`add_regional_client` (override it, or pass ``client_factory``, to customise clients).
    A botocore error that is not a KMS response (no credentials, connection failure) drops that region's
    client, so the next use builds a new one, and propagates unchanged. Providers may be shared between
    threads.

    Subclasses implement :meth:`validate_config`.
    """

    provider_id = _PROVIDER_ID
    _config_class: ClassVar[type[MasterKeyProviderConfig]] = KMSMasterKeyProviderConfig
    #: Region for key ids that name none; set from the config at construction.
    default_region: str | None = None
    master_key_class: type[KMSMasterKey] = KMSMasterKey
    master_key_config_class: type[KMSMasterKeyConfig | MRKAwareKMSMasterKeyConfig] = KMSMasterKeyConfig

    config: KMSMasterKeyProviderConfig
    _regional_clients: dict[str, KMSClient]
    _user_agent_adding_config: Any
    _client_lock: threading.RLock

    def __new__(cls, **kwargs: Any) -> Self:
        instance = super().__new__(cls, **kwargs)
        instance._regional_clients = {}
        instance._client_lock = threading.RLock()
        return instance

    def __init__(self, **kwargs: Any) -> None:
        """Apply the configuration: default region, validation, then the configured master keys."""
        self._process_config()

    def __repr__(self) -> str:
        # Sorted config fields with tuples shown as lists, as the original; the 4.1.0
        # ``client_factory`` field is shown only when set, so existing reprs are unchanged.
        fields = attr.asdict(
            self.config,
            recurse=True,
            retain_collection_types=False,
            filter=lambda attribute, value: not (attribute.name == "client_factory" and value is None),
        )
        rendered = ", ".join(f"{name}={value}" for name, value in sorted(fields.items()))
        return f"{type(self).__name__}({rendered})"

    def _process_config(self) -> None:
        """Set the default region, validate the configuration and add the configured master keys.

        :raises ConfigMismatchError: when the configuration does not suit this provider class
        """
        self._user_agent_adding_config = _user_agent_config()
        if self.config.region_names:
            self.default_region = self.config.region_names[0]
        else:
            self.default_region = self.config.botocore_session.get_config_variable("region")
        self.validate_config()
        if self.config.key_ids:
            self.add_master_keys_from_list(self.config.key_ids)

    @abc.abstractmethod
    def validate_config(self) -> None:
        """Check the configuration for this provider class.

        :raises ConfigMismatchError: when it does not suit
        """

    # Regional clients ------------------------------------------------------------------------

    def _build_client(self, region_name: str) -> KMSClient:
        """Build the KMS client for a region: from ``client_factory`` if set, else the session.

        The region may come from the key info of an encrypted data key, so botocore can refuse it
        (``InvalidRegionError``, or a ``ValueError`` for an empty region). Such an error is raised as
        a :class:`KMSCallError` that is also the error the original let through.
        """
        from botocore.exceptions import BotoCoreError

        try:
            if self.config.client_factory is not None:
                return self.config.client_factory(region_name)
            from aws_encryption_sdk.key_providers import kms  # through its lazy boto3, which callers may patch

            session = kms.boto3.session.Session(botocore_session=self.config.botocore_session)
            client: KMSClient = session.client("kms", region_name=region_name, config=self._user_agent_adding_config)
        except (BotoCoreError, ValueError) as error:
            raise _kms_call_error_class(type(error))(
                f"Could not create the AWS KMS client of region {region_name!r}: {type(error).__name__}: {error}",
                getattr(error, "kwargs", None),
            ) from error
        return client

    def add_regional_client(self, region_name: str) -> None:
        """Create and register the KMS client for a region, unless there already is one.

        A provider keeps at most 128 regional clients: adding one more first drops them all, with the
        master keys built for decryption with them (configured master keys keep theirs).

        :param region_name: the AWS region (for example ``us-east-1``)
        """
        with self._client_lock:
            if region_name in self._regional_clients:
                return
            if len(self._regional_clients) >= _REGIONAL_CLIENT_LIMIT:
                self._forget_regional_clients()
            self._register_client(self._build_client(region_name), region_name)

    def _forget_regional_clients(self) -> None:
        """Drop every regional client and the master keys built for decryption with them.

        Master keys of configured key ids keep their clients; the rest are built again when next needed.
        """
        _LOGGER.debug("Dropping %d regional KMS clients, the most a provider keeps", len(self._regional_clients))
        self._regional_clients.clear()
        self._decrypt_key_index.clear()

    def add_regional_clients_from_list(self, region_names: Iterable[str]) -> None:
        """Create the KMS client of each region (see :meth:`add_regional_client`).

        :param region_names: the AWS regions
        """
        for region_name in region_names:
            self.add_regional_client(region_name)

    def _register_client(self, client: KMSClient, region_name: str) -> None:
        """Make ``client`` the KMS client of ``region_name``.

        :param client: a boto3 KMS client
        :param region_name: the AWS region it calls
        """
        with self._client_lock:
            self._regional_clients[region_name] = client

    def _evict_client(self, region_name: str, client: KMSClient) -> None:
        """Forget ``client`` after a botocore error: as the region's client, if it still is, and the master keys
        built for decryption with it.

        The next use of the region then builds a new client and master key; and regions named only
        by forged key ARNs, whose calls fail, do not leave their clients behind.
        """
        with self._client_lock:
            if self._regional_clients.get(region_name) is client:
                del self._regional_clients[region_name]
                _LOGGER.debug("Dropped the KMS client of region %s after a botocore error", region_name)
            for key_id, master_key in list(self._decrypt_key_index.items()):
                if isinstance(master_key, KMSMasterKey) and master_key.config.client is client:
                    self._decrypt_key_index.pop(key_id, None)

    def _wrap_client(self, region_name: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``method`` of a region's KMS client; after a botocore error, drop that client and re-raise.

        The master keys this provider builds already report their botocore errors; this is for
        subclasses that call a regional client themselves, as with the original.

        :param region_name: the region of the client
        :param method: what to call (for example ``client.decrypt``)
        :returns: what ``method`` returns
        """
        from botocore.exceptions import BotoCoreError

        try:
            return method(*args, **kwargs)
        except BotoCoreError:
            client = self._regional_clients.get(region_name)
            if client is not None:
                self._evict_client(region_name, client)
            raise

    def _client(self, key_id: str | bytes) -> KMSClient:
        """Return the KMS client for the region of a key id, creating it if needed.

        :param key_id: a key ARN, alias or bare key id (bare ids use the default region)
        :returns: the regional client
        :raises UnknownRegionError: when the key id names no region and there is no default region
        """
        region_name = _region_from_key_id(_key_info_to_str(key_id), self.default_region)
        with self._client_lock:
            self.add_regional_client(region_name)
            return self._regional_clients[region_name]

    # Master keys -----------------------------------------------------------------------------

    def _build_master_key(self, key_id: str) -> KMSMasterKey:
        """Build a master key of ``master_key_class`` for a key id, with its region's client."""
        region_name = _region_from_key_id(key_id, self.default_region)
        client = self._client(key_id)
        master_key = self.master_key_class(
            config=self.master_key_config_class(key_id=key_id, client=client, grant_tokens=self.config.grant_tokens)
        )
        master_key._on_botocore_error = functools.partial(self._evict_client, region_name, client)
        return master_key

    def _new_master_key_impl(self, key_id: bytes) -> KMSMasterKey:
        """Build the master key for a key id (no discovery filter check).

        :param key_id: the key id
        :returns: the master key
        """
        return self._build_master_key(_key_info_to_str(key_id))

    def _new_master_key(self, key_id: bytes) -> MasterKey:
        """Build the master key for a key id, within the discovery filter if there is one.

        :param key_id: the key id
        :returns: the master key
        :raises MasterKeyProviderError: when the discovery filter does not allow the key
        :raises MalformedArnError: when there is a discovery filter and the key id is not an ARN
        :raises UnknownRegionError: when the key id names no region and there is no default region
        """
        discovery_filter = self.config.discovery_filter
        if discovery_filter is not None:
            reason = _filter_rejection(arn_from_str(_key_info_to_str(key_id)), discovery_filter)
            if reason is not None:
                raise MasterKeyProviderError(f"Key {key_id!r} not allowed by this Master Key Provider: {reason}")
        return self._new_master_key_impl(key_id)

    def master_key_for_decrypt(self, key_info: str | bytes) -> MasterKey:
        """Return the master key for the key info of an encrypted data key.

        A key ARN that the discovery filter does not allow raises
        :class:`~aws_encryption_sdk.exceptions.DecryptKeyError`, so decryption skips that encrypted data key
        and tries the next (the original ends the decryption there). Otherwise this is the original's
        path: key info that is not an ARN ends the decryption, with
        :class:`~aws_encryption_sdk.exceptions.MalformedArnError` from the filter check or from the
        master key's decryption, or with :class:`~aws_encryption_sdk.exceptions.UnknownRegionError`
        when it names no region and there is no default region.

        :param key_info: the key ARN recorded in an encrypted data key
        :returns: the master key
        :raises MalformedArnError: when there is a discovery filter and the key info is not a valid ARN
        :raises DecryptKeyError: when the discovery filter refuses it
        :raises UnknownRegionError: when the key info names no region and there is no default region
        """
        key_id = key_info.encode("utf-8") if isinstance(key_info, str) else key_info
        discovery_filter = self.config.discovery_filter
        if (
            discovery_filter is not None
            and key_id not in self._encrypt_key_index
            and key_id not in self._decrypt_key_index
        ):
            reason = _filter_rejection(arn_from_str(_key_info_to_str(key_id)), discovery_filter)
            if reason is not None:
                raise DecryptKeyError(f"Key {key_id!r} not allowed by this Master Key Provider: {reason}")
        return super().master_key_for_decrypt(key_id)


class StrictAwsKmsMasterKeyProvider(BaseKMSMasterKeyProvider):
    """KMS provider that encrypts with every configured key and decrypts only with them.

    The first key in ``key_ids`` generates the data key and every other key encrypts it. Only encrypted data
    keys whose key ARN equals a configured id are decrypted, so configure key ARNs (aliases and bare key ids
    can encrypt but never decrypt).
    """

    def __init__(self, **kwargs: Any) -> None:
        """Apply the configuration; the instance never vends master keys on decrypt, whatever a subclass says."""
        super().__init__(**kwargs)
        self.vend_masterkey_on_decrypt = False

    def validate_config(self) -> None:
        """Require key ids and refuse discovery settings.

        :raises ConfigMismatchError: when there are no key ids, one is empty, or a discovery
            filter or discovery region is set
        """
        if not self.config.key_ids:
            raise ConfigMismatchError("To enable strict mode you must provide key ids")
        if not all(self.config.key_ids):
            raise ConfigMismatchError("Key ids must be valid AWS KMS ARNs")
        if self.config.discovery_filter:
            raise ConfigMismatchError("To enable discovery mode, use a DiscoveryAwsKmsMasterKeyProvider")
        if self.config.discovery_region:
            raise ConfigMismatchError(
                "To enable MRK-aware discovery mode, use a MRKAwareDiscoveryAwsKmsMasterKeyProvider"
            )


class DiscoveryAwsKmsMasterKeyProvider(BaseKMSMasterKeyProvider):
    """KMS provider that decrypts with whichever KMS key wrapped a data key.

    A ``discovery_filter`` limits it to keys of the given accounts in one partition; encrypted data keys
    outside it are skipped. It has no keys to encrypt with.
    """

    def validate_config(self) -> None:
        """Refuse key ids, incomplete filters and a discovery region.

        :raises ConfigMismatchError: when the configuration does not suit discovery mode
        """
        _check_discovery_config(self.config)
        if self.config.discovery_region:
            raise ConfigMismatchError(
                "To enable MRK-aware discovery mode, use a MRKAwareDiscoveryAwsKmsMasterKeyProvider."
            )


class MRKAwareStrictAwsKmsMasterKeyProvider(StrictAwsKmsMasterKeyProvider):
    """Strict KMS provider that also decrypts data keys wrapped by replicas of its multi-Region keys.

    KMS is always called with the configured key in its own region. Two configured ids of the same
    multi-Region key are refused.

    .. versionadded:: 2.3.0
    """

    master_key_class = MRKAwareKMSMasterKey
    master_key_config_class = MRKAwareKMSMasterKeyConfig

    def validate_config(self) -> None:
        """Apply the strict rules, then :meth:`validate_unique_mrks`.

        :raises ConfigMismatchError: when the configuration does not suit
        :raises MalformedArnError: when a key id starts with ``arn:`` but is not a valid ARN
        """
        super().validate_config()
        self.validate_unique_mrks()

    def validate_unique_mrks(self) -> None:
        """Refuse configured ids that name the same multi-Region key.

        :raises ConfigMismatchError: listing every related id, when there are any
        :raises MalformedArnError: when a key id starts with ``arn:`` but is not a valid ARN
        """
        mrk_ids = [key_id for key_id in self.config.key_ids if is_valid_mrk_identifier(key_id)]
        related: list[str] = []
        for key1, key2 in itertools.combinations(mrk_ids, 2):
            if _key_resource_match(key1, key2):
                related.extend(key_id for key_id in (key1, key2) if key_id not in related)
        if related:
            raise ConfigMismatchError(f"Configured key ids must be unique. Found related MRKs: {', '.join(related)}")


class MRKAwareDiscoveryAwsKmsMasterKeyProvider(DiscoveryAwsKmsMasterKeyProvider):
    """Discovery KMS provider that decrypts multi-Region keys in one region, ``discovery_region``.

    An encrypted data key wrapped by a multi-Region key in any region is decrypted by that key's replica in
    ``discovery_region`` (by default the provider's default region); other keys are used in their own region.

    .. versionadded:: 2.3.0
    """

    master_key_class = MRKAwareKMSMasterKey
    master_key_config_class = MRKAwareKMSMasterKeyConfig

    def validate_config(self) -> None:
        """Apply the discovery rules and settle the discovery region.

        :raises ConfigMismatchError: when the configuration does not suit discovery mode, or
            there is neither a discovery region nor a default region
        """
        _check_discovery_config(self.config)
        if not self.config.discovery_region:
            if self.default_region is None:
                raise ConfigMismatchError(
                    "Failed to determine default discovery region; please provide an explicit discovery_region"
                )
            self.config.discovery_region = self.default_region

    def _new_master_key_impl(self, key_id: bytes) -> KMSMasterKey:
        """Build the master key for a key ARN, moving multi-Region keys to the discovery region.

        :param key_id: the key ARN
        :returns: the master key
        :raises MalformedArnError: when the key id is not a valid ARN
        """
        key_id_str = _key_info_to_str(key_id)
        arn = arn_from_str(key_id_str)
        if arn.indicates_multi_region_key() and self.config.discovery_region is not None:
            key_id_str = attrs.evolve(arn, region=self.config.discovery_region).to_string()
        return self._build_master_key(key_id_str)
