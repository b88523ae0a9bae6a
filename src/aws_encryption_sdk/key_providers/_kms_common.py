"""Helpers shared by the AWS KMS master keys and providers (private).

Nothing here imports boto3 or botocore at module level: ``import aws_encryption_sdk`` must stay
free of them. The ``_botocore_*`` helpers import botocore on first use, which only happens once a
KMS master key or provider is being built or used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from aws_encryption_sdk.exceptions import ArnDecodeError, MalformedArnError, UnknownRegionError
from aws_encryption_sdk.internal.arn import arn_from_str

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

__all__ = [
    "_PROVIDER_ID",
    "KMSClient",
    "_check_mrk_arns_equal",
    "_describe_client_error",
    "_key_info_to_str",
    "_key_resource_match",
    "_region_from_key_id",
]

#: Provider id of every encrypted data key that an AWS KMS master key writes.
_PROVIDER_ID = "aws-kms"


class KMSClient(Protocol):
    """The calls the SDK makes on an AWS KMS client (a boto3 ``kms`` client satisfies it).

    The calls are read-only members of type ``Callable[..., Mapping[str, Any]]`` rather than methods
    taking ``**kwargs: Any``, so that a client typed by ``boto3-stubs`` (whose methods take only their
    own keyword arguments) satisfies it too.

    .. versionadded:: 4.1.0
    """

    @property
    def generate_data_key(self) -> Callable[..., Mapping[str, Any]]:
        """Call AWS KMS GenerateDataKey."""

    @property
    def encrypt(self) -> Callable[..., Mapping[str, Any]]:
        """Call AWS KMS Encrypt."""

    @property
    def decrypt(self) -> Callable[..., Mapping[str, Any]]:
        """Call AWS KMS Decrypt."""


def _region_from_key_id(key_id: str, default_region: str | None = None) -> str:
    """Return the region named in a key id, else ``default_region``.

    The region is the fourth ``:``-separated field of an ARN; bare key ids and alias names have none.

    :param key_id: a key ARN, alias ARN, alias name or bare key id
    :param default_region: the region to use when the key id names none
    :returns: the region
    :raises UnknownRegionError: when the key id names no region and there is no default region
    """
    parts = key_id.split(":", 4)
    if len(parts) > 3:
        return parts[3]
    if default_region is None:
        raise UnknownRegionError(f"No default region found and no region determinable from key id: {key_id}")
    return default_region


def _resource_id_for_uniqueness(key_id: str) -> str | None:
    """Return the key resource id of an ARN or bare id; None for alias ARNs."""
    try:
        arn = arn_from_str(key_id)
    except MalformedArnError:
        return key_id
    if arn.resource_type == "alias":
        return None
    return arn.resource_id


def _key_resource_match(key1: str, key2: str) -> bool:
    """Say whether two key identifiers name the same key resource id.

    Strings that do not parse as ARNs are taken as bare key ids; alias ARNs never match.

    :param key1: a key ARN, alias ARN or bare key id
    :param key2: a key ARN, alias ARN or bare key id
    :returns: True when both name the same key resource id
    """
    resource_id_1 = _resource_id_for_uniqueness(key1)
    resource_id_2 = _resource_id_for_uniqueness(key2)
    return resource_id_1 is not None and resource_id_1 == resource_id_2


def _check_mrk_arns_equal(key1: str, key2: str) -> bool:
    """Say whether two key ARNs name the same key, treating multi-Region replicas as equal.

    Identical strings are equal. Otherwise both must be ARNs of multi-Region keys (``key/mrk-...``)
    with the same partition, service, account and resource; the region is ignored.

    :param key1: a key ARN
    :param key2: a key ARN
    :returns: True when the keys match
    :raises MalformedArnError: when the strings differ and either is not a valid ARN
    """
    if key1 == key2:
        return True
    arn1 = arn_from_str(key1)
    arn2 = arn_from_str(key2)
    if not (arn1.indicates_multi_region_key() and arn2.indicates_multi_region_key()):
        return False
    return (
        arn1.partition == arn2.partition
        and arn1.service == arn2.service
        and arn1.account_id == arn2.account_id
        and arn1.resource_type == arn2.resource_type
        and arn1.resource_id == arn2.resource_id
    )


def _key_info_to_str(key_info: bytes | str) -> str:
    """Return the key info of an encrypted data key as text.

    :param key_info: the key info (an ARN written by a KMS master key)
    :returns: the key info decoded as UTF-8
    :raises ArnDecodeError: when the key info is not UTF-8 (so it cannot be a KMS key ARN)
    """
    if isinstance(key_info, str):
        return key_info
    try:
        return key_info.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArnDecodeError(error.encoding, error.object, error.start, error.end, error.reason) from error


def _describe_client_error(error: ClientError) -> str:
    """Render the error code and message AWS KMS returned (never any request or response data)."""
    details = error.response.get("Error", {})
    code = details.get("Code") or "an unknown error"
    message = details.get("Message")
    return f"KMS returned {code}: {message}" if message else f"KMS returned {code}"


def _botocore_client_class() -> type[Any]:
    from botocore.client import BaseClient

    client_class: type[Any] = BaseClient
    return client_class


def _botocore_session_class() -> type[Any]:
    from botocore.session import Session

    session_class: type[Any] = Session
    return session_class


def _new_botocore_session() -> Any:
    """Build a new botocore session (the default of ``KMSMasterKeyProviderConfig.botocore_session``)."""
    return _botocore_session_class()()


def _user_agent_config() -> Any:
    """Build the botocore config that adds the SDK's user agent suffix to every request."""
    from botocore.config import Config

    from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX

    return Config(user_agent_extra=USER_AGENT_SUFFIX)
