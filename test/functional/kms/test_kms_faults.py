"""KMS faults reach the caller as SDK errors that name the key (issue: hostile input and faults).

moto produces real KMS errors where it can (unknown key, wrong context); it ignores disable_key
and cannot throttle, so those two answers come from botocore's Stubber on a real client. An
unreachable region is a client whose endpoint is a closed local port.
"""

from __future__ import annotations

import socket
from typing import Any

import boto3
import pytest
from _moto_kms import MotoKms
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import DecryptKeyError, GenerateKeyError
from aws_encryption_sdk.key_providers.kms import StrictAwsKmsMasterKeyProvider


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _unreachable_client(region: str) -> Any:
    return boto3.client(
        "kms",
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )


def test_throttled_generate_is_a_generate_key_error_naming_key_and_code(moto: MotoKms) -> None:
    arn = moto.create_key()
    client = boto3.client("kms", region_name="us-east-1")
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=lambda region: client)
    with Stubber(client) as stubber:
        stubber.add_client_error("generate_data_key", "ThrottlingException", "Rate exceeded", http_status_code=400)
        with pytest.raises(GenerateKeyError, match=f"{arn}.*ThrottlingException"):
            EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)


def test_disabled_key_on_decrypt_is_named_in_the_final_error(moto: MotoKms) -> None:
    arn = moto.create_key()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    ciphertext, _ = EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)
    client = boto3.client("kms", region_name="us-east-1")
    disabled = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=lambda region: client)
    with Stubber(client) as stubber:
        stubber.add_client_error("decrypt", "DisabledException", f"{arn} is disabled.", http_status_code=400)
        with pytest.raises(DecryptKeyError, match=f"Unable to decrypt any data key.*{arn}.*DisabledException"):
            EncryptionSDKClient().decrypt(source=ciphertext, key_provider=disabled)


def test_unknown_key_from_moto_is_a_generate_key_error_naming_it(moto: MotoKms) -> None:
    missing = f"arn:aws:kms:us-east-1:{moto.account_id}:key/00000000-0000-0000-0000-000000000000"
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[missing])
    with pytest.raises(GenerateKeyError, match=f"{missing}.*NotFoundException"):
        EncryptionSDKClient().encrypt(source=b"x", key_provider=provider)


def test_unreachable_region_on_decrypt_falls_through_to_a_reachable_key(moto: MotoKms) -> None:
    east, west = moto.create_key("us-east-1"), moto.create_key("us-west-2")
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"payload", key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[east, west])
    )

    def factory(region: str) -> Any:
        return _unreachable_client(region) if region == "us-east-1" else boto3.client("kms", region_name=region)

    provider = StrictAwsKmsMasterKeyProvider(key_ids=[east, west], client_factory=factory)
    plaintext, _ = EncryptionSDKClient().decrypt(source=ciphertext, key_provider=provider)
    assert plaintext == b"payload"


def test_unreachable_region_alone_is_a_decrypt_key_error_naming_the_key(moto: MotoKms) -> None:
    arn = moto.create_key()
    ciphertext, _ = EncryptionSDKClient().encrypt(
        source=b"x", key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[arn])
    )
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[arn], client_factory=_unreachable_client)
    with pytest.raises(DecryptKeyError, match=f"{arn}.*EndpointConnectionError") as raised:
        EncryptionSDKClient().decrypt(source=ciphertext, key_provider=provider)
    assert "us-east-1" not in provider._regional_clients
    root_causes = []
    error: BaseException | None = raised.value
    while error is not None:
        root_causes.append(error)
        nested = getattr(error.__cause__, "exceptions", None)
        error = nested[0] if nested else error.__cause__
    assert isinstance(root_causes[-1], EndpointConnectionError)
