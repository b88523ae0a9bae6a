"""Decrypt in another region with a replica of an AWS KMS multi-Region key.

A multi-Region key (its id starts with ``mrk-``) has replicas in other regions that share its key
material and id. A message encrypted under the key in one region can be decrypted by a replica in
another region, so each region's readers call their local KMS only.

The plain providers treat each regional ARN as a different key. The ``MRKAware`` providers know
better:

* ``MRKAwareStrictAwsKmsMasterKeyProvider`` configured with the replica's ARN decrypts data keys
  that any replica of the key wrapped, calling KMS in the replica's own region;
* ``MRKAwareDiscoveryAwsKmsMasterKeyProvider`` with a ``discovery_region`` decrypts multi-Region
  keys with their replica in that region (and other keys in their own region), within its filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

import attrs

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.internal.arn import arn_from_str
from aws_encryption_sdk.key_providers.kms import (
    DiscoveryFilter,
    KMSClient,
    MRKAwareDiscoveryAwsKmsMasterKeyProvider,
    MRKAwareStrictAwsKmsMasterKeyProvider,
)

#: Optional builder of the regional KMS clients (None: the providers' default clients).
ClientFactory = Optional[Callable[[str], KMSClient]]


@attrs.frozen
class MrkOutcome:
    """What each reader in the replica's region got.

    :param strict_plaintext: plaintext decrypted by the strict provider
    :param discovery_plaintext: plaintext decrypted by the discovery provider
    :param discovery_key_arn: ARN of the key the discovery provider called KMS with
    """

    strict_plaintext: bytes
    discovery_plaintext: bytes
    discovery_key_arn: str


def _client() -> aws_encryption_sdk.EncryptionSDKClient:
    return aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def encrypt(mrk_arn: str, plaintext: bytes, client_factory: ClientFactory = None) -> bytes:
    """Encrypt under a multi-Region key in the region its ARN names.

    :param mrk_arn: ARN of the multi-Region key (primary or replica)
    :param plaintext: the data to protect
    :param client_factory: builds the regional KMS clients; None for the defaults
    :returns: the encrypted message
    """
    key_provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[mrk_arn], client_factory=client_factory)
    ciphertext, _header = _client().encrypt(source=plaintext, key_provider=key_provider)
    return ciphertext


def decrypt_with_replica(replica_arn: str, ciphertext: bytes, client_factory: ClientFactory = None) -> bytes:
    """Decrypt with a strict provider that names the replica in the reader's region.

    :param replica_arn: ARN of the replica to decrypt with
    :param ciphertext: a message encrypted under any replica of the same key
    :param client_factory: builds the regional KMS clients; None for the defaults
    :returns: the plaintext
    """
    key_provider = MRKAwareStrictAwsKmsMasterKeyProvider(key_ids=[replica_arn], client_factory=client_factory)
    plaintext, _header = _client().decrypt(source=ciphertext, key_provider=key_provider)
    return plaintext


def decrypt_by_discovery(
    ciphertext: bytes,
    discovery_region: str,
    account_ids: Sequence[str],
    partition: str = "aws",
    client_factory: ClientFactory = None,
) -> tuple[bytes, str]:
    """Decrypt with whichever key wrapped the data key, using multi-Region keys in ``discovery_region``.

    :param ciphertext: the encrypted message
    :param discovery_region: the reader's region
    :param account_ids: the accounts whose keys may be used
    :param partition: the partition of those accounts
    :param client_factory: builds the regional KMS clients; None for the defaults
    :returns: the plaintext and the ARN of the key that decrypted it
    """
    key_provider = MRKAwareDiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=list(account_ids), partition=partition),
        discovery_region=discovery_region,
        client_factory=client_factory,
    )
    result = _client().decrypt_with_details(source=ciphertext, key_provider=key_provider)
    return result.plaintext, result.decrypted_by.key_info.decode("utf-8")


def run(
    primary_arn: str,
    replica_arn: str,
    plaintext: bytes = b"one key, many regions",
    client_factory: ClientFactory = None,
) -> MrkOutcome:
    """Encrypt in the primary's region, then decrypt in the replica's region both ways.

    :param primary_arn: ARN of the multi-Region key in the writer's region
    :param replica_arn: ARN of its replica in the reader's region
    :param plaintext: the data to protect
    :param client_factory: builds the regional KMS clients; None for the defaults
    :returns: what the two readers decrypted
    """
    ciphertext = encrypt(primary_arn, plaintext, client_factory)
    replica = arn_from_str(replica_arn)
    strict_plaintext = decrypt_with_replica(replica_arn, ciphertext, client_factory)
    discovery_plaintext, discovery_key_arn = decrypt_by_discovery(
        ciphertext, replica.region, [replica.account_id], replica.partition, client_factory
    )
    return MrkOutcome(strict_plaintext, discovery_plaintext, discovery_key_arn)


if __name__ == "__main__":
    import sys

    outcome = run(sys.argv[1], sys.argv[2])
    assert outcome.strict_plaintext == outcome.discovery_plaintext == b"one key, many regions"
    print("decrypted in the replica's region with", outcome.discovery_key_arn)
