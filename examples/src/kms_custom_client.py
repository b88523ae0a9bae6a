"""Control how the AWS KMS clients are built: timeouts, retries, endpoints, proxies.

A KMS provider makes one boto3 client per region, the first time it needs that region. Two ways to
shape those clients:

* pass ``client_factory=``: a function that takes a region name and returns the client (added in
  4.1.0; the simplest way);
* subclass the provider and override ``add_regional_client``, registering each client you build
  (the way that also works with older releases).

Either way, keep the SDK's user agent suffix in the client config so that AWS can tell SDK
traffic apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Optional

import boto3
from botocore.config import Config

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX
from aws_encryption_sdk.key_providers.kms import KMSClient, StrictAwsKmsMasterKeyProvider

#: Seconds to wait for a connection and for a response; kept short so a stuck call fails fast.
CONNECT_TIMEOUT = 2
READ_TIMEOUT = 5
#: Attempts per call, first try included.
MAX_ATTEMPTS = 3


def client_config() -> Config:
    """Return the botocore client settings both variants use.

    :returns: the client config
    """
    return Config(
        user_agent_extra=USER_AGENT_SUFFIX,
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"},
    )


def make_client_factory(endpoint_url: Optional[str] = None) -> Callable[[str], KMSClient]:
    """Return a client factory for KMS providers.

    :param endpoint_url: a KMS endpoint to call instead of the region's default one (a VPC
        endpoint, say); None for the default
    :returns: a function from region name to KMS client
    """

    def build_client(region_name: str) -> KMSClient:
        client: KMSClient = boto3.client(
            "kms", region_name=region_name, endpoint_url=endpoint_url, config=client_config()
        )
        return client

    return build_client


class ShortTimeoutKmsProvider(StrictAwsKmsMasterKeyProvider):
    """Strict KMS provider whose regional clients use :func:`client_config`."""

    def add_regional_client(self, region_name: str) -> None:
        """Build and register the client of ``region_name``, unless it already exists.

        :param region_name: the AWS region
        """
        if region_name in self._regional_clients:
            return
        session = boto3.session.Session(botocore_session=self.config.botocore_session)
        client = session.client(
            "kms", region_name=region_name, config=self._user_agent_adding_config.merge(client_config())
        )
        self._register_client(client, region_name)
        # Registering stores the client in this release; storing it again keeps older releases working.
        self._regional_clients[region_name] = client


def round_trip(key_provider: StrictAwsKmsMasterKeyProvider, plaintext: bytes) -> None:
    """Encrypt and decrypt with ``key_provider`` and check the result.

    :param key_provider: the provider to use
    :param plaintext: the data to protect
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=key_provider)
    decrypted, _header = client.decrypt(source=ciphertext, key_provider=key_provider)
    assert decrypted == plaintext


def run(
    kms_key_arns: Sequence[str], plaintext: bytes = b"sent through tuned clients"
) -> tuple[StrictAwsKmsMasterKeyProvider, ShortTimeoutKmsProvider]:
    """Round-trip a message with each variant and return both providers, clients built.

    :param kms_key_arns: ARNs of the AWS KMS keys
    :param plaintext: the data to protect
    :returns: the provider built with a client factory and the subclassed provider
    """
    with_factory = StrictAwsKmsMasterKeyProvider(key_ids=list(kms_key_arns), client_factory=make_client_factory())
    round_trip(with_factory, plaintext)
    subclassed = ShortTimeoutKmsProvider(key_ids=list(kms_key_arns))
    round_trip(subclassed, plaintext)
    return with_factory, subclassed


if __name__ == "__main__":
    import sys

    run(sys.argv[1:])
    print("both providers encrypted and decrypted through their own clients")
