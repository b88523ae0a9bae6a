"""Configuration of the AWS KMS master key providers.

Private module: import these names from :mod:`aws_encryption_sdk.key_providers.kms`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from aws_encryption_sdk.exceptions import ConfigMismatchError
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of
from aws_encryption_sdk.internal.arn import Arn
from aws_encryption_sdk.key_providers._kms_common import KMSClient, _botocore_session_class, _new_botocore_session
from aws_encryption_sdk.key_providers.base import MasterKeyProviderConfig

__all__ = ["DiscoveryFilter", "KMSMasterKeyProviderConfig"]


def _to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _validate_botocore_session(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Require a botocore session (a boto3 session is refused); imports botocore only when called."""
    instance_of(_botocore_session_class())(instance, attribute, value)


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class DiscoveryFilter:
    """The AWS accounts and partition whose KMS keys a discovery provider may use to decrypt.

    :param account_ids: the allowed AWS account ids
    :param partition: the allowed AWS partition (for example ``"aws"``)
    """

    account_ids: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=instance_of(tuple))
    partition: str | None = attrs.field(default=None, validator=optional_instance_of(str))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class KMSMasterKeyProviderConfig(MasterKeyProviderConfig):
    """Configuration of the AWS KMS master key providers.

    :param botocore_session: the botocore session (not a boto3 session) that clients are built
        from; a new one by default
    :param key_ids: the KMS keys to encrypt with (strict providers only)
    :param region_names: regions to use; the first is the default region for key ids that name
        none (else the session's region)
    :param grant_tokens: grant tokens to send with every KMS request
    :param discovery_filter: accounts and partition a discovery provider may decrypt with
    :param discovery_region: region an MRK-aware discovery provider decrypts multi-Region keys in
    :param client_factory: keyword only; called once per region, with the region name, and returns
        the boto3 KMS client to use there (for example ``boto3.client("kms", region_name=region, config=...,
        endpoint_url=...)`` to set timeouts, proxies or an endpoint). Its clients are used as they
        are; add ``user_agent_extra=USER_AGENT_SUFFIX`` to their config to keep the SDK's user agent.
        By default clients come from ``botocore_session``.

        .. versionadded:: 4.1.0
    """

    botocore_session: Any = attrs.field(factory=_new_botocore_session, validator=_validate_botocore_session)
    key_ids: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=instance_of(tuple))
    region_names: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=instance_of(tuple))
    grant_tokens: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=instance_of(tuple))
    discovery_filter: DiscoveryFilter | None = attrs.field(
        default=None, validator=optional_instance_of(DiscoveryFilter)
    )
    discovery_region: str | None = attrs.field(default=None, validator=optional_instance_of(str))
    client_factory: Callable[[str], KMSClient] | None = attrs.field(
        default=None, kw_only=True, validator=attrs.validators.optional(attrs.validators.is_callable())
    )


def _filter_rejection(arn: Arn, discovery_filter: DiscoveryFilter) -> str | None:
    """Say why a key ARN is outside a discovery filter, or None when the filter allows it."""
    if arn.partition == discovery_filter.partition and arn.account_id in discovery_filter.account_ids:
        return None
    return (
        f"its partition {arn.partition!r} and account {arn.account_id!r} are outside the discovery filter "
        f"(partition {discovery_filter.partition!r}, accounts {list(discovery_filter.account_ids)!r})"
    )


def _check_discovery_config(config: KMSMasterKeyProviderConfig) -> None:
    """Apply the configuration rules shared by both discovery providers."""
    if config.key_ids:
        raise ConfigMismatchError(
            "To explicitly identify which keys should be used, use a StrictAwsKmsMasterKeyProvider."
        )
    discovery_filter = config.discovery_filter
    if discovery_filter is not None:
        if not discovery_filter.account_ids or not discovery_filter.partition:
            raise ConfigMismatchError(
                "When specifying a discovery filter you must include both account ids and partition"
            )
        if not all(discovery_filter.account_ids):
            raise ConfigMismatchError("When specifying a discovery filter, account ids must be non-empty strings")
