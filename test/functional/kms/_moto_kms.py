"""Helpers for the AWS KMS tests: keys and clients in moto's in-process mock (imported by tests)."""

from __future__ import annotations

from typing import Any

import boto3

from aws_encryption_sdk.identifiers import AlgorithmSuite

#: moto's default account.
ACCOUNT_ID = "123456789012"
#: Another account, reached with moto's ``x-moto-account-id`` request header.
OTHER_ACCOUNT_ID = "111111111111"
#: A suite with a 32-byte data key, for calling master keys directly.
ALGORITHM = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY


class MotoKms:
    """Creates KMS keys and clients inside moto's in-process mock, in any region and account."""

    account_id = ACCOUNT_ID

    @staticmethod
    def client(region: str, account_id: str = ACCOUNT_ID) -> Any:
        """Return a boto3 KMS client for ``region`` whose requests act in ``account_id``.

        Other accounts are reached with moto's ``x-moto-account-id`` request header.
        """
        client = boto3.client("kms", region_name=region)
        if account_id != ACCOUNT_ID:

            def _set_account(request: Any, **kwargs: Any) -> None:
                request.headers["x-moto-account-id"] = account_id

            client.meta.events.register("before-sign.kms.*", _set_account)
        return client

    def create_key(self, region: str = "us-east-1", account_id: str = ACCOUNT_ID, alias: str | None = None) -> str:
        """Create a symmetric KMS key and return its ARN (optionally naming it with an alias)."""
        client = self.client(region, account_id)
        arn: str = client.create_key()["KeyMetadata"]["Arn"]
        if alias is not None:
            client.create_alias(AliasName=alias, TargetKeyId=arn)
        return arn

    def create_mrk(self, primary_region: str = "us-east-1", replica_region: str = "us-west-2") -> tuple[str, str]:
        """Create a multi-Region key with one replica; return (primary ARN, replica ARN)."""
        client = self.client(primary_region)
        metadata = client.create_key(MultiRegion=True)["KeyMetadata"]
        replica = client.replicate_key(KeyId=metadata["KeyId"], ReplicaRegion=replica_region)
        return metadata["Arn"], replica["ReplicaKeyMetadata"]["Arn"]


def client_of(master_key: Any) -> Any:
    """Return the boto3 client a KMS master key calls (typed loosely, to reach ``meta``)."""
    return master_key.config.client
